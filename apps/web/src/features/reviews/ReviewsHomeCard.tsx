import { Badge, Button, Card, Group, Progress, Stack, Text, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useNavigate } from '@tanstack/react-router'
import { reviewKeys, reviewsApi } from './reviews.api.ts'
import { SlaClock } from './SlaClock.tsx'

/** "Replies waiting for review" for reviewers; "Your replies in review" with the way to promotion for authors. */
export function ReviewsHomeCard() {
  const navigate = useNavigate()
  const summary = useQuery({ queryKey: reviewKeys.summary, queryFn: reviewsApi.summary, meta: { silent: true } })
  const s = summary.data
  const queue = useQuery({
    queryKey: reviewKeys.list({ status: 'pending', limit: 3 }),
    queryFn: () => reviewsApi.list({ status: 'pending', limit: 3 }),
    enabled: !!s?.isReviewer,
    meta: { silent: true },
  })
  if (!s) return null
  const open = () => void navigate({ to: '/reviews' })
  if (s.isReviewer)
    return (
      <Card withBorder component="section" aria-labelledby="reviews-card-title">
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h5" id="reviews-card-title">
            Replies waiting for review
          </Title>
          <Group gap={4}>
            <Badge variant="light">{s.queue.pending} waiting</Badge>
            {s.queue.overdue > 0 && <Badge color="red">{s.queue.overdue} overdue</Badge>}
          </Group>
        </Group>
        {s.queue.pending === 0 ? (
          <Text size="sm" c="dimmed">
            Nothing to review. Held replies from people in review appear here.
          </Text>
        ) : (
          <Stack gap={6}>
            {queue.data?.items.map((r) => (
              <Group key={r.id} justify="space-between" wrap="nowrap">
                <Text size="sm" truncate="end">
                  {r.author.name} on #{r.ticketId} {r.ticketSubject}
                </Text>
                <SlaClock review={r} />
              </Group>
            ))}
          </Stack>
        )}
        <Button variant="light" mt="sm" onClick={open}>
          Open the review queue
        </Button>
      </Card>
    )
  if (!s.promotion && s.mine.pending + s.mine.rejected + s.mine.approved === 0) return null
  const p = s.promotion
  return (
    <Card withBorder component="section" aria-labelledby="my-reviews-card-title">
      <Title order={2} size="h5" id="my-reviews-card-title" mb="xs">
        Your replies in review
      </Title>
      <Text size="sm">
        {s.mine.pending} waiting · {s.mine.approved} approved · {s.mine.rejected} returned with feedback
      </Text>
      {p && (
        <Stack gap={4} mt="sm">
          <Text size="xs" c="dimmed">
            {p.enabled
              ? p.blockedByRejection
                ? 'A reply was returned since your last trust change: automatic promotion waits until an admin resets it.'
                : `${p.approvals} of ${p.required} approved replies with small edits toward replying without review`
              : 'Automatic promotion is off; an admin decides when your replies stop being reviewed.'}
          </Text>
          {p.enabled && !p.blockedByRejection && (
            <Progress value={Math.min(100, (p.approvals / p.required) * 100)} aria-label="Progress toward automatic promotion" />
          )}
        </Stack>
      )}
      <Button variant="light" mt="sm" onClick={open}>
        See my replies and feedback
      </Button>
    </Card>
  )
}
