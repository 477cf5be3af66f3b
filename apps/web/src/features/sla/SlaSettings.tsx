import type { SlaCalendarDto, SlaPolicyDto } from '@allhands/contract'
import { Alert, Badge, Button, Group, Loader, Stack, Switch, Table, Text, Title } from '@mantine/core'
import { IconCalendarTime, IconClockHour4, IconPlus } from '@tabler/icons-react'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { ConfirmModal } from '../../lib/confirm-modal.tsx'
import { EditDeleteButtons, MoveButtons, movedIds } from '../../lib/row-actions.tsx'
import { PRIORITY_LABEL } from '../../lib/format.ts'
import { queryClient, showError, useInboxes, useTeams } from '../../lib/queries.ts'
import { CalendarDialog } from './CalendarDialog.tsx'
import { PolicyDialog } from './PolicyDialog.tsx'
import { slaApi, slaKeys } from './sla.api.ts'

const minutes = (m: number | null) => (m === null ? '—' : m % 1440 === 0 ? `${m / 1440}d` : m % 60 === 0 ? `${m / 60}h` : `${m}m`)

/** What a policy applies to, in words. */
function useConditionText() {
  const teams = useTeams()
  const inboxes = useInboxes()
  return (p: SlaPolicyDto) => {
    const c = p.conditions
    const parts = [
      c.priorities?.length ? `priority ${c.priorities.map((x) => PRIORITY_LABEL[x]).join('/')}` : null,
      c.teamIds?.length ? `team ${c.teamIds.map((id) => teams.data?.find((t) => t.id === id)?.name ?? `#${id}`).join('/')}` : null,
      c.inboxIds?.length ? `inbox ${c.inboxIds.map((id) => inboxes.data?.find((i) => i.id === id)?.name ?? `#${id}`).join('/')}` : null,
      c.organizationIds?.length ? `${c.organizationIds.length} organization(s)` : null,
      c.tags?.length ? `tagged ${c.tags.join(' or ')}` : null,
    ].filter(Boolean)
    return parts.length ? parts.join(', ') : 'Every ticket'
  }
}

/**
 * Settings → SLA policies (admins): the ordered policies (the first matching one applies to a new ticket), their
 * targets per priority, and the business-hours calendars they count in.
 */
export function SlaSettings() {
  const policies = useQuery({ queryKey: slaKeys.policies, queryFn: slaApi.policies })
  const calendars = useQuery({ queryKey: slaKeys.calendars, queryFn: slaApi.calendars })
  const [editing, setEditing] = useState<SlaPolicyDto | 'new' | null>(null)
  const [editingCalendar, setEditingCalendar] = useState<SlaCalendarDto | 'new' | null>(null)
  const [deleting, setDeleting] = useState<SlaPolicyDto | null>(null)
  const [deletingCalendar, setDeletingCalendar] = useState<SlaCalendarDto | null>(null)
  const conditionText = useConditionText()
  const refresh = () => queryClient.invalidateQueries({ queryKey: slaKeys.all })
  const list = policies.data?.items ?? []
  const cals = calendars.data?.items ?? []

  const reorder = useMutation({ meta: { silent: true }, mutationFn: slaApi.reorder, onError: showError, onSettled: refresh })
  const toggle = useMutation({
    meta: { silent: true },
    mutationFn: (p: SlaPolicyDto) => slaApi.updatePolicy(p.id, { enabled: !p.enabled }),
    onError: showError,
    onSettled: refresh,
  })
  const remove = useMutation({
    meta: { silent: true },
    mutationFn: (p: SlaPolicyDto) => slaApi.deletePolicy(p.id),
    onSuccess: () => setDeleting(null),
    onError: showError,
    onSettled: refresh,
  })
  const removeCalendar = useMutation({
    meta: { silent: true },
    mutationFn: (c: SlaCalendarDto) => slaApi.deleteCalendar(c.id),
    onSuccess: () => setDeletingCalendar(null),
    onError: showError,
    onSettled: refresh,
  })

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} size="h4">
          SLA policies
        </Title>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
          New policy
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        A new ticket gets the first enabled policy, in this order, whose conditions it matches. Its clocks count first response, next response (after each
        customer message) and resolution in business minutes; pending and on-hold pause resolution. Agents see the clocks on tickets and in lists, and are
        warned before a breach. See docs/SLA.md.
      </Text>
      {(policies.isPending || calendars.isPending) && <Loader size="sm" aria-label="Loading SLA policies" />}
      {policies.isError && <Alert color="red">{policies.error.message}</Alert>}
      {policies.data && list.length === 0 && (
        <Alert color="blue" icon={<IconClockHour4 size={18} />} title="No SLA policies yet">
          Create one to give tickets response and resolution targets, for example one hour to first response for urgent tickets.
        </Alert>
      )}
      {list.length > 0 && (
        <Table aria-label="SLA policies" verticalSpacing="xs" highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={80}>Order</Table.Th>
              <Table.Th>Policy</Table.Th>
              <Table.Th>Targets (first / next / resolution)</Table.Th>
              <Table.Th>On</Table.Th>
              <Table.Th w={90} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((p, i) => (
              <Table.Tr key={p.id}>
                <Table.Td>
                  <Group gap={2} wrap="nowrap">
                    <MoveButtons
                      name={p.name}
                      index={i}
                      count={list.length}
                      disabled={reorder.isPending}
                      onMove={(by) => reorder.mutate(movedIds(list, i, by))}
                    />
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {p.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {conditionText(p)} · {cals.find((c) => c.id === p.calendarId)?.name ?? '24/7'} · warn at {p.warnPercent}%
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Stack gap={0}>
                    {(['urgent', 'high', 'normal', 'low'] as const).map((pr) => (
                      <Text key={pr} size="xs">
                        <Badge size="xs" variant="dot" mr={4}>
                          {PRIORITY_LABEL[pr]}
                        </Badge>
                        {minutes(p.targets[pr].firstResponse)} / {minutes(p.targets[pr].nextResponse)} / {minutes(p.targets[pr].resolution)}
                      </Text>
                    ))}
                  </Stack>
                </Table.Td>
                <Table.Td>
                  <Switch aria-label={`${p.name} enabled`} checked={p.enabled} onChange={() => toggle.mutate(p)} />
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <EditDeleteButtons name={p.name} onEdit={() => setEditing(p)} onDelete={() => setDeleting(p)} />
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}

      <Group justify="space-between" mt="lg">
        <Title order={3} size="h5">
          Business hours
        </Title>
        <Button variant="light" leftSection={<IconCalendarTime size={16} />} onClick={() => setEditingCalendar('new')}>
          New calendar
        </Button>
      </Group>
      {calendars.data && cals.length === 0 && (
        <Text size="sm" c="dimmed">
          No calendars: policies count around the clock (24/7). Add one to count only working hours in a time zone, without holidays.
        </Text>
      )}
      {cals.length > 0 && (
        <Table aria-label="Business-hours calendars" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Calendar</Table.Th>
              <Table.Th>Time zone</Table.Th>
              <Table.Th>Working days</Table.Th>
              <Table.Th>Holidays</Table.Th>
              <Table.Th w={90} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {cals.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>{c.name}</Table.Td>
                <Table.Td>{c.timeZone}</Table.Td>
                <Table.Td>
                  <Text size="xs">
                    {c.week
                      .map((d, i) => (d.length ? `${['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'][i]} ${d.map((x) => `${x.start}–${x.end}`).join(', ')}` : null))
                      .filter(Boolean)
                      .join(' · ')}
                  </Text>
                </Table.Td>
                <Table.Td>{c.holidays.length}</Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <EditDeleteButtons name={c.name} onEdit={() => setEditingCalendar(c)} onDelete={() => setDeletingCalendar(c)} />
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}

      {editing && (
        <PolicyDialog
          policy={editing === 'new' ? null : editing}
          calendars={cals}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null)
            void refresh()
          }}
        />
      )}
      {editingCalendar && (
        <CalendarDialog
          calendar={editingCalendar === 'new' ? null : editingCalendar}
          onClose={() => setEditingCalendar(null)}
          onSaved={() => {
            setEditingCalendar(null)
            void refresh()
          }}
        />
      )}
      <ConfirmModal
        opened={!!deleting}
        title="Delete SLA policy"
        confirmLabel="Delete policy"
        danger
        loading={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onClose={() => setDeleting(null)}
      >
        Delete “{deleting?.name}”? New tickets will no longer get its targets; clocks already running keep them.
      </ConfirmModal>
      <ConfirmModal
        opened={!!deletingCalendar}
        title="Delete calendar"
        confirmLabel="Delete calendar"
        danger
        loading={removeCalendar.isPending}
        onConfirm={() => deletingCalendar && removeCalendar.mutate(deletingCalendar)}
        onClose={() => setDeletingCalendar(null)}
      >
        Delete “{deletingCalendar?.name}”? A calendar that a policy uses cannot be deleted.
      </ConfirmModal>
    </Stack>
  )
}
