import { AUTOMATION_ACTION_LABELS, AUTOMATION_PLACEHOLDERS, type AutomationAction, type AutomationActionType } from '@allhands/contract'
import { ActionIcon, Button, Code, Group, Paper, Select, Stack, TagsInput, Text, Textarea, TextInput, Tooltip } from '@mantine/core'
import { IconPlus, IconTrash } from '@tabler/icons-react'
import { priorityOptions, statusOptions } from '../../lib/format.ts'
import { useCustomFields, useTeams, useUsers } from '../../lib/queries.ts'

type ActionOf<T extends AutomationActionType> = Extract<AutomationAction, { type: T }>
/** The option lists a select may offer. */
type Choices = 'status' | 'priority' | 'agents' | 'teams' | 'ticketFields'
type Key<A> = Exclude<keyof A, 'type'> & string
/** One input of an action's form; `label` completes its accessible name ("Action 2 <label>"). */
type Field<A> =
  | {
      kind: 'select'
      key: Key<A>
      label: string
      choices: Choices
      placeholder?: string
      searchable?: boolean
      clearable?: boolean
      /** What deselecting stores; without it the select cannot be emptied. */
      cleared?: null | 0 | ''
    }
  | { kind: 'text'; key: Key<A>; label: string; placeholder?: string; maxLength?: number; url?: { description: string } }
  /** A template (note or email body): placeholders hint, 20,000 characters at most. */
  | { kind: 'template'; key: Key<A>; label: string; minRows: number }
  | { kind: 'tags'; key: Key<A>; label: string }
type ActionForm<T extends AutomationActionType> = {
  /** A fresh action's values: empty or the first sensible choice. */
  initial: Omit<ActionOf<T>, 'type'>
  fields: Field<ActionOf<T>>[]
  /** Side by side rather than stacked. */
  inline?: boolean
}

const emailFields = [
  { kind: 'text', key: 'subject', label: 'email subject', placeholder: 'Subject', maxLength: 300 },
  { kind: 'template', key: 'body', label: 'email body', minRows: 3 },
] as const

/** Every action type's inputs, as data: one renderer below draws them all. */
const ACTION_FORMS: { [T in AutomationActionType]: ActionForm<T> } = {
  set_status: { initial: { status: 'solved' }, fields: [{ kind: 'select', key: 'status', label: 'status', choices: 'status' }] },
  set_priority: { initial: { priority: 'high' }, fields: [{ kind: 'select', key: 'priority', label: 'priority', choices: 'priority' }] },
  assign: {
    initial: { userId: null },
    fields: [
      {
        kind: 'select',
        key: 'userId',
        label: 'assignee',
        choices: 'agents',
        placeholder: 'Nobody (unassign)',
        searchable: true,
        clearable: true,
        cleared: null,
      },
    ],
  },
  set_team: {
    initial: { teamId: null },
    fields: [{ kind: 'select', key: 'teamId', label: 'team', choices: 'teams', placeholder: 'No team', clearable: true, cleared: null }],
  },
  add_tags: { initial: { tags: [] }, fields: [{ kind: 'tags', key: 'tags', label: 'tags' }] },
  remove_tags: { initial: { tags: [] }, fields: [{ kind: 'tags', key: 'tags', label: 'tags' }] },
  set_custom_field: {
    initial: { key: '', value: '' },
    inline: true,
    fields: [
      { kind: 'select', key: 'key', label: 'custom field', choices: 'ticketFields', cleared: '' },
      { kind: 'text', key: 'value', label: 'value' },
    ],
  },
  add_note: { initial: { body: '' }, fields: [{ kind: 'template', key: 'body', label: 'note', minRows: 2 }] },
  email_requester: { initial: { subject: 'About your request #{{ticket.id}}', body: '' }, fields: [...emailFields] },
  email_team: {
    initial: { teamId: 0, subject: 'Ticket #{{ticket.id}} needs attention', body: '' },
    fields: [{ kind: 'select', key: 'teamId', label: 'team to email', choices: 'teams', placeholder: 'Choose a team', cleared: 0 }, ...emailFields],
  },
  call_webhook: {
    initial: { url: '' },
    fields: [
      {
        kind: 'text',
        key: 'url',
        label: 'webhook URL',
        placeholder: 'https://example.com/hooks/allhands',
        maxLength: 2000,
        url: { description: "Gets a JSON POST {type: 'automation.fired', automation, trigger, ticket}; retried until it answers 2xx" },
      },
    ],
  },
}

/** A fresh action of a type, with empty or first-choice values. */
export function newAction(type: AutomationActionType): AutomationAction {
  return { type, ...ACTION_FORMS[type].initial } as AutomationAction
}

const PLACEHOLDER_HINT = `Placeholders: ${AUTOMATION_PLACEHOLDERS.map((p) => `{{${p}}}`).join(' ')}. Values are escaped; nothing else is evaluated.`

type Option = { value: string; label: string }

function useChoices(): Record<Choices, Option[]> {
  const users = useUsers()
  const teams = useTeams()
  const customFields = useCustomFields()
  return {
    status: statusOptions,
    priority: priorityOptions,
    agents: (users.data ?? []).filter((u) => u.isActive && u.role !== 'contributor').map((u) => ({ value: String(u.id), label: u.name })),
    teams: (teams.data ?? []).map((t) => ({ value: String(t.id), label: t.name })),
    ticketFields: (customFields.data ?? []).filter((f) => f.entity === 'ticket').map((f) => ({ value: f.key, label: f.label })),
  }
}

function FieldInput({
  f,
  value,
  label,
  options,
  onChange,
}: {
  f: Field<never>
  value: unknown
  label: string
  options: Option[]
  onChange: (v: unknown) => void
}) {
  switch (f.kind) {
    case 'select':
      return (
        <Select
          size="xs"
          aria-label={label}
          placeholder={f.placeholder}
          data={options}
          searchable={f.searchable}
          clearable={f.clearable}
          allowDeselect={f.cleared !== undefined}
          value={value ? String(value) : null}
          onChange={(v) => {
            // Ids travel as numbers; a cleared select stores what its action means by "none".
            if (v !== null) onChange(f.choices === 'agents' || f.choices === 'teams' ? Number(v) : v)
            else if (f.cleared !== undefined) onChange(f.cleared)
          }}
        />
      )
    case 'text':
      return (
        <TextInput
          size="xs"
          type={f.url ? 'url' : undefined}
          aria-label={label}
          description={f.url?.description}
          placeholder={f.placeholder}
          maxLength={f.maxLength}
          value={value === null || value === undefined ? '' : String(value)}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      )
    case 'template':
      return (
        <Textarea
          size="xs"
          aria-label={label}
          description={PLACEHOLDER_HINT}
          autosize
          minRows={f.minRows}
          maxLength={20000}
          value={String(value ?? '')}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      )
    case 'tags':
      return (
        <TagsInput
          size="xs"
          aria-label={label}
          placeholder="Type a tag, press Enter"
          value={value as string[]}
          onChange={(tags) => onChange(tags.map((t) => t.toLowerCase()))}
        />
      )
  }
}

function ActionFields({ a, n, onChange }: { a: AutomationAction; n: number; onChange: (a: AutomationAction) => void }) {
  const choices = useChoices()
  const form = ACTION_FORMS[a.type] as ActionForm<AutomationActionType>
  const values = a as Record<string, unknown>
  const inputs = (form.fields as Field<never>[]).map((f) => (
    <FieldInput
      key={f.key}
      f={f}
      value={values[f.key]}
      label={`Action ${n} ${f.label}`}
      options={f.kind === 'select' ? choices[f.choices] : []}
      onChange={(v) => onChange({ ...a, [f.key]: v } as AutomationAction)}
    />
  ))
  if (inputs.length === 1) return inputs[0]
  return form.inline ? (
    <Group gap="xs" grow>
      {inputs}
    </Group>
  ) : (
    <Stack gap={4}>{inputs}</Stack>
  )
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
