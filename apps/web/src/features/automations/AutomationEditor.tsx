import {
  AUTOMATION_TIME_ANCHORS,
  AUTOMATION_TRIGGER_LABELS,
  AUTOMATION_TRIGGERS,
  type AutomationAction,
  type AutomationDryRunResult,
  type AutomationDto,
  type AutomationInput,
  type AutomationTimeAnchor,
  type AutomationTrigger,
} from '@allhands/contract'
import { Alert, Badge, Button, Divider, Group, List, Loader, Modal, NumberInput, Select, Stack, Switch, Table, Text, Textarea, TextInput } from '@mantine/core'
import { IconFlask } from '@tabler/icons-react'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { ApiError } from '../../lib/api.ts'
import { STATUS_LABEL } from '../../lib/format.ts'
import { RouterAnchor } from '../../lib/links.tsx'
import { queryClient } from '../../lib/queries.ts'
import { ActionRows } from './ActionRows.tsx'
import { automationKeys, automationsApi } from './automations.api.ts'
import { type ConditionRow, ConditionRows } from './ConditionRows.tsx'

const ANCHOR_LABEL: Record<AutomationTimeAnchor, string> = { updated: 'last update', created: 'creation', solved: 'being solved' }

/** A 422's problems ({path, message}) as a list, else the error's message. */
function ErrorList({ error }: { error: unknown }) {
  const problems = error instanceof ApiError ? ((error.details as { problems?: { path: string; message: string }[] } | undefined)?.problems ?? []) : []
  if (!problems.length) return <>{error instanceof Error ? error.message : 'Something went wrong'}</>
  return (
    <List size="sm">
      {problems.map((p) => (
        <List.Item key={`${p.path}:${p.message}`}>
          <strong>{p.path}</strong>: {p.message}
        </List.Item>
      ))}
    </List>
  )
}

/** Which recent tickets the rule as edited would match, and what it would do; nothing is changed. */
function DryRunPanel({ rule }: { rule: () => AutomationInput }) {
  const [limit, setLimit] = useState(100)
  const run = useMutation({ meta: { silent: true }, mutationFn: () => automationsApi.dryRun({ rule: rule(), limit }) })
  const result: AutomationDryRunResult | undefined = run.data
  return (
    <Stack gap="xs" aria-label="Dry run">
      <Group gap="xs" align="flex-end">
        <NumberInput
          size="xs"
          label="Recent tickets to test"
          min={1}
          max={500}
          w={170}
          value={limit}
          onChange={(v) => setLimit(Math.min(500, Math.max(1, Number(v) || 1)))}
        />
        <Button size="xs" variant="light" leftSection={<IconFlask size={14} />} loading={run.isPending} onClick={() => run.mutate()}>
          Dry run
        </Button>
      </Group>
      {run.isPending && <Loader size="xs" aria-label="Testing the rule" />}
      {run.isError && (
        <Alert color="red" title="The rule cannot be tested yet">
          <ErrorList error={run.error} />
        </Alert>
      )}
      {result && (
        <Stack gap={4}>
          <Text size="sm" role="status">
            {result.matched.length} of the {result.evaluated} most recently updated tickets would match. Nothing was changed.
          </Text>
          {result.matched.length > 0 && (
            <Table aria-label="Tickets the rule would match" verticalSpacing={4}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Ticket</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Would</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {result.matched.map((m) => (
                  <Table.Tr key={m.ticketId}>
                    <Table.Td>
                      <RouterAnchor to="/tickets/$ticketId" params={{ ticketId: String(m.ticketId) }} size="sm" target="_blank">
                        #{m.ticketId} {m.subject}
                      </RouterAnchor>
                    </Table.Td>
                    <Table.Td>
                      <Badge size="xs" variant="light">
                        {STATUS_LABEL[m.status]}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs">{m.wouldDo.join(' · ')}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      )}
    </Stack>
  )
}

/** Creates or edits a rule: trigger (and schedule for time rules), condition rows, action rows, and a dry run. */
export function AutomationEditor({ automation, onClose }: { automation?: AutomationDto; onClose: () => void }) {
  const [name, setName] = useState(automation?.name ?? '')
  const [description, setDescription] = useState(automation?.description ?? '')
  const [enabled, setEnabled] = useState(automation?.enabled ?? true)
  const [trigger, setTrigger] = useState<AutomationTrigger>(automation?.trigger ?? 'ticket.created')
  const [anchor, setAnchor] = useState<AutomationTimeAnchor>(automation?.schedule?.anchor ?? 'updated')
  const [hours, setHours] = useState(automation?.schedule?.hours ?? 72)
  const initial = automation?.conditions ?? { all: [] }
  const [mode, setMode] = useState<'all' | 'any'>('all' in initial ? 'all' : 'any')
  const [rows, setRows] = useState<ConditionRow[]>('all' in initial ? initial.all : initial.any)
  const [actions, setActions] = useState<AutomationAction[]>(automation?.actions ?? [])

  const rule = (): AutomationInput => ({
    name: name.trim() || 'Untitled rule',
    description: description.trim(),
    enabled,
    trigger,
    schedule: trigger === 'time' ? { anchor, hours } : null,
    conditions: mode === 'all' ? { all: rows } : { any: rows },
    actions,
  })
  const save = useMutation({
    meta: { silent: true },
    mutationFn: () => (automation ? automationsApi.update(automation.id, rule()) : automationsApi.create(rule())),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: automationKeys.all })
      onClose()
    },
  })

  return (
    <Modal opened onClose={onClose} title={automation ? `Edit automation “${automation.name}”` : 'New automation'} size="xl">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          save.mutate()
        }}
      >
        <Stack>
          {save.isError && (
            <Alert color="red" role="alert" title="Not saved">
              <ErrorList error={save.error} />
            </Alert>
          )}
          <TextInput label="Name" required maxLength={120} value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
          <Textarea label="Description" maxLength={1000} autosize minRows={1} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          <Group align="flex-end">
            <Select
              label="When"
              data={AUTOMATION_TRIGGERS.map((t) => ({ value: t, label: AUTOMATION_TRIGGER_LABELS[t] }))}
              allowDeselect={false}
              value={trigger}
              onChange={(v) => v && setTrigger(v as AutomationTrigger)}
              w={280}
            />
            {trigger === 'time' && (
              <>
                <NumberInput label="Hours" min={1} max={8760} w={110} value={hours} onChange={(v) => setHours(Math.max(1, Number(v) || 1))} />
                <Select
                  label="after the ticket's"
                  data={AUTOMATION_TIME_ANCHORS.map((a) => ({ value: a, label: ANCHOR_LABEL[a] }))}
                  allowDeselect={false}
                  value={anchor}
                  onChange={(v) => v && setAnchor(v as AutomationTimeAnchor)}
                  w={180}
                />
              </>
            )}
            <Switch label="Enabled" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} mb={6} />
          </Group>
          {trigger === 'time' && (
            <Text size="xs" c="dimmed">
              Checked every minute. Fires once per ticket each time the {ANCHOR_LABEL[anchor]} is more than {hours} hours ago; a ticket changed since is looked
              at again after another {hours} hours.
            </Text>
          )}
          <ConditionRows mode={mode} rows={rows} onMode={setMode} onRows={setRows} />
          <ActionRows actions={actions} onChange={setActions} />
          <Divider label="Dry run" labelPosition="left" />
          <DryRunPanel rule={rule} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!name.trim() || !actions.length}>
              {automation ? 'Save' : 'Create'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
