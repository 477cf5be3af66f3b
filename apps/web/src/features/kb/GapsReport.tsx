import { Alert, Loader, Stack, Table, Text, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { RouterAnchor } from '../../lib/links.tsx'
import { kbApi, kbKeys } from './kb.api.ts'

/** What the help center is missing: searches that found nothing, and articles visitors found unhelpful. */
export function GapsReport() {
  const gaps = useQuery({ queryKey: kbKeys.gaps, queryFn: () => kbApi.gaps(30) })
  if (gaps.isPending) return <Loader aria-label="Loading gaps" />
  if (gaps.error) return <Alert color="red">{gaps.error.message}</Alert>
  const { noResults, unhelpful } = gaps.data
  return (
    <Stack gap="lg">
      <Stack gap="xs">
        <Title order={3} size="h4">
          Searches with no results (last 30 days)
        </Title>
        {noResults.length ? (
          <Table aria-label="Searches with no results">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Query</Table.Th>
                <Table.Th>Language</Table.Th>
                <Table.Th>Searches</Table.Th>
                <Table.Th>Last</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {noResults.map((r) => (
                <Table.Tr key={`${r.lang}:${r.query}`}>
                  <Table.Td>{r.query}</Table.Td>
                  <Table.Td>{r.lang}</Table.Td>
                  <Table.Td>{r.count}</Table.Td>
                  <Table.Td>{new Date(r.lastAt).toLocaleString()}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : (
          <Text c="dimmed">Every help-center search found something.</Text>
        )}
      </Stack>
      <Stack gap="xs">
        <Title order={3} size="h4">
          Articles voted unhelpful
        </Title>
        {unhelpful.length ? (
          unhelpful.map(({ article, comments }) => (
            <Stack key={article.id} gap={2}>
              <Text fw={600}>
                <RouterAnchor to="/kb/articles/$articleId" params={{ articleId: String(article.id) }}>
                  {article.title}
                </RouterAnchor>{' '}
                <Text span size="sm" c="dimmed">
                  👎 {article.unhelpfulCount} · 👍 {article.helpfulCount}
                </Text>
              </Text>
              {comments.map((c) => (
                <Text key={c.createdAt + c.comment} size="sm" pl="md" style={{ borderLeft: '3px solid var(--mantine-color-gray-4)' }}>
                  {c.comment}
                </Text>
              ))}
            </Stack>
          ))
        ) : (
          <Text c="dimmed">No article has been voted unhelpful.</Text>
        )}
      </Stack>
    </Stack>
  )
}
