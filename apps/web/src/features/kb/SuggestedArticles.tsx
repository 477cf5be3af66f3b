import { Badge, Group, Paper, Stack, Text } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { RouterAnchor } from '../../lib/links.tsx'
import { insertIntoComposer } from '../tickets/composer-bus.ts'
import { ArticleHitActions } from './KbInsertButton.tsx'
import { kbApi, kbKeys } from './kb.api.ts'

/** Articles that match the ticket's subject and first message, ready to insert into the reply. Hidden when none match. */
export function SuggestedArticles({ ticketId }: { ticketId: number }) {
  const suggestions = useQuery({
    queryKey: kbKeys.suggestions(ticketId),
    queryFn: () => kbApi.suggestions(ticketId),
    staleTime: 60_000,
    meta: { silent: true },
  })
  const items = suggestions.data?.items ?? []
  if (!items.length) return null
  return (
    <Paper withBorder p="xs" mb="xs" component="section" aria-labelledby="kb-suggested">
      <Text size="xs" fw={700} c="dimmed" id="kb-suggested" mb={4}>
        Suggested articles
      </Text>
      <Stack gap={4}>
        {items.slice(0, 3).map((hit) => (
          <Group key={hit.id} justify="space-between" wrap="nowrap" gap="xs">
            <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
              <RouterAnchor to="/kb/articles/$articleId" params={{ articleId: String(hit.id) }} size="sm" truncate="end">
                {hit.title}
              </RouterAnchor>
              {hit.visibility === 'internal' && (
                <Badge size="xs" variant="outline">
                  Internal
                </Badge>
              )}
            </Group>
            <ArticleHitActions hit={hit} onInsert={(html) => insertIntoComposer(html, 'reply')} />
          </Group>
        ))}
      </Stack>
    </Paper>
  )
}
