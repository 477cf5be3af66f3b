import type { ReviewDto } from '@allhands/contract'
import { Alert, Badge, Button, Group, Stack, Text, Textarea } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconCheck, IconEdit, IconMessageCircle, IconX } from '@tabler/icons-react'
import { useMutation } from '@tanstack/react-query'
import { useRef, useState } from 'react'
import { STATUS_LABEL } from '../../lib/format.ts'
import { useShortcuts } from '../../lib/shortcuts.ts'
import { refreshAfterReview, reviewsApi } from './reviews.api.ts'
import { ReviewEditor } from './ReviewEditor.tsx'

export const REVIEW_STATUS = {
  pending: { label: 'Waiting for review', color: 'blue' },
  approved: { label: 'Approved and sent', color: 'green' },
  rejected: { label: 'Returned with feedback', color: 'orange' },
  withdrawn: { label: 'Withdrawn', color: 'gray' },
} as const

/**
 * A held reply and what the signed-in person may do with it: reviewers approve as written, edit and
 * approve, or reject with feedback; the author withdraws while it waits, and reads the coaching after.
 * With `shortcuts`, `a` approves and `r` opens the feedback box. Render it with `key={review.id}`.
 */
export function ReviewPanel({ review, shortcuts = false, onDecided }: { review: ReviewDto; shortcuts?: boolean; onDecided?: () => void }) {
  const [editing, setEditing] = useState(false)
  const [html, setHtml] = useState(review.finalHtml ?? review.html)
  const [rejecting, setRejecting] = useState(false)
  const [feedback, setFeedback] = useState('')
  const feedbackRef = useRef<HTMLTextAreaElement>(null)

  const done = (title: string) => () => {
    onDecided?.()
    notifications.show({ color: 'green', title, message: `#${review.ticketId} ${review.ticketSubject}` })
    refreshAfterReview(review.ticketId)
  }
  const approve = useMutation({
    mutationFn: (edited: string | undefined) => reviewsApi.approve(review.id, edited),
    onSuccess: done('Reply approved and sent'),
    onError: () => refreshAfterReview(review.ticketId),
  })
  const reject = useMutation({
    mutationFn: () => reviewsApi.reject(review.id, feedback),
    onSuccess: done('Reply returned with feedback'),
    onError: () => refreshAfterReview(review.ticketId),
  })
  const withdraw = useMutation({ mutationFn: () => reviewsApi.withdraw(review.id), onSuccess: done('Reply withdrawn') })
  const busy = approve.isPending || reject.isPending || withdraw.isPending

  useShortcuts(
    shortcuts && review.canDecide
      ? {
          a: () => !busy && approve.mutate(editing ? html : undefined),
          r: () => {
            setRejecting(true)
            setTimeout(() => feedbackRef.current?.focus())
          },
        }
      : {},
  )

  const status = REVIEW_STATUS[review.status]
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Badge color={status.color} variant="light" data-review-status={review.status}>
          {status.label}
        </Badge>
        {review.requestedStatus && (
          <Text size="xs" c="dimmed">
            Sets the ticket to {STATUS_LABEL[review.requestedStatus as keyof typeof STATUS_LABEL] ?? review.requestedStatus} when sent
          </Text>
        )}
        {review.reviewer && review.status !== 'pending' && (
          <Text size="xs" c="dimmed">
            by {review.reviewer.name}
          </Text>
        )}
      </Group>
      <ReviewEditor
        html={editing ? html : (review.finalHtml ?? review.html)}
        editable={editing}
        label={editing ? 'Edit the reply before approving' : 'Held reply'}
        onChange={setHtml}
      />
      {review.feedback && (
        <Alert
          color="orange"
          variant="light"
          icon={<IconMessageCircle size={18} aria-hidden />}
          title="Coaching from your reviewer"
          data-testid="review-feedback"
        >
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {review.feedback}
          </Text>
        </Alert>
      )}
      {rejecting && (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            reject.mutate()
          }}
        >
          <Stack gap="xs">
            <Textarea
              ref={feedbackRef}
              label="Feedback for the author"
              description="What to change and why — the author sees this as coaching. Nothing is sent to the customer."
              required
              autosize
              minRows={2}
              value={feedback}
              onChange={(e) => setFeedback(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') setRejecting(false)
              }}
            />
            <Group gap="xs">
              <Button type="submit" color="orange" size="xs" loading={reject.isPending} disabled={!feedback.trim()}>
                Return with feedback
              </Button>
              <Button variant="subtle" size="xs" onClick={() => setRejecting(false)}>
                Cancel
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      {review.canDecide && !rejecting && (
        <Group gap="xs">
          <Button
            size="xs"
            leftSection={<IconCheck size={14} aria-hidden />}
            loading={approve.isPending}
            disabled={busy}
            onClick={() => approve.mutate(editing ? html : undefined)}
          >
            {editing ? 'Approve edited reply' : 'Approve'}
          </Button>
          {editing ? (
            <Button
              size="xs"
              variant="subtle"
              onClick={() => {
                setEditing(false)
                setHtml(review.html)
              }}
            >
              Discard edits
            </Button>
          ) : (
            <Button size="xs" variant="default" leftSection={<IconEdit size={14} aria-hidden />} disabled={busy} onClick={() => setEditing(true)}>
              Edit & approve
            </Button>
          )}
          <Button size="xs" variant="default" color="orange" leftSection={<IconX size={14} aria-hidden />} disabled={busy} onClick={() => setRejecting(true)}>
            Reject…
          </Button>
          {shortcuts && (
            <Text size="xs" c="dimmed">
              a approve · r reject
            </Text>
          )}
        </Group>
      )}
      {review.canWithdraw && (
        <Group gap="xs">
          <Button size="xs" variant="default" loading={withdraw.isPending} onClick={() => withdraw.mutate()}>
            Withdraw
          </Button>
          <Text size="xs" c="dimmed">
            Take it back to rewrite it; nothing has been sent.
          </Text>
        </Group>
      )}
    </Stack>
  )
}
