import type { DecisionTreeAction, DecisionTreeChoice, DecisionTreeDto, DecisionTreeNode, DecisionTreeNodeType } from '@allhands/contract'
import { ActionIcon, Alert, Button, Card, Checkbox, Group, Select, Stack, TagsInput, Text, Textarea, TextInput, Tooltip } from '@mantine/core'
import { IconPlus, IconTrash } from '@tabler/icons-react'
import { priorityOptions } from '../../lib/format.ts'
import { NODE_TYPE_LABEL } from './decision-trees.api.ts'

const TYPES = Object.entries(NODE_TYPE_LABEL).map(([value, label]) => ({ value, label }))
const ACTIONS = [
  { value: 'open_ticket', label: 'Open a ticket' },
  { value: 'link_article', label: 'Link an article' },
  { value: 'resolved', label: 'Resolved' },
]

/** One node of the tree in the structured editor: its text, where each choice leads, and its problems. */
export function NodeCard({
  node,
  nodes,
  trees,
  problems,
  isStart,
  onChange,
  onRemove,
}: {
  node: DecisionTreeNode
  nodes: DecisionTreeNode[]
  trees: DecisionTreeDto[]
  problems: string[]
  isStart: boolean
  onChange: (n: DecisionTreeNode) => void
  onRemove: () => void
}) {
  const targets = nodes.filter((n) => n.id !== node.id).map((n) => ({ value: n.id, label: `${n.title || n.id} (${n.id})` }))
  const set = (patch: Partial<DecisionTreeNode>) => onChange({ ...node, ...patch })
  const setChoice = (i: number, patch: Partial<DecisionTreeChoice>) => set({ choices: (node.choices ?? []).map((c, j) => (j === i ? { ...c, ...patch } : c)) })
  const label = node.title || node.id
  return (
    <Card
      withBorder
      id={`node-${node.id}`}
      style={problems.length ? { borderColor: 'var(--mantine-color-red-6)' } : undefined}
      aria-label={`Node ${label}`}
      component="section"
    >
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Group gap="xs">
            <Text fw={600}>{label}</Text>
            <Text size="xs" c="dimmed">
              id {node.id}
              {isStart ? ' · start' : ''}
            </Text>
          </Group>
          <Tooltip label="Remove node">
            <ActionIcon variant="subtle" color="red" aria-label={`Remove node ${label}`} onClick={onRemove}>
              <IconTrash size={16} />
            </ActionIcon>
          </Tooltip>
        </Group>
        {problems.map((p) => (
          <Alert key={p} color="red" p="xs">
            {p}
          </Alert>
        ))}
        <Group grow align="start">
          <Select label="Type" data={TYPES} value={node.type} allowDeselect={false} onChange={(v) => v && set({ type: v as DecisionTreeNodeType })} />
          <TextInput label="Title" value={node.title ?? ''} maxLength={200} onChange={(e) => set({ title: e.currentTarget.value })} />
        </Group>
        <Textarea
          label="Text"
          description="HTML or plain text; {{variable}} inserts an answer"
          autosize
          minRows={2}
          value={node.text}
          onChange={(e) => set({ text: e.currentTarget.value })}
        />
        {node.type === 'question' && (
          <>
            <TextInput
              label="Store the chosen label in variable (optional)"
              value={node.variable ?? ''}
              onChange={(e) => set({ variable: e.currentTarget.value || undefined })}
            />
            {(node.choices ?? []).map((c, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: choices have no id of their own; their order is their identity
              <Card key={i} withBorder p="xs" bg="var(--mantine-color-default-hover)">
                <Group align="end" wrap="nowrap">
                  <TextInput label={`Choice ${i + 1}`} value={c.label} onChange={(e) => setChoice(i, { label: e.currentTarget.value })} style={{ flex: 1 }} />
                  <Select
                    label="Leads to"
                    data={targets}
                    value={c.next || null}
                    onChange={(v) => setChoice(i, { next: v ?? '' })}
                    style={{ flex: 1 }}
                    searchable
                  />
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    mb={4}
                    aria-label={`Remove choice ${i + 1}`}
                    onClick={() => set({ choices: (node.choices ?? []).filter((_, j) => j !== i) })}
                  >
                    <IconTrash size={16} />
                  </ActionIcon>
                </Group>
                <Checkbox
                  mt="xs"
                  size="xs"
                  label="Offer only when a variable matches"
                  checked={!!c.condition}
                  onChange={(e) => setChoice(i, { condition: e.currentTarget.checked ? { variable: '', op: 'equals', value: '' } : undefined })}
                />
                {c.condition && (
                  <Group grow mt={4}>
                    <TextInput
                      label="Variable"
                      size="xs"
                      value={c.condition.variable}
                      onChange={(e) => setChoice(i, { condition: { ...c.condition!, variable: e.currentTarget.value } })}
                    />
                    <Select
                      label="Is"
                      size="xs"
                      data={[
                        { value: 'equals', label: 'equal to' },
                        { value: 'not_equals', label: 'not equal to' },
                      ]}
                      value={c.condition.op}
                      allowDeselect={false}
                      onChange={(v) => setChoice(i, { condition: { ...c.condition!, op: (v as 'equals' | 'not_equals') ?? 'equals' } })}
                    />
                    <TextInput
                      label="Value"
                      size="xs"
                      value={c.condition.value}
                      onChange={(e) => setChoice(i, { condition: { ...c.condition!, value: e.currentTarget.value } })}
                    />
                  </Group>
                )}
              </Card>
            ))}
            <Group>
              <Button
                size="xs"
                variant="light"
                leftSection={<IconPlus size={14} />}
                onClick={() => set({ choices: [...(node.choices ?? []), { label: 'New choice', next: '' }] })}
              >
                Add choice
              </Button>
            </Group>
          </>
        )}
        {node.type === 'input' && (
          <Group grow>
            <TextInput label="Variable" required value={node.variable ?? ''} onChange={(e) => set({ variable: e.currentTarget.value || undefined })} />
            <Select
              label="Field"
              data={[
                { value: 'text', label: 'Text' },
                { value: 'email', label: 'Email address' },
              ]}
              value={node.inputKind ?? 'text'}
              allowDeselect={false}
              onChange={(v) => set({ inputKind: (v as 'text' | 'email') ?? 'text' })}
            />
          </Group>
        )}
        {(node.type === 'info' || node.type === 'input') && (
          <Select label="Next" data={targets} value={node.next ?? null} onChange={(v) => set({ next: v ?? undefined })} searchable />
        )}
        {node.type === 'action' && (
          <>
            <Select
              label="Action"
              data={ACTIONS}
              value={node.action?.kind ?? null}
              onChange={(v) => set({ action: v ? { ...node.action, kind: v as 'open_ticket' | 'link_article' | 'resolved' } : undefined })}
            />
            {node.action?.kind === 'open_ticket' && (
              <Group grow align="start">
                <TextInput
                  label="Ticket subject"
                  value={node.action.subject ?? ''}
                  onChange={(e) => set({ action: { ...node.action!, subject: e.currentTarget.value } })}
                />
                <Select
                  label="Priority"
                  data={priorityOptions}
                  value={node.action.priority ?? null}
                  clearable
                  onChange={(v) => set({ action: { ...node.action!, priority: (v ?? undefined) as DecisionTreeAction['priority'] } })}
                />
                <TagsInput label="Tags" value={node.action.tags ?? []} onChange={(tags) => set({ action: { ...node.action!, tags } })} />
              </Group>
            )}
            {node.action?.kind === 'link_article' && (
              <Group grow>
                <TextInput
                  label="Article address"
                  placeholder="/help/en/articles/… or https://…"
                  value={node.action.articleUrl ?? ''}
                  onChange={(e) => set({ action: { ...node.action!, articleUrl: e.currentTarget.value } })}
                />
                <TextInput
                  label="Link text"
                  value={node.action.articleTitle ?? ''}
                  onChange={(e) => set({ action: { ...node.action!, articleTitle: e.currentTarget.value } })}
                />
              </Group>
            )}
          </>
        )}
        {node.type === 'jump' && (
          <Select
            label="Continue in tree"
            description="Only published trees can be jumped to"
            data={trees.map((t) => ({ value: String(t.id), label: `${t.name}${t.status === 'published' ? '' : ' (draft)'}` }))}
            value={node.treeId ? String(node.treeId) : null}
            onChange={(v) => set({ treeId: v ? Number(v) : undefined })}
          />
        )}
      </Stack>
    </Card>
  )
}
