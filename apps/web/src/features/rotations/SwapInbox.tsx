import type { ShiftSwapDto, SwapAction } from '@allhands/contract'
import { Badge, Button, Card, Group, Loader, Stack, Text } from '@mantine/core'
import { useMutation, useQuery } from '@tanstack/react-query'
import { showError } from '../../lib/queries.ts'
import { refreshRotations, rotationKeys, rotationsApi, shiftTimeLabel } from './rotations.api.ts'

const STATUS: Record<ShiftSwapDto['status'], { label: string; color: string }> = {
  offered: { label: 'Offered', color: 'blue' },
  awaiting_approval: { label: 'Awaiting approval', color: 'yellow' },
  completed: { label: 'Swapped', color: 'teal' },
  declined: { label: 'Declined', color: 'gray' },
  rejected: { label: 'Rejected', color: 'red' },
  cancelled: { label: 'Cancelled', color: 'gray' },
}

/** Swap requests: offers to me (accept / decline), my offers (cancel), and for admins those awaiting approval. */
export function SwapInbox() {
  const swaps = useQuery({ queryKey: rotationKeys.swaps, queryFn: rotationsApi.swaps })
  const act = useMutation({
    mutationFn: ({ id, action }: { id: number; action: SwapAction }) => rotationsApi.actOnSwap(id, action),
    onSuccess: () => void refreshRotations(),
    onError: showError,
  })
  if (swaps.isPending) return <Loader size="sm" aria-label="Loading swap requests" />
  const items = swaps.data ?? []
  if (!items.length)
    return (
      <Text size="sm" c="dimmed">
        No swap requests. Offer one of your upcoming shifts to a colleague from My shifts or the calendar.
      </Text>
    )
  const button = (s: ShiftSwapDto, action: SwapAction, label: string, color?: string, variant = 'light') => (
    <Button
      size="xs"
      color={color}
      variant={variant}
      loading={act.isPending && act.variables?.id === s.id && act.variables.action === action}
      onClick={() => act.mutate({ id: s.id, action })}
    >
      {label}
    </Button>
  )
  return (
    <Stack gap="xs" aria-label="Swap requests">
      {items.map((s) => (
        <Card key={s.id} withBorder padding="sm" component="article" aria-label={`Swap from ${s.from.name} to ${s.to.name}`}>
          <Group justify="space-between" wrap="wrap">
            <div>
              <Text size="sm" fw={600}>
                {s.from.name} → {s.to.name}
              </Text>
              <Text size="sm">
                {shiftTimeLabel(s.shift)}
                {s.shift.rotationName ? ` · ${s.shift.rotationName}` : ''}
              </Text>
              {s.note && (
                <Text size="xs" c="dimmed">
                  “{s.note}”
                </Text>
              )}
              {s.decidedBy && (
                <Text size="xs" c="dimmed">
                  Decided by {s.decidedBy.name}
                </Text>
              )}
            </div>
            <Group gap="xs">
              <Badge color={STATUS[s.status].color}>{STATUS[s.status].label}</Badge>
              {s.canAccept && button(s, 'accept', 'Accept', 'green', 'filled')}
              {s.canAccept && button(s, 'decline', 'Decline', 'gray')}
              {s.canApprove && button(s, 'approve', 'Approve', 'green', 'filled')}
              {s.canApprove && button(s, 'reject', 'Reject', 'red')}
              {s.canCancel && button(s, 'cancel', 'Cancel offer', 'gray', 'subtle')}
            </Group>
          </Group>
        </Card>
      ))}
    </Stack>
  )
}
