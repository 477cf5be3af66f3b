import type { ReviewDto } from '@allhands/contract'
import { Avatar, Group, Paper, Stack, Text, Tooltip } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { fullTime, initials, relativeTime } from '../../lib/format.ts'
import { reviewKeys, reviewsApi } from './reviews.api.ts'
import { ReviewPanel } from './ReviewPanel.tsx'
import { SlaClock } from './SlaClock.tsx'

const WEEK = 7 * 24 * 3600_000

/** The ticket's held replies the signed-in person may see (their own, or all for reviewers) and the approved ones. */
export function useTicketReviews(ticketId: number, enabled = true) {
  return useQuery({
    queryKey: reviewKeys.ticket(ticketId),
    queryFn: () => reviewsApi.list({ ticketId, limit: 200 }),
    enabled,
    meta: { silent: true },
  })
}

/** Who approved each sent reply: message id → the review, for the "reviewed by" badge. */
export const reviewedMessages = (reviews: ReviewDto[] | undefined) =>
  new Map((reviews ?? []).filter((r) => r.status === 'approved' && r.messageId !== null).map((r) => [r.messageId!, r]))

/**
 * Held replies at the end of the conversation, each a distinct card: waiting ones (with Withdraw for the
 * author, the decisions for reviewers) and, for the author, replies returned with feedback this week.
 */
export function HeldReplies({ reviews, meId }: { reviews: ReviewDto[] | undefined; meId: number }) {
  const shown = (reviews ?? []).filter(
    (r) => r.status === 'pending' || (r.status === 'rejected' && r.author.id === meId && (r.decidedAt ?? 0) > Date.now() - WEEK),
  )
  if (!shown.length) return null
  return (
    <Stack gap="sm" mt="sm" component="section" aria-label="Replies held for review">
      {shown
        .sort((a, b) => a.id - b.id)
        .map((r) => (
          <Paper
            key={r.id}
            p="sm"
            withBorder
            data-testid="held-reply"
            data-review-id={r.id}
            style={{ borderStyle: 'dashed', borderColor: r.status === 'pending' ? 'var(--mantine-color-blue-5)' : 'var(--mantine-color-orange-5)' }}
            aria-label={`${r.status === 'pending' ? 'Reply waiting for review' : 'Returned reply'} by ${r.author.name}`}
          >
            <Group justify="space-between" mb={6} wrap="nowrap">
              <Group gap="xs" wrap="nowrap">
                <Avatar size={28} radius="xl" color="indigo">
                  {initials(r.author.name)}
                </Avatar>
                <Text fw={600} size="sm">
                  {r.author.name}
                </Text>
                <SlaClock review={r} />
              </Group>
              <Tooltip label={fullTime(r.createdAt)}>
                <Text size="xs" c="dimmed">
                  {relativeTime(r.createdAt)}
                </Text>
              </Tooltip>
            </Group>
            <ReviewPanel key={r.id} review={r} />
          </Paper>
        ))}
    </Stack>
  )
}
