import { AUTOMATION_ACTION_LABELS, AUTOMATION_PLACEHOLDERS, type AutomationAction, type AutomationActionType } from '@allhands/contract'
import { ActionIcon, Button, Code, Group, Paper, Select, Stack, TagsInput, Text, Textarea, TextInput, Tooltip } from '@mantine/core'
import { IconPlus, IconTrash } from '@tabler/icons-react'
import { priorityOptions, statusOptions } from '../../lib/format.ts'
import { useCustomFields, useTeams, useUsers } from '../../lib/queries.ts'

/** A fresh action of a type, with empty or first-choice values. */
export function newAction(type: AutomationActionType): AutomationAction {
  switch (type) {
    case 'set_status':
      return { type, status: 'solved' }
    case 'set_priority':
      return { type, priority: 'high' }
    case 'assign':
      return { type, userId: null }
    case 'set_team':
      return { type, teamId: null }
    case 'add_tags':
    case 'remove_tags':
      return { type, tags: [] }
    case 'set_custom_field':
      return { type, key: '', value: '' }
    case 'add_note':
      return { type, body: '' }
    case 'email_requester':
      return { type, subject: 'About your request #{{ticket.id}}', body: '' }
    case 'email_team':
      return { type, teamId: 0, subject: 'Ticket #{{ticket.id}} needs attention', body: '' }
    case 'call_webhook':
      return { type, url: '' }
  }
}

const PLACEHOLDER_HINT = `Placeholders: ${AUTOMATION_PLACEHOLDERS.map((p) => `{{${p}}}`).join(' ')}. Values are escaped; nothing else is evaluated.`

function ActionFields({ a, n, onChange }: { a: AutomationAction; n: number; onChange: (a: AutomationAction) => void }) {
  const users = useUsers()
  const teams = useTeams()
  const customFields = useCustomFields()
  const userData = (users.data ?? []).filter((u) => u.isActive && u.role !== 'contributor').map((u) => ({ value: String(u.id), label: u.name }))
  const teamData = (teams.data ?? []).map((t) => ({ value: String(t.id), label: t.name }))
  const label = (what: string) => `Action ${n} ${what}`
  switch (a.type) {
    case 'set_status':
      return (
        <Select
          size="xs"
          aria-label={label('status')}
          data={statusOptions}
          allowDeselect={false}
          value={a.status}
          onChange={(v) => v && onChange({ ...a, status: v as typeof a.status })}
        />
      )
    case 'set_priority':
      return (
        <Select
          size="xs"
          aria-label={label('priority')}
          data={priorityOptions}
          allowDeselect={false}
          value={a.priority}
          onChange={(v) => v && onChange({ ...a, priority: v as typeof a.priority })}
        />
      )
    case 'assign':
      return (
        <Select
          size="xs"
          aria-label={label('assignee')}
          placeholder="Nobody (unassign)"
          data={userData}
          searchable
          clearable
          value={a.userId ? String(a.userId) : null}
          onChange={(v) => onChange({ ...a, userId: v ? Number(v) : null })}
        />
      )
    case 'set_team':
      return (
        <Select
          size="xs"
          aria-label={label('team')}
          placeholder="No team"
          data={teamData}
          clearable
          value={a.teamId ? String(a.teamId) : null}
          onChange={(v) => onChange({ ...a, teamId: v ? Number(v) : null })}
        />
      )
    case 'add_tags':
    case 'remove_tags':
      return (
        <TagsInput
          size="xs"
          aria-label={label('tags')}
          placeholder="Type a tag, press Enter"
          value={a.tags}
          onChange={(tags) => onChange({ ...a, tags: tags.map((t) => t.toLowerCase()) })}
        />
      )
    case 'set_custom_field':
      return (
        <Group gap="xs" grow>
          <Select
            size="xs"
            aria-label={label('custom field')}
            data={(customFields.data ?? []).filter((f) => f.entity === 'ticket').map((f) => ({ value: f.key, label: f.label }))}
            value={a.key || null}
            onChange={(v) => onChange({ ...a, key: v ?? '' })}
          />
          <TextInput
            size="xs"
            aria-label={label('value')}
            value={a.value === null || a.value === undefined ? '' : String(a.value)}
            onChange={(e) => onChange({ ...a, value: e.currentTarget.value })}
          />
        </Group>
      )
    case 'add_note':
      return (
        <Textarea
          size="xs"
          aria-label={label('note')}
          description={PLACEHOLDER_HINT}
          autosize
          minRows={2}
          maxLength={20000}
          value={a.body}
          onChange={(e) => onChange({ ...a, body: e.currentTarget.value })}
        />
      )
    case 'email_requester':
    case 'email_team':
      return (
        <Stack gap={4}>
          {a.type === 'email_team' && (
            <Select
              size="xs"
              aria-label={label('team to email')}
              placeholder="Choose a team"
              data={teamData}
              value={a.teamId ? String(a.teamId) : null}
              onChange={(v) => onChange({ ...a, teamId: v ? Number(v) : 0 })}
            />
          )}
          <TextInput
            size="xs"
            aria-label={label('email subject')}
            placeholder="Subject"
            maxLength={300}
            value={a.subject}
            onChange={(e) => onChange({ ...a, subject: e.currentTarget.value })}
          />
          <Textarea
            size="xs"
            aria-label={label('email body')}
            description={PLACEHOLDER_HINT}
            autosize
            minRows={3}
            maxLength={20000}
            value={a.body}
            onChange={(e) => onChange({ ...a, body: e.currentTarget.value })}
          />
        </Stack>
      )
    case 'call_webhook':
      return (
        <TextInput
          size="xs"
          type="url"
          aria-label={label('webhook URL')}
          description="Gets a JSON POST {type: 'automation.fired', automation, trigger, ticket}; retried until it answers 2xx"
          placeholder="https://example.com/hooks/allhands"
          maxLength={2000}
          value={a.url}
          onChange={(e) => onChange({ ...a, url: e.currentTarget.value })}
        />
      )
  }
}

/** The rule's actions, in the order they are applied. */
export function ActionRows({ actions, onChange }: { actions: AutomationAction[]; onChange: (a: AutomationAction[]) => void }) {
  const typeData = Object.entries(AUTOMATION_ACTION_LABELS).map(([value, label]) => ({ value, label }))
  return (
    <Stack gap="xs">
      <Text size="sm" fw={500}>
        Actions
      </Text>
      {actions.length === 0 && (
        <Text size="xs" c="dimmed">
          Add at least one action.
        </Text>
      )}
      {actions.map((a, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: actions have no identity of their own; order is the identity
        <Paper key={i} withBorder p="xs" data-action-row={i}>
          <Group align="flex-start" gap="xs" wrap="nowrap">
            <Select
              size="xs"
              w={180}
              aria-label={`Action ${i + 1} type`}
              data={typeData}
              allowDeselect={false}
              value={a.type}
              onChange={(t) => t && onChange(actions.map((x, j) => (j === i ? newAction(t as AutomationActionType) : x)))}
            />
            <div style={{ flex: 1 }}>
              <ActionFields a={a} n={i + 1} onChange={(next) => onChange(actions.map((x, j) => (j === i ? next : x)))} />
            </div>
            <Tooltip label="Remove action">
              <ActionIcon variant="subtle" color="red" aria-label={`Remove action ${i + 1}`} onClick={() => onChange(actions.filter((_, j) => j !== i))}>
                <IconTrash size={16} />
              </ActionIcon>
            </Tooltip>
          </Group>
        </Paper>
      ))}
      <Button
        size="compact-xs"
        variant="light"
        w="fit-content"
        leftSection={<IconPlus size={14} />}
        onClick={() => onChange([...actions, newAction('add_tags')])}
      >
        Add action
      </Button>
      <Text size="xs" c="dimmed">
        Templates are filled with <Code>{'{{placeholders}}'}</Code> only: no code runs and every value is escaped.
      </Text>
    </Stack>
  )
}
