import type {
  DecisionTreeAudience,
  DecisionTreeDefinition,
  DecisionTreeDto,
  DecisionTreeNode,
  DecisionTreeNodeType,
  DecisionTreeRunDto,
} from '@allhands/contract'
import { Alert, Anchor, Badge, Button, Group, List, Loader, Menu, Select, Stack, Tabs, Text, Textarea, TextInput, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconChevronDown, IconPlus } from '@tabler/icons-react'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useNavigate, useParams } from '@tanstack/react-router'
import { useEffect, useMemo, useState } from 'react'
import { ConfirmModal } from '../../lib/confirm-modal.tsx'
import { queryClient } from '../../lib/queries.ts'
import { AnalyticsPanel } from './AnalyticsPanel.tsx'
import { AUDIENCE_LABEL, NODE_TYPE_LABEL, treeKeys, treesApi, useTrees } from './decision-trees.api.ts'
import { NodeCard } from './NodeCard.tsx'
import { ScriptRunner } from './ScriptRunner.tsx'
import { VersionsPanel } from './VersionsPanel.tsx'

type Details = { name: string; slug: string; description: string; audience: DecisionTreeAudience }

const targetsOf = (n: DecisionTreeNode) => (n.type === 'question' ? (n.choices ?? []).map((c) => c.next) : n.next ? [n.next] : [])

/** A compact outline of the flow from the start node (a node seen before is only named), to see the shape at a glance. */
function FlowMap({ draft }: { draft: DecisionTreeDefinition }) {
  const byId = new Map(draft.nodes.map((n) => [n.id, n]))
  const seen = new Set<string>()
  const render = (id: string, depth: number): React.ReactNode => {
    const n = byId.get(id)
    if (!n)
      return (
        <Text size="xs" c="red">
          {id ? `missing node “${id}”` : 'not linked yet'}
        </Text>
      )
    const again = seen.has(id)
    seen.add(id)
    return (
      <>
        <Anchor size="xs" href={`#node-${n.id}`}>
          {n.title || n.id}
        </Anchor>
        <Text span size="xs" c="dimmed">
          {' '}
          · {NODE_TYPE_LABEL[n.type]}
          {again ? ' (see above)' : ''}
        </Text>
        {!again && depth < 12 && targetsOf(n).length > 0 && (
          <List size="xs" withPadding>
            {targetsOf(n).map((t, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: two choices may lead to the same node; the position tells them apart
              <List.Item key={`${t}-${i}`}>{render(t, depth + 1)}</List.Item>
            ))}
          </List>
        )}
      </>
    )
  }
  return (
    <nav aria-label="Flow map">
      <Text size="xs" fw={600} mb={4}>
        Map
      </Text>
      {render(draft.startNodeId, 0)}
    </nav>
  )
}

const newNodeId = (draft: DecisionTreeDefinition) => {
  for (let i = draft.nodes.length + 1; ; i++) if (!draft.nodes.some((n) => n.id === `n${i}`)) return `n${i}`
}

/** The decision tree editor: details, a structured node editor with a flow map, a test runner, versions and analytics. */
export function DecisionTreeEditorPage() {
  const { treeId } = useParams({ strict: false }) as { treeId: string }
  const id = Number(treeId)
  const navigate = useNavigate()
  const tree = useQuery({ queryKey: treeKeys.tree(id), queryFn: () => treesApi.get(id) })
  const trees = useTrees()
  const [draft, setDraft] = useState<DecisionTreeDefinition | null>(null)
  const [details, setDetails] = useState<Details | null>(null)
  const [dirty, setDirty] = useState(false)
  const [testRun, setTestRun] = useState<DecisionTreeRunDto | null>(null)
  const [deleting, setDeleting] = useState(false)

  const load = (t: DecisionTreeDto) => {
    setDraft(t.draft)
    setDetails({ name: t.name, slug: t.slug, description: t.description, audience: t.audience })
    setDirty(false)
  }
  useEffect(() => {
    if (!tree.data || draft) return
    setDraft(tree.data.draft)
    setDetails({ name: tree.data.name, slug: tree.data.slug, description: tree.data.description, audience: tree.data.audience })
  }, [tree.data, draft])

  const saved = (t: DecisionTreeDto) => {
    queryClient.setQueryData(treeKeys.tree(id), t)
    void queryClient.invalidateQueries({ queryKey: treeKeys.list })
    load(t)
  }
  const save = useMutation({ mutationFn: () => treesApi.update(id, { ...details!, draft: draft! }), onSuccess: saved })
  const publish = useMutation({
    mutationFn: async () => {
      if (dirty) await treesApi.update(id, { ...details!, draft: draft! })
      return treesApi.publish(id)
    },
    onSuccess: (t) => {
      saved(t)
      void queryClient.invalidateQueries({ queryKey: treeKeys.versions(id) })
      notifications.show({ color: 'green', message: `Version ${t.publishedVersion} is live` })
    },
    onError: () => void tree.refetch().then((r) => r.data && saved(r.data)),
    meta: { silent: false },
  })
  const remove = useMutation({
    mutationFn: () => treesApi.remove(id),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: treeKeys.all })
      void navigate({ to: '/settings/$section', params: { section: 'decision-trees' } })
    },
  })
  const startTest = useMutation({
    mutationFn: async () => {
      if (dirty) saved(await treesApi.update(id, { ...details!, draft: draft! }))
      return treesApi.startRun(id, { test: true })
    },
    onSuccess: setTestRun,
  })

  const problemsByNode = useMemo(() => {
    const map = new Map<string, string[]>()
    for (const p of tree.data?.problems ?? []) if (p.nodeId) map.set(p.nodeId, [...(map.get(p.nodeId) ?? []), p.message])
    return map
  }, [tree.data?.problems])

  if (tree.isLoading || !draft || !details) return <Loader m="md" aria-label="Loading the tree" />
  if (tree.error || !tree.data) return <Alert color="red">This tree could not be loaded.</Alert>
  const t = tree.data
  const change = (next: DecisionTreeDefinition) => {
    setDraft(next)
    setDirty(true)
  }
  const setNode = (i: number, n: DecisionTreeNode) => change({ ...draft, nodes: draft.nodes.map((x, j) => (j === i ? n : x)) })
  const addNode = (type: DecisionTreeNodeType) => {
    const node: DecisionTreeNode = {
      id: newNodeId(draft),
      type,
      title: `New ${NODE_TYPE_LABEL[type].toLowerCase()}`,
      text: '',
      ...(type === 'question' ? { choices: [{ label: 'Yes', next: '' }] } : {}),
      ...(type === 'action' ? { action: { kind: 'resolved' as const } } : {}),
      ...(type === 'input' ? { variable: 'answer', inputKind: 'text' as const } : {}),
    }
    change({ ...draft, nodes: [...draft.nodes, node] })
  }
  const setDetail = (patch: Partial<Details>) => {
    setDetails({ ...details, ...patch })
    setDirty(true)
  }

  return (
    <Stack p="md" gap="md" maw={1200}>
      <Group justify="space-between">
        <Group gap="xs">
          <Title order={1} size="h3">
            {t.name}
          </Title>
          <Badge color={t.status === 'published' ? 'green' : 'gray'}>{t.status === 'published' ? `Published v${t.publishedVersion}` : 'Draft'}</Badge>
          {dirty && <Badge color="yellow">Unsaved changes</Badge>}
        </Group>
        <Group>
          <Button variant="default" onClick={() => setDeleting(true)} color="red">
            Delete
          </Button>
          <Button variant="default" disabled={!dirty} loading={save.isPending} onClick={() => save.mutate()}>
            Save draft
          </Button>
          <Button loading={publish.isPending} onClick={() => publish.mutate()}>
            Publish
          </Button>
        </Group>
      </Group>
      {t.problems.length > 0 && (
        <Alert color="orange" title="Not ready to publish">
          <List size="sm">
            {t.problems.map((p) => (
              <List.Item key={p.message}>{p.nodeId ? <Anchor href={`#node-${p.nodeId}`}>{p.message}</Anchor> : p.message}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      <Tabs defaultValue="editor" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="editor">Editor</Tabs.Tab>
          <Tabs.Tab value="test">Test</Tabs.Tab>
          <Tabs.Tab value="versions">Versions</Tabs.Tab>
          <Tabs.Tab value="analytics">Analytics</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="editor" pt="md">
          <Group align="start" wrap="nowrap" gap="lg">
            <Stack style={{ flex: 1, minWidth: 0 }}>
              <Group grow align="start">
                <TextInput label="Name" value={details.name} onChange={(e) => setDetail({ name: e.currentTarget.value })} required />
                <TextInput
                  label="Address"
                  description={`/help/trees/${details.slug}`}
                  value={details.slug}
                  onChange={(e) => setDetail({ slug: e.currentTarget.value.toLowerCase() })}
                />
                <Select
                  label="Audience"
                  data={Object.entries(AUDIENCE_LABEL).map(([value, label]) => ({ value, label }))}
                  value={details.audience}
                  allowDeselect={false}
                  onChange={(v) => v && setDetail({ audience: v as DecisionTreeAudience })}
                />
              </Group>
              <Textarea label="Description" autosize value={details.description} onChange={(e) => setDetail({ description: e.currentTarget.value })} />
              <Select
                label="Start node"
                data={draft.nodes.map((n) => ({ value: n.id, label: `${n.title || n.id} (${n.id})` }))}
                value={draft.startNodeId}
                allowDeselect={false}
                onChange={(v) => v && change({ ...draft, startNodeId: v })}
              />
              {draft.nodes.map((n, i) => (
                <NodeCard
                  key={n.id}
                  node={n}
                  nodes={draft.nodes}
                  trees={(trees.data?.items ?? []).filter((x) => x.id !== id)}
                  problems={problemsByNode.get(n.id) ?? []}
                  isStart={n.id === draft.startNodeId}
                  onChange={(next) => setNode(i, next)}
                  onRemove={() => change({ ...draft, nodes: draft.nodes.filter((_, j) => j !== i) })}
                />
              ))}
              <Menu>
                <Menu.Target>
                  <Button variant="light" leftSection={<IconPlus size={16} />} rightSection={<IconChevronDown size={14} />} w="fit-content">
                    Add node
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  {(Object.keys(NODE_TYPE_LABEL) as DecisionTreeNodeType[]).map((type) => (
                    <Menu.Item key={type} onClick={() => addNode(type)}>
                      {NODE_TYPE_LABEL[type]}
                    </Menu.Item>
                  ))}
                </Menu.Dropdown>
              </Menu>
            </Stack>
            <Stack w={260} style={{ position: 'sticky', top: 8 }}>
              <FlowMap draft={draft} />
            </Stack>
          </Group>
        </Tabs.Panel>
        <Tabs.Panel value="test" pt="md">
          <Stack maw={640}>
            <Text size="sm" c="dimmed">
              Runs the draft as a customer or agent would see it (unsaved changes are saved first). Test runs are not counted in analytics and add no notes.
            </Text>
            <Group>
              <Button loading={startTest.isPending} onClick={() => startTest.mutate()}>
                {testRun ? 'Restart test run' : 'Start test run'}
              </Button>
            </Group>
            {testRun && <ScriptRunner run={testRun} onChange={setTestRun} />}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="versions" pt="md">
          <VersionsPanel tree={t} onPublished={saved} />
        </Tabs.Panel>
        <Tabs.Panel value="analytics" pt="md">
          <AnalyticsPanel treeId={id} />
        </Tabs.Panel>
      </Tabs>
      <ConfirmModal
        opened={deleting}
        title={`Delete “${t.name}”?`}
        confirmLabel="Delete"
        danger
        onConfirm={() => remove.mutate()}
        onClose={() => setDeleting(false)}
        loading={remove.isPending}
      >
        Its versions and run history are deleted too. Trees that jump to it stop at that point and offer to contact support.
      </ConfirmModal>
    </Stack>
  )
}
