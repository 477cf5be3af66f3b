import {
  AUTOMATION_CUSTOM_FIELD_PREFIX,
  AUTOMATION_FIELDS,
  AUTOMATION_OPERATOR_LABELS,
  AUTOMATION_OPERATORS,
  AUTOMATION_VALUELESS_OPERATORS,
  type AutomationCondition,
  type AutomationConditionGroup,
  type AutomationFieldSpec,
} from '@allhands/contract'
import { ActionIcon, Badge, Button, Group, MultiSelect, NumberInput, SegmentedControl, Select, Stack, TagsInput, Text, TextInput, Tooltip } from '@mantine/core'
import { IconPlus, IconTrash } from '@tabler/icons-react'
import { useCustomFields, useInboxes, useTeams, useUsers } from '../../lib/queries.ts'

export type ConditionRow = AutomationCondition | AutomationConditionGroup
export const isGroup = (c: ConditionRow): c is AutomationConditionGroup => 'all' in c || 'any' in c

const FAMILY_LABEL: Record<string, string> = {
  ticket: 'Ticket',
  requester: 'Requester',
  organization: 'Organization',
  message: 'Message',
  sla: 'SLA',
  csat: 'Satisfaction survey',
  time: 'Time',
}

/** The spec of a field from the contract's list, or a ticket custom field (compared as text). */
export function specOf(field: string): AutomationFieldSpec | undefined {
  if (Object.hasOwn(AUTOMATION_FIELDS, field)) return AUTOMATION_FIELDS[field]
  if (field.startsWith(AUTOMATION_CUSTOM_FIELD_PREFIX)) return { label: field.slice(AUTOMATION_CUSTOM_FIELD_PREFIX.length), type: 'text' }
  return undefined
}

/** The value a fresh condition on this field and operator starts with. */
function defaultValue(spec: AutomationFieldSpec, op: string): AutomationCondition['value'] {
  if ((AUTOMATION_VALUELESS_OPERATORS as readonly string[]).includes(op)) return undefined
  if (op === 'in' || op === 'not_in' || op === 'includes' || op === 'excludes') return []
  if (spec.type === 'boolean') return true
  if (spec.type === 'number') return 0
  if (spec.type === 'enum') return spec.options?.[0] ?? ''
  if (spec.type === 'ref') return null
  return ''
}

export const newCondition = (field = 'ticket.subject'): AutomationCondition => {
  const spec = specOf(field)!
  const op = AUTOMATION_OPERATORS[spec.type][0]!
  return { field, op, value: defaultValue(spec, op) }
}

function ValueInput({
  c,
  spec,
  label,
  onChange,
}: {
  c: AutomationCondition
  spec: AutomationFieldSpec
  label: string
  onChange: (v: AutomationCondition['value']) => void
}) {
  const users = useUsers()
  const teams = useTeams()
  const inboxes = useInboxes()
  if ((AUTOMATION_VALUELESS_OPERATORS as readonly string[]).includes(c.op)) return null
  const multi = c.op === 'in' || c.op === 'not_in' || c.op === 'includes' || c.op === 'excludes'
  const common = { 'aria-label': label, size: 'xs' as const, style: { flex: 1, minWidth: 160 } }
  if (spec.type === 'enum' || spec.type === 'ref') {
    const data =
      spec.type === 'enum'
        ? (spec.options ?? []).map((o) => ({ value: o, label: o }))
        : spec.ref === 'user'
          ? (users.data ?? []).filter((u) => u.role !== 'contributor').map((u) => ({ value: String(u.id), label: u.name }))
          : spec.ref === 'team'
            ? (teams.data ?? []).map((t) => ({ value: String(t.id), label: t.name }))
            : (inboxes.data ?? []).map((i) => ({ value: String(i.id), label: i.name }))
    const toValue = (s: string) => (spec.type === 'ref' ? Number(s) : s)
    if (multi)
      return (
        <MultiSelect
          {...common}
          data={data}
          searchable
          value={(Array.isArray(c.value) ? c.value : []).map(String)}
          onChange={(v) => onChange(v.map(toValue))}
        />
      )
    return (
      <Select
        {...common}
        data={data}
        searchable
        value={c.value === null || c.value === undefined ? null : String(c.value)}
        onChange={(v) => onChange(v === null ? null : toValue(v))}
      />
    )
  }
  if (spec.type === 'tags')
    return (
      <TagsInput
        {...common}
        placeholder="Type a tag, press Enter"
        value={Array.isArray(c.value) ? c.value.map(String) : []}
        onChange={(v) => onChange(v.map((t) => t.toLowerCase()))}
      />
    )
  if (spec.type === 'boolean')
    return (
      <Select
        {...common}
        data={[
          { value: 'true', label: 'yes' },
          { value: 'false', label: 'no' },
        ]}
        value={c.value === false ? 'false' : 'true'}
        onChange={(v) => onChange(v !== 'false')}
        allowDeselect={false}
      />
    )
  if (spec.type === 'number')
    return <NumberInput {...common} value={typeof c.value === 'number' ? c.value : 0} onChange={(v) => onChange(typeof v === 'number' ? v : Number(v) || 0)} />
  return <TextInput {...common} maxLength={500} value={typeof c.value === 'string' ? c.value : ''} onChange={(e) => onChange(e.currentTarget.value)} />
}

function ConditionEditor({
  c,
  index,
  onChange,
  onRemove,
}: {
  c: AutomationCondition
  index: number
  onChange: (c: AutomationCondition) => void
  onRemove: () => void
}) {
  const customFields = useCustomFields()
  const spec = specOf(c.field)
  const fieldData = [
    ...Object.entries(FAMILY_LABEL).map(([family, group]) => ({
      group,
      items: Object.entries(AUTOMATION_FIELDS)
        .filter(([key]) => key.startsWith(`${family}.`))
        .map(([value, s]) => ({ value, label: s.label })),
    })),
    {
      group: 'Ticket custom fields',
      items: (customFields.data ?? [])
        .filter((f) => f.entity === 'ticket')
        .map((f) => ({ value: `${AUTOMATION_CUSTOM_FIELD_PREFIX}${f.key}`, label: f.label })),
    },
  ].filter((g) => g.items.length)
  const ops = spec ? AUTOMATION_OPERATORS[spec.type] : []
  const n = index + 1
  return (
    <Group gap="xs" wrap="wrap" align="center" data-condition-row={index}>
      <Select
        size="xs"
        aria-label={`Condition ${n} field`}
        data={fieldData}
        searchable
        allowDeselect={false}
        value={c.field}
        w={220}
        onChange={(field) => field && onChange(newCondition(field))}
      />
      <Select
        size="xs"
        aria-label={`Condition ${n} operator`}
        data={ops.map((o) => ({ value: o, label: AUTOMATION_OPERATOR_LABELS[o] ?? o }))}
        allowDeselect={false}
        value={c.op}
        w={150}
        onChange={(op) => op && spec && onChange({ field: c.field, op, value: defaultValue(spec, op) })}
      />
      {spec && <ValueInput c={c} spec={spec} label={`Condition ${n} value`} onChange={(value) => onChange({ ...c, value })} />}
      <Tooltip label="Remove condition">
        <ActionIcon variant="subtle" color="red" aria-label={`Remove condition ${n}`} onClick={onRemove}>
          <IconTrash size={16} />
        </ActionIcon>
      </Tooltip>
    </Group>
  )
}

/** Condition rows under an all/any switch; groups (one nested level, made through the API) are kept and can be removed. */
export function ConditionRows({
  mode,
  rows,
  onMode,
  onRows,
}: {
  mode: 'all' | 'any'
  rows: ConditionRow[]
  onMode: (m: 'all' | 'any') => void
  onRows: (rows: ConditionRow[]) => void
}) {
  const set = (i: number, row: ConditionRow) => onRows(rows.map((r, j) => (j === i ? row : r)))
  const remove = (i: number) => onRows(rows.filter((_, j) => j !== i))
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Text size="sm" fw={500} id="conditions-label">
          Conditions: match
        </Text>
        <SegmentedControl
          size="xs"
          aria-labelledby="conditions-label"
          value={mode}
          onChange={(v) => onMode(v as 'all' | 'any')}
          data={[
            { value: 'all', label: 'all of' },
            { value: 'any', label: 'any of' },
          ]}
        />
      </Group>
      {rows.length === 0 && (
        <Text size="xs" c="dimmed">
          {mode === 'all' ? 'No conditions: the rule applies to every ticket of its trigger.' : 'No conditions: with “any of”, the rule never applies.'}
        </Text>
      )}
      {rows.map((r, i) =>
        isGroup(r) ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own; order is the identity
          <Group key={i} gap="xs">
            <Badge variant="outline" tt="none">
              Group: {'all' in r ? 'all' : 'any'} of {('all' in r ? r.all : r.any).length} conditions
            </Badge>
            <ActionIcon variant="subtle" color="red" aria-label={`Remove condition group ${i + 1}`} onClick={() => remove(i)}>
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own; order is the identity
          <ConditionEditor key={i} c={r} index={i} onChange={(c) => set(i, c)} onRemove={() => remove(i)} />
        ),
      )}
      <Button size="compact-xs" variant="light" w="fit-content" leftSection={<IconPlus size={14} />} onClick={() => onRows([...rows, newCondition()])}>
        Add condition
      </Button>
    </Stack>
  )
}
