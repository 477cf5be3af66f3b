import type { MessageDto } from '@allhands/contract'
import { Anchor, Avatar, Badge, Button, Group, Paper, Stack, Text, Tooltip } from '@mantine/core'
import { IconLock, IconPaperclip } from '@tabler/icons-react'
import { useState } from 'react'
import { STATUS_LABEL, formatBytes, fullTime, initials, relativeTime } from '../../lib/format.ts'
import { MessageFrame } from './MessageFrame.tsx'

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
    default:
      return `${who}: ${String(e.type ?? 'update')}`
  }
}

export function Conversation({ messages }: { messages: MessageDto[] }) {
  return (
    <Stack gap="sm" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Conversation" aria-live="polite" aria-relevant="additions">
      {messages.map((m) => (
        <li key={m.id} data-message-id={m.id} data-kind={m.kind}>
          {m.kind === 'event' ? <EventLine m={m} /> : <MessageItem m={m} />}
        </li>
      ))}
    </Stack>
  )
}

function EventLine({ m }: { m: MessageDto }) {
  return (
    <Text size="xs" c="dimmed" ta="center" py={2}>
      {describeEvent(m)} · <span title={fullTime(m.createdAt)}>{relativeTime(m.createdAt)}</span>
    </Text>
  )
}

function MessageItem({ m }: { m: MessageDto }) {
  const [formatted, setFormatted] = useState(false)
  const [quoted, setQuoted] = useState(false)
  const isNote = m.kind === 'note'
  const hasQuoted = m.fullText.trim() !== m.text.trim()
  // Plain text is the safe default; the formatted view stays inside a sandboxed iframe.
  const hasRichHtml = /<(img|table|a |b>|strong|em|i>|ul|ol|blockquote|h\d)/i.test(m.html)
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
        </Group>
        <Tooltip label={fullTime(m.createdAt)}>
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
            {relativeTime(m.createdAt)}
          </Text>
        </Tooltip>
      </Group>
      {formatted ? (
        <MessageFrame html={m.html} title={`Formatted message from ${m.author.name}`} />
      ) : (
        <pre className="message-text">{quoted ? m.fullText : m.text}</pre>
      )}
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
