import type { KbSearchHit } from '@allhands/contract'
import { Badge, Button, Group, Loader, Modal, Paper, Stack, Text, TextInput } from '@mantine/core'
import { useDebouncedValue, useDisclosure } from '@mantine/hooks'
import { IconBook } from '@tabler/icons-react'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { showError } from '../../lib/queries.ts'
import { escapeText } from './kb-html.ts'
import { kbApi } from './kb.api.ts'

/** Puts a knowledge-base article into the open composer: its public link, or its whole text. */
export async function insertArticle(hit: Pick<KbSearchHit, 'id' | 'visibility'>, how: 'link' | 'text', insert: (html: string) => void) {
  const a = await kbApi.insert(hit.id)
  const link = `<a href="${escapeText(a.url)}">${escapeText(a.title)}</a>`
  // An internal article has no public page: its text goes in without a link customers could not open.
  if (how === 'text') insert(hit.visibility === 'internal' ? a.bodyHtml : `${a.bodyHtml}<p>${link}</p>`)
  else insert(`<p>${link}</p>`)
}

export function ArticleHitActions({ hit, onInsert, onDone }: { hit: KbSearchHit; onInsert: (html: string) => void; onDone?: () => void }) {
  const run = useMutation({
    mutationFn: (how: 'link' | 'text') => insertArticle(hit, how, onInsert),
    onSuccess: () => onDone?.(),
    onError: showError,
  })
  const internal = hit.visibility === 'internal'
  return (
    <Group gap={4}>
      <Button
        size="compact-xs"
        variant="light"
        disabled={internal}
        title={internal ? 'Internal articles have no public link' : undefined}
        loading={run.isPending && run.variables === 'link'}
        onClick={() => run.mutate('link')}
        aria-label={`Insert link to ${hit.title}`}
      >
        Insert link
      </Button>
      <Button
        size="compact-xs"
        variant="default"
        loading={run.isPending && run.variables === 'text'}
        onClick={() => run.mutate('text')}
        aria-label={`Insert text of ${hit.title}`}
      >
        Insert text
      </Button>
    </Group>
  )
}

/** The composer's "Knowledge base" button: search published articles and insert one. */
export function KbInsertButton({ onInsert }: { onInsert: (html: string) => void }) {
  const [opened, { open, close }] = useDisclosure(false)
  const [q, setQ] = useState('')
  const [debounced] = useDebouncedValue(q.trim(), 200)
  const results = useQuery({ queryKey: ['kb', 'picker', debounced], queryFn: () => kbApi.search(debounced), enabled: opened && debounced.length > 1 })
  return (
    <>
      <Button variant="default" size="xs" leftSection={<IconBook size={14} />} onClick={open}>
        Knowledge base
      </Button>
      <Modal opened={opened} onClose={close} title="Insert a knowledge-base article" size="lg">
        <Stack>
          <TextInput label="Search articles" value={q} onChange={(e) => setQ(e.currentTarget.value)} data-autofocus placeholder="e.g. reset password" />
          {results.isFetching && <Loader size="sm" aria-label="Searching" />}
          {results.data?.correctedQuery && (
            <Text size="sm" c="dimmed">
              Showing results for “{results.data.correctedQuery}”
            </Text>
          )}
          {results.data && !results.data.items.length && <Text c="dimmed">No published article matches.</Text>}
          {results.data?.items.map((hit) => (
            <Paper key={hit.id} withBorder p="xs">
              <Group justify="space-between" wrap="nowrap" align="start">
                <Stack gap={2} style={{ minWidth: 0 }}>
                  <Group gap={6}>
                    <Text fw={600} size="sm">
                      {hit.title}
                    </Text>
                    {hit.visibility === 'internal' && (
                      <Badge size="xs" variant="outline">
                        Internal
                      </Badge>
                    )}
                  </Group>
                  <Text size="xs" c="dimmed" lineClamp={2}>
                    {hit.snippet}
                  </Text>
                </Stack>
                <ArticleHitActions hit={hit} onInsert={onInsert} onDone={close} />
              </Group>
            </Paper>
          ))}
        </Stack>
      </Modal>
    </>
  )
}
