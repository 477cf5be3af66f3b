import type { MessageDto, ReviewDto } from '@allhands/contract'
import { Alert, Anchor, Avatar, Badge, Button, Group, Paper, Stack, Text, Tooltip, UnstyledButton } from '@mantine/core'
import { IconAlertTriangle, IconChevronDown, IconChevronRight, IconEye, IconLock, IconPaperclip } from '@tabler/icons-react'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { api } from '../../lib/api.ts'
import { STATUS_LABEL, formatBytes, fullTime, initials, relativeTime } from '../../lib/format.ts'
import { RouterAnchor } from '../../lib/links.tsx'
import { keys, queryClient } from '../../lib/queries.ts'
import { METRIC_LABEL } from '../sla/sla.api.ts'
import { MessageFrame, prepareMessageHtml } from './MessageFrame.tsx'

/** One line of human-readable text for a system event message. */
export function describeEvent(m: MessageDto): string {
  const e = (m.event ?? {}) as Record<string, unknown>
  const who = m.author.name || 'Someone'
  const label = (s: unknown) => STATUS_LABEL[s as keyof typeof STATUS_LABEL] ?? String(s)
  switch (e.type) {
    case 'status_changed':
      return `${who} changed the status from ${label(e.from)} to ${label(e.to)}`
    case 'priority_changed':
      return `${who} changed the priority from ${e.from} to ${e.to}`
    case 'assigned':
      return e.to ? `${who} assigned the ticket to ${e.toName ?? 'someone'}` : `${who} unassigned the ticket`
    case 'team_changed':
      return e.to ? `${who} moved the ticket to team ${e.toName ?? ''}` : `${who} removed the team`
    case 'tags_changed': {
      const added = (e.added as string[] | undefined) ?? []
      const removed = (e.removed as string[] | undefined) ?? []
      return `${who} ${[added.length ? `added tags ${added.join(', ')}` : '', removed.length ? `removed tags ${removed.join(', ')}` : ''].filter(Boolean).join(' and ')}`
    }
    case 'subject_changed':
      return `${who} renamed the ticket to “${e.to}”`
    case 'fields_changed':
      return `${who} updated ${((e.keys as string[] | undefined) ?? []).join(', ')}`
    case 'merged_in':
      return `${who} merged ticket #${e.from} (${e.fromSubject ?? ''}) into this one`
    case 'merged_into':
      return `${who} merged this ticket into #${e.into}`
    case 'delivery_failed': {
      const recipients = ((e.recipients as string[] | undefined) ?? []).join(', ') || 'the requester'
      return `Delivery to ${recipients} failed: ${String(e.reason ?? e.status ?? 'the message bounced')}`
    }
    case 'auto_reply_received':
      return `Automatic reply from ${String(e.from ?? 'an unknown sender')}${e.subject ? ` (“${e.subject}”)` : ''}`
    case 'follow_up_of':
      return `Follow-up of ticket ${e.ticketId}`
    // safe routing (features/risk, features/queue)
    case 'category_changed':
      return e.to ? `${who} set the category to ${e.toName ?? ''}` : `${who} removed the category`
    case 'handed_back':
      return e.automatic
        ? `Handed back to support automatically from ${e.fromName ?? 'the assignee'}: ${e.reason ?? ''}`
        : `${who} handed the ticket back to support: ${e.reason ?? ''}`
    // live chat (features/chat)
    case 'chat_prechat': {
      const fields = ((e.fields as { label?: string; value?: string }[] | undefined) ?? []).map((f) => `${f.label}: ${f.value}`)
      return `Pre-chat answers${e.verified ? '' : ' (unverified)'}${fields.length ? ` — ${fields.join(' · ')}` : ''}`
    }
    case 'chat_ended':
      return `${who} ended the chat`
    // SLA (features/sla)
    case 'sla_breached':
      return `${METRIC_LABEL[e.metric as keyof typeof METRIC_LABEL] ?? 'SLA'} target breached`
    default:
      return `${who}: ${String(e.type ?? 'update')}`
  }
}

/** `reviewedBy` maps sent replies that were held for review to their review, for the "reviewed by" badge. */
export function Conversation({ messages, reviewedBy }: { messages: MessageDto[]; reviewedBy?: Map<number, ReviewDto> }) {
  return (
    <Stack gap="sm" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Conversation" aria-live="polite" aria-relevant="additions">
      {messages.map((m) => (
        <li key={m.id} data-message-id={m.id} data-kind={m.kind}>
          {m.kind === 'event' ? <EventLine m={m} /> : <MessageItem m={m} review={reviewedBy?.get(m.id)} />}
        </li>
      ))}
    </Stack>
  )
}

function EventLine({ m }: { m: MessageDto }) {
  const e = (m.event ?? {}) as Record<string, unknown>
  const failed = e.type === 'delivery_failed'
  return (
    <Text
      size="xs"
      c={failed ? 'red' : 'dimmed'}
      fw={failed ? 600 : undefined}
      ta="center"
      py={2}
      data-event={String(e.type ?? '')}
      role={failed ? 'alert' : undefined}
    >
      {e.type === 'follow_up_of' && typeof e.ticketId === 'number' ? <FollowUpLink ticketId={e.ticketId} /> : describeEvent(m)} ·{' '}
      <span title={fullTime(m.createdAt)}>{relativeTime(m.createdAt)}</span>
    </Text>
  )
}

function FollowUpLink({ ticketId }: { ticketId: number }) {
  const ticket = useQuery({ queryKey: keys.ticket(ticketId), queryFn: () => api.ticket(ticketId), meta: { silent: true }, retry: false })
  return (
    <>
      Follow-up of{' '}
      <RouterAnchor to="/tickets/$ticketId" params={{ ticketId: String(ticketId) }} size="xs">
        #{ticket.data?.number ?? ticketId}
        {ticket.data ? ` ${ticket.data.subject}` : ''}
      </RouterAnchor>
    </>
  )
}

const DELIVERY = {
  queued: { label: 'Queued', color: 'gray' },
  sent: { label: 'Sent', color: 'green' },
  failed: { label: 'Failed', color: 'red' },
} as const

function DeliveryStatus({ m }: { m: MessageDto }) {
  if (!m.delivery) return null
  const d = DELIVERY[m.delivery.status]
  return (
    <Badge color={d.color} variant="light" size="sm" data-delivery={m.delivery.status} title={m.delivery.error ?? undefined}>
      {d.label}
    </Badge>
  )
}

function DeliveryFailure({ m }: { m: MessageDto }) {
  const retry = useMutation({
    mutationFn: () => api.retryDelivery(m.id),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: keys.messages(m.ticketId) }),
  })
  return (
    <Alert color="red" variant="light" mt="xs" py={6} icon={<IconAlertTriangle size={16} aria-hidden />} title="This reply was not delivered">
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text size="xs" style={{ wordBreak: 'break-word' }}>
          {m.delivery?.error ?? 'The mail server refused the message.'}
        </Text>
        <Button size="compact-xs" color="red" loading={retry.isPending} onClick={() => retry.mutate()} aria-label="Retry sending this reply">
          Retry
        </Button>
      </Group>
    </Alert>
  )
}

function EmailHeader({ email }: { email: NonNullable<MessageDto['email']> }) {
  const [open, setOpen] = useState(false)
  const rows: [string, string][] = [
    ['From', email.from ?? ''],
    ['To', email.to.join(', ')],
    ['Cc', email.cc.join(', ')],
    ['Subject', email.subject ?? ''],
  ]
  return (
    <div className="email-header">
      <UnstyledButton onClick={() => setOpen((v) => !v)} aria-expanded={open} aria-label={open ? 'Hide email details' : 'Show email details'}>
        <Group gap={4} wrap="nowrap">
          {open ? <IconChevronDown size={12} aria-hidden /> : <IconChevronRight size={12} aria-hidden />}
          <Text size="xs" c="dimmed" truncate="end">
            {email.from ?? 'Unknown sender'} → {email.to.join(', ') || 'no recipients'}
            {email.cc.length > 0 ? ` · cc ${email.cc.join(', ')}` : ''}
          </Text>
        </Group>
      </UnstyledButton>
      {open && (
        <dl className="email-header-details">
          {rows
            .filter(([, v]) => v)
            .map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
        </dl>
      )}
    </div>
  )
}

// Email HTML that the server built from a plain-text body is only paragraphs: there is nothing more to show formatted.
const isRichHtml = (m: MessageDto) => (m.email ? /<(?!\/?(p|br)\b)[a-z]/i.test(m.html) : /<(img|table|a |b>|strong|em|i>|ul|ol|blockquote|h\d)/i.test(m.html))

function ReviewedBadge({ review }: { review: ReviewDto }) {
  const edited = (review.editRatio ?? 0) > 0
  return (
    <Tooltip label={`Held for review; ${edited ? 'edited and approved' : 'approved'} by ${review.reviewer?.name ?? 'a reviewer'}`}>
      <Badge color="teal" variant="light" size="sm" leftSection={<IconEye size={10} aria-hidden />} data-testid="reviewed-by">
        {edited ? 'Edited by' : 'Reviewed by'} {review.reviewer?.name ?? 'a reviewer'}
      </Badge>
    </Tooltip>
  )
}

function MessageItem({ m, review }: { m: MessageDto; review?: ReviewDto }) {
  const [formatted, setFormatted] = useState(false)
  const [quoted, setQuoted] = useState(false)
  const [remoteImages, setRemoteImages] = useState(false)
  const isNote = m.kind === 'note'
  const hasQuoted = m.fullText.trim() !== m.text.trim()
  // Plain text is the safe default; the formatted view stays inside a sandboxed iframe.
  const hasRichHtml = isRichHtml(m)
  const prepared = useMemo(() => (formatted ? prepareMessageHtml(m.html, window.location.origin, remoteImages) : null), [formatted, m.html, remoteImages])
  const failed = m.delivery?.status === 'failed'
  return (
    <Paper
      p="sm"
      className={isNote ? 'message-note' : m.kind === 'reply' ? 'message-reply' : 'message-customer'}
      aria-label={isNote ? `Internal note by ${m.author.name}` : `Message from ${m.author.name}`}
    >
      <Group justify="space-between" mb={6} wrap="nowrap">
        <Group gap="xs" wrap="nowrap">
          <Avatar size={28} radius="xl" color={m.kind === 'customer' ? 'teal' : 'indigo'}>
            {initials(m.author.name)}
          </Avatar>
          <Text fw={600} size="sm">
            {m.author.name}
          </Text>
          {isNote && (
            <Badge color="yellow" variant="filled" size="sm" leftSection={<IconLock size={10} />}>
              Internal note
            </Badge>
          )}
          {m.kind === 'reply' && (
            <Badge color="indigo" variant="light" size="sm">
              Reply
            </Badge>
          )}
          {m.kind === 'reply' && <DeliveryStatus m={m} />}
          {review && <ReviewedBadge review={review} />}
        </Group>
        <Tooltip label={fullTime(m.createdAt)}>
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
            {relativeTime(m.createdAt)}
          </Text>
        </Tooltip>
      </Group>
      {m.email && (m.email.from || m.email.to.length > 0) && <EmailHeader email={m.email} />}
      {m.email?.notes.map((note) => (
        <Alert key={note} color="yellow" variant="light" py={4} mb={6} icon={<IconAlertTriangle size={16} aria-hidden />} data-testid="email-note">
          <Text size="xs">{note}</Text>
        </Alert>
      ))}
      {prepared ? (
        <MessageFrame body={prepared.body} title={`Formatted message from ${m.author.name}`} remoteImages={remoteImages} />
      ) : (
        <pre className="message-text">{quoted ? m.fullText : m.text}</pre>
      )}
      {failed && <DeliveryFailure m={m} />}
      {m.attachments.length > 0 && (
        <Group gap="xs" mt="xs">
          {m.attachments.map((a) => (
            <Anchor key={a.id} href={a.url} target="_blank" rel="noopener noreferrer" size="sm">
              <Group gap={4} wrap="nowrap">
                <IconPaperclip size={14} aria-hidden />
                {a.filename} ({formatBytes(a.size)})
              </Group>
            </Anchor>
          ))}
        </Group>
      )}
      {(hasRichHtml || hasQuoted) && (
        <Group gap="xs" mt={6}>
          {hasRichHtml && (
            <Button size="compact-xs" variant="subtle" onClick={() => setFormatted((v) => !v)}>
              {formatted ? 'Show plain text' : 'Show formatted'}
            </Button>
          )}
          {prepared && prepared.remoteImages > 0 && !remoteImages && (
            <Button
              size="compact-xs"
              variant="subtle"
              color="orange"
              onClick={() => setRemoteImages(true)}
              aria-label={`Load ${prepared.remoteImages} remote images (the sender can see that you opened the message)`}
            >
              Load remote images
            </Button>
          )}
          {hasQuoted && !formatted && (
            <Button size="compact-xs" variant="subtle" onClick={() => setQuoted((v) => !v)}>
              {quoted ? 'Hide quoted text' : 'Show quoted text'}
            </Button>
          )}
        </Group>
      )}
    </Paper>
  )
}
