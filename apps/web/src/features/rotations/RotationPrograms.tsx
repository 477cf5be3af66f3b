import type { RotationDto, RotationKind } from '@allhands/contract'
import { Badge, Button, Card, Group, Modal, Stack, Text } from '@mantine/core'
import { IconPlus, IconSun } from '@tabler/icons-react'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { isAdmin, isStaff, showError, useCurrentUser } from '../../lib/queries.ts'
import { RotationForm } from './RotationForm.tsx'
import { RotationSummary } from './RotationSummary.tsx'
import { refreshRotations, rotationsApi, shiftTimeLabel } from './rotations.api.ts'

const KIND: Record<RotationKind, string> = { recurring: 'Recurring', onboarding: 'Onboarding', all_hands: 'All-hands' }
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']
const NTH: Record<string, string> = { '1': 'first', '2': 'second', '3': 'third', '4': 'fourth', '-1': 'last' }

function describe(r: RotationDto): string {
  const s = r.schedule
  if (r.kind === 'recurring' && s.recurrence) {
    const days = s.recurrence.weekdays.map((d) => WEEKDAYS[d - 1]).join(', ')
    const hours = `${s.recurrence.hours.start}–${s.recurrence.hours.end}`
    if (s.recurrence.frequency === 'monthly') return `The ${NTH[String(s.recurrence.nth ?? 1)]} ${days} of each month, ${hours}`
    if (s.recurrence.frequency === 'yearly') return `${days} of ISO week ${s.recurrence.week}, ${hours}`
    const every = (s.recurrence.interval ?? 1) > 1 ? `Every ${s.recurrence.interval} weeks` : 'Every week'
    return `${every} on ${days}, ${hours}`
  }
  if (r.kind === 'onboarding') return `${s.days} working days from ${s.startsOn}, ${s.hours?.start}–${s.hours?.end}`
  return `${s.startsAt} to ${s.endsAt}${s.dailyHours ? `, ${s.dailyHours.start}–${s.dailyHours.end} daily` : ', all day'}`
}

/** The list of programs; admins create (including the all-hands switch), edit and remove them; staff open summaries. */
export function RotationPrograms({ rotations }: { rotations: RotationDto[] }) {
  const me = useCurrentUser()
  const admin = isAdmin(me.role)
  const [form, setForm] = useState<{ kind: RotationKind; rotation?: RotationDto } | null>(null)
  const [summaryOf, setSummaryOf] = useState<RotationDto | null>(null)
  const remove = useMutation({ mutationFn: (id: number) => rotationsApi.deleteRotation(id), onSuccess: () => void refreshRotations(), onError: showError })
  return (
    <Stack>
      {admin && (
        <Group>
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setForm({ kind: 'recurring' })}>
            New rotation
          </Button>
          <Button variant="light" color="orange" leftSection={<IconSun size={16} aria-hidden />} onClick={() => setForm({ kind: 'all_hands' })}>
            Start an all-hands window
          </Button>
        </Group>
      )}
      {rotations.length === 0 && (
        <Text size="sm" c="dimmed">
          No rotations yet.{admin ? ' Create one to give people regular support shifts, or switch on an all-hands window for the holidays.' : ''}
        </Text>
      )}
      {rotations.map((r) => (
        <Card key={r.id} withBorder padding="sm" component="article" aria-label={r.name}>
          <Group justify="space-between" wrap="wrap" align="start">
            <div>
              <Group gap="xs">
                <Text fw={600}>{r.name}</Text>
                <Badge variant="light">{KIND[r.kind]}</Badge>
                {!r.isActive && <Badge color="gray">Paused</Badge>}
                {r.reviewRequired && <Badge color="yellow">Replies reviewed</Badge>}
              </Group>
              <Text size="sm">{describe(r)}</Text>
              <Text size="xs" c="dimmed">
                {r.timeZone} · {r.cohort.userIds.length} people, {r.cohort.teamIds.length} teams
                {r.quotaPerYear ? ` · quota ${r.quotaPerYear}/year` : ''}
                {r.swapRequiresApproval ? ' · swaps need approval' : ''}
                {r.snippets.length ? ` · ${r.snippets.length} snippets` : ''}
              </Text>
              {r.firstShiftAt !== null && r.lastShiftEndsAt !== null && (
                <Text size="xs" c="dimmed">
                  Shifts {shiftTimeLabel({ startsAt: r.firstShiftAt, endsAt: r.lastShiftEndsAt })}
                </Text>
              )}
            </div>
            <Group gap="xs">
              {isStaff(me.role) && (
                <Button size="xs" variant="default" onClick={() => setSummaryOf(r)}>
                  Summary
                </Button>
              )}
              {admin && (
                <Button size="xs" variant="default" onClick={() => setForm({ kind: r.kind, rotation: r })}>
                  Edit
                </Button>
              )}
              {admin && (
                <Button
                  size="xs"
                  variant="subtle"
                  color="red"
                  loading={remove.isPending && remove.variables === r.id}
                  onClick={() => {
                    if (window.confirm(`Remove ${r.name}? Its upcoming shifts are removed; past shifts stay in the record.`)) remove.mutate(r.id)
                  }}
                >
                  Remove
                </Button>
              )}
            </Group>
          </Group>
        </Card>
      ))}
      {form && <RotationForm opened onClose={() => setForm(null)} kind={form.kind} rotation={form.rotation} />}
      <Modal opened={summaryOf !== null} onClose={() => setSummaryOf(null)} title={summaryOf ? `Summary: ${summaryOf.name}` : ''} size="xl">
        {summaryOf && <RotationSummary rotationId={summaryOf.id} />}
      </Modal>
    </Stack>
  )
}
