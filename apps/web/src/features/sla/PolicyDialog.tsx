import type { Priority, SlaCalendarDto, SlaPolicyDto, SlaPolicyInput, SlaTargets } from '@allhands/contract'
import { Button, Group, Modal, MultiSelect, NumberInput, Select, Stack, Switch, Table, TagsInput, Text, TextInput } from '@mantine/core'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { PRIORITIES, PRIORITY_LABEL, priorityOptions } from '../../lib/format.ts'
import { showError, useInboxes, useTeams } from '../../lib/queries.ts'
import { slaApi } from './sla.api.ts'

const METRICS: { key: keyof SlaTargets; label: string }[] = [
  { key: 'firstResponse', label: 'First response' },
  { key: 'nextResponse', label: 'Next response' },
  { key: 'resolution', label: 'Resolution' },
]
const empty: SlaTargets = { firstResponse: null, nextResponse: null, resolution: null }

/** Creates or edits an SLA policy: conditions, targets per priority (business minutes), calendar, warning threshold. */
export function PolicyDialog({
  policy,
  calendars,
  onClose,
  onSaved,
}: {
  policy: SlaPolicyDto | null
  calendars: SlaCalendarDto[]
  onClose: () => void
  onSaved: () => void
}) {
  const teams = useTeams()
  const inboxes = useInboxes()
  const [name, setName] = useState(policy?.name ?? '')
  const [enabled, setEnabled] = useState(policy?.enabled ?? true)
  const [calendarId, setCalendarId] = useState<string | null>(policy?.calendarId ? String(policy.calendarId) : null)
  const [warnPercent, setWarnPercent] = useState<number>(policy?.warnPercent ?? 80)
  const [priorities, setPriorities] = useState<string[]>(policy?.conditions.priorities ?? [])
  const [teamIds, setTeamIds] = useState<string[]>((policy?.conditions.teamIds ?? []).map(String))
  const [inboxIds, setInboxIds] = useState<string[]>((policy?.conditions.inboxIds ?? []).map(String))
  const [tags, setTags] = useState<string[]>(policy?.conditions.tags ?? [])
  const [targets, setTargets] = useState<Record<Priority, SlaTargets>>(
    policy?.targets ?? { low: { ...empty }, normal: { ...empty }, high: { ...empty }, urgent: { ...empty } },
  )
  const setTarget = (p: Priority, key: keyof SlaTargets, v: string | number) =>
    setTargets((t) => ({ ...t, [p]: { ...t[p], [key]: v === '' || v === 0 ? null : Number(v) } }))

  const save = useMutation({
    meta: { silent: true },
    mutationFn: () => {
      const input: SlaPolicyInput = {
        name: name.trim(),
        enabled,
        calendarId: calendarId ? Number(calendarId) : null,
        warnPercent,
        targets,
        conditions: {
          ...(priorities.length ? { priorities: priorities as Priority[] } : {}),
          ...(teamIds.length ? { teamIds: teamIds.map(Number) } : {}),
          ...(inboxIds.length ? { inboxIds: inboxIds.map(Number) } : {}),
          ...(tags.length ? { tags } : {}),
        },
      }
      return policy ? slaApi.updatePolicy(policy.id, input) : slaApi.createPolicy(input)
    },
    onSuccess: onSaved,
    onError: showError,
  })

  return (
    <Modal opened onClose={onClose} title={policy ? `Edit ${policy.name}` : 'New SLA policy'} size="xl">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          save.mutate()
        }}
      >
        <Stack>
          <Group grow align="start">
            <TextInput label="Name" required maxLength={100} value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
            <Select
              label="Business hours"
              description="Targets count only working time of this calendar"
              placeholder="24/7"
              clearable
              data={calendars.map((c) => ({ value: String(c.id), label: `${c.name} (${c.timeZone})` }))}
              value={calendarId}
              onChange={setCalendarId}
            />
            <NumberInput label="Warn at (% of target)" min={1} max={99} value={warnPercent} onChange={(v) => setWarnPercent(typeof v === 'number' ? v : 80)} />
          </Group>
          <Text fw={600} size="sm">
            Applies to tickets that match all of (empty = any)
          </Text>
          <Group grow align="start">
            <MultiSelect label="Priorities" data={priorityOptions} value={priorities} onChange={setPriorities} clearable />
            <MultiSelect
              label="Teams"
              data={(teams.data ?? []).map((t) => ({ value: String(t.id), label: t.name }))}
              value={teamIds}
              onChange={setTeamIds}
              clearable
            />
            <MultiSelect
              label="Inboxes"
              data={(inboxes.data ?? []).map((i) => ({ value: String(i.id), label: i.name }))}
              value={inboxIds}
              onChange={setInboxIds}
              clearable
            />
            <TagsInput label="Any of these tags" value={tags} onChange={setTags} clearable />
          </Group>
          <Text fw={600} size="sm">
            Targets in business minutes (empty = not measured)
          </Text>
          <Table aria-label="Targets per priority" withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Priority</Table.Th>
                {METRICS.map((m) => (
                  <Table.Th key={m.key}>{m.label}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {PRIORITIES.map((p) => (
                <Table.Tr key={p}>
                  <Table.Td>{PRIORITY_LABEL[p]}</Table.Td>
                  {METRICS.map((m) => (
                    <Table.Td key={m.key}>
                      <NumberInput
                        aria-label={`${PRIORITY_LABEL[p]} ${m.label.toLowerCase()} minutes`}
                        min={1}
                        max={525600}
                        allowDecimal={false}
                        placeholder="—"
                        value={targets[p][m.key] ?? ''}
                        onChange={(v) => setTarget(p, m.key, v)}
                      />
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Switch label="Enabled" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
          <Group justify="end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!name.trim()}>
              {policy ? 'Save policy' : 'Create policy'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
