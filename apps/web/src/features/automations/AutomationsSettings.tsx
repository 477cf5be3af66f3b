import { AUTOMATION_TRIGGER_LABELS, type AutomationDto } from '@allhands/contract'
import { Alert, Badge, Button, Group, Loader, Stack, Switch, Table, Text, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconPlus, IconRobot } from '@tabler/icons-react'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { EditDeleteButtons, MoveButtons, movedIds } from '../../lib/row-actions.tsx'
import { ConfirmModal } from '../../lib/confirm-modal.tsx'
import { fullTime, relativeTime } from '../../lib/format.ts'
import { queryClient, showError } from '../../lib/queries.ts'
import { realtime, useRoom } from '../../lib/realtime.ts'
import { AutomationEditor } from './AutomationEditor.tsx'
import { automationKeys, automationsApi } from './automations.api.ts'

/** Run counts change as rules fire: refetch (at most every two seconds) when the `automations` room says so. */
function useLiveRunCounts() {
  useRoom('automations')
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null
    const off = realtime.onEvent((e) => {
      if (e.name !== 'automation.applied' || e.room !== 'automations' || timer) return
      timer = setTimeout(() => {
        timer = null
        void queryClient.invalidateQueries({ queryKey: automationKeys.list })
      }, 2000)
    })
    return () => {
      off()
      if (timer) clearTimeout(timer)
    }
  }, [])
}

/**
 * Settings → Automations (admins): the rules in run order (move up/down), on/off, how often each fired and when
 * last, and the editor with its dry run.
 */
export function AutomationsSettings() {
  const automations = useQuery({ queryKey: automationKeys.list, queryFn: automationsApi.list, refetchOnWindowFocus: true })
  const [editing, setEditing] = useState<AutomationDto | 'new' | null>(null)
  const [deleting, setDeleting] = useState<AutomationDto | null>(null)
  useLiveRunCounts()
  const refresh = () => queryClient.invalidateQueries({ queryKey: automationKeys.all })

  const toggle = useMutation({
    meta: { silent: true },
    mutationFn: (a: AutomationDto) => automationsApi.update(a.id, { enabled: !a.enabled }),
    onError: showError,
    onSettled: refresh,
  })
  const reorder = useMutation({
    meta: { silent: true },
    mutationFn: (ids: number[]) => automationsApi.reorder(ids),
    onSuccess: (list) => queryClient.setQueryData(automationKeys.list, list),
    onError: showError,
    onSettled: refresh,
  })
  const remove = useMutation({
    meta: { silent: true },
    mutationFn: (a: AutomationDto) => automationsApi.remove(a.id),
    onSuccess: (_r, a) => {
      setDeleting(null)
      notifications.show({ color: 'gray', message: `The automation “${a.name}” was deleted.` })
    },
    onError: showError,
    onSettled: refresh,
  })
  const list = automations.data?.items ?? []

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} size="h4">
          Automations
        </Title>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
          New automation
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        Rules act on tickets when something happens (a ticket is created or updated, a message arrives, an SLA target is near or breached, a survey is answered)
        or when a ticket has waited long enough. They run top to bottom, as “Automation”, a moment after the change. A rule never fires on its own changes, and
        automations leave a ticket alone after {automations.data?.capPerTicketPerHour ?? 10} firings in an hour. See docs/AUTOMATIONS.md.
      </Text>
      {automations.isPending && <Loader size="sm" aria-label="Loading automations" />}
      {automations.isError && (
        <Alert color="red" title="Automations could not be loaded">
          {automations.error.message}{' '}
          <Button size="compact-xs" variant="light" onClick={() => void automations.refetch()}>
            Try again
          </Button>
        </Alert>
      )}
      {automations.data && list.length === 0 && (
        <Alert color="blue" icon={<IconRobot size={18} />} title="No automations yet">
          Create one to route refund requests to Billing, remind customers about pending tickets after three days, or close solved tickets after four. Use the
          dry run to see which recent tickets a rule would match before you turn it on.
        </Alert>
      )}
      {list.length > 0 && (
        <Table aria-label="Automations" verticalSpacing="xs" highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>#</Table.Th>
              <Table.Th>Rule</Table.Th>
              <Table.Th>When</Table.Th>
              <Table.Th>Fired</Table.Th>
              <Table.Th>On</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((a, i) => (
              <Table.Tr key={a.id} data-automation-id={a.id}>
                <Table.Td>{i + 1}</Table.Td>
                <Table.Td style={{ maxWidth: 320 }}>
                  <Text size="sm" fw={500}>
                    {a.name}
                  </Text>
                  {a.description && (
                    <Text size="xs" c="dimmed">
                      {a.description}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Badge variant="outline" tt="none" size="sm">
                    {AUTOMATION_TRIGGER_LABELS[a.trigger]}
                    {a.schedule ? ` · ${a.schedule.hours} h after ${a.schedule.anchor}` : ''}
                  </Badge>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Text size="xs" title={a.lastFiredAt ? fullTime(a.lastFiredAt) : undefined}>
                    {a.runCount} {a.runCount === 1 ? 'time' : 'times'}
                    {a.lastFiredAt ? `, last ${relativeTime(a.lastFiredAt)}` : ''}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Switch
                    aria-label={`Enable ${a.name}`}
                    checked={a.enabled}
                    disabled={toggle.isPending && toggle.variables?.id === a.id}
                    onChange={() => toggle.mutate(a)}
                  />
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap" justify="end">
                    <MoveButtons
                      name={a.name}
                      index={i}
                      count={list.length}
                      disabled={reorder.isPending}
                      onMove={(by) => reorder.mutate(movedIds(list, i, by))}
                      labels={['Run earlier', 'Run later']}
                    />
                    <EditDeleteButtons name={a.name} onEdit={() => setEditing(a)} onDelete={() => setDeleting(a)} />
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {editing && <AutomationEditor automation={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
      <ConfirmModal
        opened={!!deleting}
        title="Delete automation"
        confirmLabel="Delete"
        danger
        loading={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onClose={() => setDeleting(null)}
      >
        Delete “{deleting?.name}”? It stops acting on tickets at once; what it already did stays.
      </ConfirmModal>
    </Stack>
  )
}
