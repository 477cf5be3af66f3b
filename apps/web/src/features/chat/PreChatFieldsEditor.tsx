import type { ChatSettingsDto } from '@allhands/contract'
import { ActionIcon, Button, Group, Select, Stack, Switch, Table, Text, TextInput, Tooltip, VisuallyHidden } from '@mantine/core'
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react'

export type PreChatField = ChatSettingsDto['preChatFields'][number]

export const MAX_PRE_CHAT_FIELDS = 10
const KEY_PATTERN = /^[a-z][a-z0-9_]*$/
const TYPES = [
  { value: 'text', label: 'Text' },
  { value: 'email', label: 'Email' },
  { value: 'textarea', label: 'Long text' },
]

/** What is wrong with a field list (shown under the table and blocking save), or null. */
export function preChatFieldsError(fields: PreChatField[]): string | null {
  const seen = new Set<string>()
  for (const [i, f] of fields.entries()) {
    if (!KEY_PATTERN.test(f.key) || f.key.length > 40)
      return `Field ${i + 1}: the key must start with a lowercase letter and use only a–z, 0–9 and _ (at most 40).`
    if (seen.has(f.key)) return `Two fields use the key "${f.key}".`
    seen.add(f.key)
    if (!f.label.trim()) return `Field ${i + 1} needs a label.`
  }
  return null
}

/** The questions the widget asks before the first message (name, email, order number…). */
export function PreChatFieldsEditor({ value, onChange }: { value: PreChatField[]; onChange: (v: PreChatField[]) => void }) {
  const set = (i: number, patch: Partial<PreChatField>) => onChange(value.map((f, j) => (j === i ? { ...f, ...patch } : f)))
  const move = (i: number, by: -1 | 1) => {
    const next = value.slice()
    const [f] = next.splice(i, 1)
    next.splice(i + by, 0, f!)
    onChange(next)
  }
  const error = preChatFieldsError(value)
  return (
    <Stack gap="xs">
      {value.length === 0 ? (
        <Text size="sm" c="dimmed">
          No questions: visitors start chatting straight away.
        </Text>
      ) : (
        <Table verticalSpacing={4} aria-label="Pre-chat fields">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Label</Table.Th>
              <Table.Th scope="col">Key</Table.Th>
              <Table.Th scope="col">Type</Table.Th>
              <Table.Th scope="col">Required</Table.Th>
              <Table.Th scope="col">
                <VisuallyHidden>Order and remove</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {value.map((f, i) => (
              // Fields have no id of their own; the position is their identity while editing.
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place and reordered explicitly
              <Table.Tr key={i}>
                <Table.Td>
                  <TextInput
                    aria-label={`Label of field ${i + 1}`}
                    size="xs"
                    maxLength={120}
                    value={f.label}
                    onChange={(e) => set(i, { label: e.currentTarget.value })}
                  />
                </Table.Td>
                <Table.Td>
                  <TextInput
                    aria-label={`Key of field ${i + 1}`}
                    size="xs"
                    maxLength={40}
                    value={f.key}
                    error={!KEY_PATTERN.test(f.key)}
                    onChange={(e) => set(i, { key: e.currentTarget.value })}
                  />
                </Table.Td>
                <Table.Td>
                  <Select
                    aria-label={`Type of field ${i + 1}`}
                    size="xs"
                    w={120}
                    data={TYPES}
                    allowDeselect={false}
                    value={f.type}
                    onChange={(v) => v && set(i, { type: v as PreChatField['type'] })}
                  />
                </Table.Td>
                <Table.Td>
                  <Switch aria-label={`Field ${i + 1} is required`} checked={f.required} onChange={(e) => set(i, { required: e.currentTarget.checked })} />
                </Table.Td>
                <Table.Td>
                  <Group gap={2} wrap="nowrap">
                    <Tooltip label="Move up">
                      <ActionIcon variant="subtle" size="sm" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`Move field ${i + 1} up`}>
                        <IconArrowUp size={14} aria-hidden />
                      </ActionIcon>
                    </Tooltip>
                    <Tooltip label="Move down">
                      <ActionIcon
                        variant="subtle"
                        size="sm"
                        disabled={i === value.length - 1}
                        onClick={() => move(i, 1)}
                        aria-label={`Move field ${i + 1} down`}
                      >
                        <IconArrowDown size={14} aria-hidden />
                      </ActionIcon>
                    </Tooltip>
                    <Tooltip label="Remove">
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        size="sm"
                        onClick={() => onChange(value.filter((_, j) => j !== i))}
                        aria-label={`Remove field ${i + 1}`}
                      >
                        <IconTrash size={14} aria-hidden />
                      </ActionIcon>
                    </Tooltip>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {error && (
        <Text size="xs" c="red" role="alert">
          {error}
        </Text>
      )}
      <Button
        variant="default"
        size="xs"
        w="fit-content"
        leftSection={<IconPlus size={14} aria-hidden />}
        disabled={value.length >= MAX_PRE_CHAT_FIELDS}
        onClick={() => onChange([...value, { key: nextKey(value), label: '', type: 'text', required: false }])}
      >
        Add a question
      </Button>
    </Stack>
  )
}

function nextKey(fields: PreChatField[]): string {
  let n = fields.length + 1
  while (fields.some((f) => f.key === `field_${n}`)) n++
  return `field_${n}`
}
