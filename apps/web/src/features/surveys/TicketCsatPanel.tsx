import type { TicketDto } from '@allhands/contract'
import { Badge, Blockquote, Group, Loader, Stack, Text, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { fullTime, relativeTime } from '../../lib/format.ts'
import { ratingColor, ratingText, SKIP_REASON, STATUS_TEXT, surveyKeys, surveysApi } from './surveys.api.ts'

/** "Satisfaction": the ticket's CSAT request per solve, with the rating and comment (plain text). Refreshed live with the ticket. */
export function TicketCsatPanel({ ticket }: { ticket: TicketDto }) {
  const list = useQuery({ queryKey: surveyKeys.ticketCsat(ticket.id), queryFn: () => surveysApi.ticketCsat(ticket.id), meta: { silent: true } })
  const items = list.data?.items ?? []
  if (list.isError) return null
  return (
    <section aria-label="Satisfaction">
      <Title order={2} size="h6" mb="xs">
        Satisfaction
      </Title>
      {list.isPending ? (
        <Loader size="xs" aria-label="Loading satisfaction ratings" />
      ) : items.length === 0 ? (
        <Text size="xs" c="dimmed">
          {ticket.status === 'solved' || ticket.status === 'closed'
            ? 'A satisfaction survey goes to the requester after the configured delay.'
            : 'A satisfaction survey goes to the requester once this ticket is solved.'}
        </Text>
      ) : (
        <Stack gap="xs">
          {items.map((r) => (
            <Stack key={r.id} gap={4}>
              <Group gap={6} justify="space-between" wrap="nowrap">
                <Text size="xs" c="dimmed" title={fullTime(r.solvedAt)}>
                  Solved {relativeTime(r.solvedAt)}
                </Text>
                {r.status === 'rated' ? (
                  <Badge size="sm" color={ratingColor(r.score)} variant="light" aria-label={`Rated ${ratingText(r)}`}>
                    {ratingText(r)}
                  </Badge>
                ) : (
                  <Badge size="sm" color="gray" variant="outline">
                    {STATUS_TEXT[r.status]}
                  </Badge>
                )}
              </Group>
              {r.status === 'skipped' && r.skipReason && (
                <Text size="xs" c="dimmed">
                  Not sent: {SKIP_REASON[r.skipReason] ?? r.skipReason}
                </Text>
              )}
              {r.status === 'sent' && r.sentAt && (
                <Text size="xs" c="dimmed">
                  Sent {relativeTime(r.sentAt)} to {r.email}
                </Text>
              )}
              {r.comment && (
                <Blockquote p="xs" fz="sm" color={ratingColor(r.score)} style={{ whiteSpace: 'pre-wrap' }}>
                  {r.comment}
                </Blockquote>
              )}
            </Stack>
          ))}
        </Stack>
      )}
    </section>
  )
}
