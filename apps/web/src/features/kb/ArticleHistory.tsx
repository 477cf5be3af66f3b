import type { KbArticleDto } from '@allhands/contract'
import { Alert, Box, Button, Group, Loader, Paper, Select, Stack, Table, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { ConfirmModal } from '../../lib/confirm-modal.tsx'
import { queryClient, showError } from '../../lib/queries.ts'
import { kbApi, kbKeys } from './kb.api.ts'

function DiffView({ parts, label }: { parts: { value: string; added: boolean; removed: boolean }[]; label: string }) {
  // Parts are positional (the same text may repeat): their running offset is a stable key.
  let offset = 0
  const keyed = parts.map((p) => {
    const key = `${offset}:${p.added ? '+' : p.removed ? '-' : '='}`
    offset += p.value.length
    return { ...p, key }
  })
  return (
    <Box component="pre" aria-label={label} style={{ whiteSpace: 'pre-wrap', fontFamily: 'inherit', margin: 0 }}>
      {keyed.map((p) =>
        p.added ? (
          <ins key={p.key} style={{ background: 'var(--mantine-color-green-light)', textDecoration: 'none' }}>
            {p.value}
          </ins>
        ) : p.removed ? (
          <del key={p.key} style={{ background: 'var(--mantine-color-red-light)' }}>
            {p.value}
          </del>
        ) : (
          <span key={p.key}>{p.value}</span>
        ),
      )}
    </Box>
  )
}

/** Every saved version; compare any two; restoring saves the old text as a new version. */
export function ArticleHistory({ article }: { article: KbArticleDto }) {
  const versions = useQuery({ queryKey: [...kbKeys.versions(article.id), article.version], queryFn: () => kbApi.versions(article.id) })
  const [from, setFrom] = useState<string | null>(null)
  const [to, setTo] = useState<string | null>(null)
  const [restoring, setRestoring] = useState<number | null>(null)
  const latest = article.version
  const fromV = Number(from ?? Math.max(1, latest - 1))
  const toV = Number(to ?? latest)
  const diff = useQuery({
    queryKey: ['kb', 'diff', article.id, fromV, toV],
    queryFn: () => kbApi.diff(article.id, fromV, toV),
    enabled: latest > 1 && fromV !== toV,
  })
  const restore = useMutation({
    mutationFn: (version: number) => kbApi.restore(article.id, version),
    onSuccess: (saved) => {
      queryClient.setQueryData(kbKeys.article(article.id), saved)
      void queryClient.invalidateQueries({ queryKey: kbKeys.all })
      setRestoring(null)
      notifications.show({ color: 'green', message: `Restored as version ${saved.version}` })
    },
    onError: showError,
  })
  if (versions.isPending) return <Loader aria-label="Loading history" />
  if (versions.error) return <Alert color="red">{versions.error.message}</Alert>
  const options = versions.data.items.map((v) => ({ value: String(v.version), label: `Version ${v.version}` }))
  return (
    <Stack>
      {latest > 1 && (
        <Paper withBorder p="sm">
          <Group mb="sm">
            <Select label="Compare" data={options} value={String(fromV)} onChange={setFrom} allowDeselect={false} w={160} />
            <Select label="with" data={options} value={String(toV)} onChange={setTo} allowDeselect={false} w={160} />
          </Group>
          {fromV === toV ? (
            <Text c="dimmed">Pick two different versions.</Text>
          ) : diff.data ? (
            <Stack gap="xs">
              <Text size="sm" fw={600}>
                Title
              </Text>
              <DiffView parts={diff.data.title} label="Title changes" />
              <Text size="sm" fw={600}>
                Text
              </Text>
              <DiffView parts={diff.data.body} label="Text changes" />
            </Stack>
          ) : (
            <Loader size="sm" aria-label="Loading changes" />
          )}
        </Paper>
      )}
      <Table aria-label="Versions">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Version</Table.Th>
            <Table.Th>Title</Table.Th>
            <Table.Th>Note</Table.Th>
            <Table.Th>By</Table.Th>
            <Table.Th>When</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {versions.data.items.map((v) => (
            <Table.Tr key={v.version}>
              <Table.Td>{v.version}</Table.Td>
              <Table.Td>{v.title}</Table.Td>
              <Table.Td>{v.note}</Table.Td>
              <Table.Td>{v.author?.name ?? '—'}</Table.Td>
              <Table.Td>{new Date(v.createdAt).toLocaleString()}</Table.Td>
              <Table.Td>
                {article.canEdit && v.version !== latest && (
                  <Button size="xs" variant="default" onClick={() => setRestoring(v.version)}>
                    Restore version {v.version}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <ConfirmModal
        opened={restoring !== null}
        title="Restore version"
        confirmLabel="Restore"
        loading={restore.isPending}
        onConfirm={() => restoring !== null && restore.mutate(restoring)}
        onClose={() => setRestoring(null)}
      >
        Save version {restoring} as the new current version? Nothing is lost: the current text stays in the history.
      </ConfirmModal>
    </Stack>
  )
}
