import type { CsatBucket, CsatRequestDto } from '@allhands/contract'
import { Alert, Badge, Button, Card, Group, Loader, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core'
import { useInfiniteQuery, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { fullTime, relativeTime } from '../../lib/format.ts'
import { RouterAnchor } from '../../lib/links.tsx'
import { percent, ratingColor, ratingText, surveyKeys, surveysApi } from './surveys.api.ts'

const DAY = 86_400_000

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Card>
  )
}

/** CSAT over a date range (response rate, share of good ratings) and the latest ratings with comments. */
export function CsatTab() {
  const [fromDay, setFromDay] = useState(new Date(Date.now() - 30 * DAY).toISOString().slice(0, 10))
  const [toDay, setToDay] = useState('')
  const [rating, setRating] = useState<'all' | CsatBucket>('all')
  const from = fromDay ? new Date(fromDay).getTime() || undefined : undefined
  const to = toDay ? (new Date(toDay).getTime() || 0) + DAY || undefined : undefined
  const summary = useQuery({ queryKey: surveyKeys.csatSummary({ from, to }), queryFn: () => surveysApi.csatSummary({ from, to }) })
  const query = { from, to, rating: rating === 'all' ? undefined : rating, limit: 50 }
  const responses = useInfiniteQuery({
    queryKey: surveyKeys.csatResponses(query),
    queryFn: ({ pageParam }) => surveysApi.csatResponses({ ...query, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })
  const items: CsatRequestDto[] = responses.data?.pages.flatMap((p) => p.items) ?? []
  const s = summary.data
  return (
    <Stack gap="md">
      <Group align="end">
        <TextInput type="date" label="Rated from" value={fromDay} onChange={(e) => setFromDay(e.currentTarget.value)} w={170} />
        <TextInput type="date" label="Rated until" value={toDay} onChange={(e) => setToDay(e.currentTarget.value)} w={170} />
        <div>
          <Text size="sm" fw={500} mb={4} id="csat-filter-label">
            Rating
          </Text>
          <SegmentedControl
            aria-labelledby="csat-filter-label"
            value={rating}
            onChange={(v) => setRating(v as typeof rating)}
            data={[
              { value: 'all', label: 'All' },
              { value: 'good', label: 'Good' },
              { value: 'okay', label: 'Okay' },
              { value: 'bad', label: 'Bad' },
            ]}
          />
        </div>
      </Group>
      {summary.isPending ? (
        <Loader size="sm" aria-label="Loading CSAT summary" />
      ) : s ? (
        <SimpleGrid cols={{ base: 2, md: 4 }}>
          <Stat label="CSAT" value={percent(s.csat)} hint={`${s.good} good of ${s.rated} ratings`} />
          <Stat label="Response rate" value={percent(s.responseRate)} hint={`${s.rated} rated of ${s.sent} sent`} />
          <Stat label="Okay / bad" value={`${s.okay} / ${s.bad}`} />
          <Stat label="Not sent" value={String(s.skipped)} hint="Bouncing, automated or merged" />
        </SimpleGrid>
      ) : null}
      <Paper withBorder>
        {responses.isPending ? (
          <Loader m="md" size="sm" aria-label="Loading ratings" />
        ) : items.length === 0 ? (
          <Alert m="md" color="gray" title="No ratings in this range">
            Ratings arrive after solved tickets' requesters answer the survey email. Widen the dates or check the settings under Settings → Satisfaction
            surveys.
          </Alert>
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="xs" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Rating</Table.Th>
                  <Table.Th>Ticket</Table.Th>
                  <Table.Th>Customer</Table.Th>
                  <Table.Th>Comment</Table.Th>
                  <Table.Th>Rated</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td>
                      <Badge color={ratingColor(r.score)} variant="light">
                        {ratingText(r)}
                      </Badge>
                    </Table.Td>
                    <Table.Td maw={260}>
                      <RouterAnchor to="/tickets/$ticketId" params={{ ticketId: String(r.ticket.id) }} size="sm" lineClamp={1}>
                        #{r.ticket.id} {r.ticket.subject}
                      </RouterAnchor>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{r.contact?.name ?? r.email ?? '—'}</Text>
                    </Table.Td>
                    <Table.Td maw={360}>
                      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} c={r.comment ? undefined : 'dimmed'}>
                        {r.comment ?? 'No comment'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" c="dimmed" title={r.ratedAt ? fullTime(r.ratedAt) : undefined}>
                        {r.ratedAt ? relativeTime(r.ratedAt) : ''}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      {responses.hasNextPage && (
        <Button variant="default" w="fit-content" onClick={() => void responses.fetchNextPage()} loading={responses.isFetchingNextPage}>
          Load more
        </Button>
      )}
    </Stack>
  )
}
