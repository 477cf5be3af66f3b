import type { ConsultDto, ConsultMessageDto } from '@allhands/contract'
import { Badge, Button, Group, Loader, Paper, Select, Stack, Text, Textarea } from '@mantine/core'
import { IconQuote } from '@tabler/icons-react'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { fullTime, relativeTime } from '../../lib/format.ts'
import { queryClient, useCurrentUser, useUsers } from '../../lib/queries.ts'
import { consultKeys, consultsApi, dueLabel, refreshConsults } from './consults.api.ts'

export function ConsultStatusBadge({ consult }: { consult: Pick<ConsultDto, 'dueAt' | 'overdue' | 'status'> }) {
  const color = consult.overdue ? 'red' : consult.status === 'answered' ? 'teal' : consult.status === 'resolved' ? 'gray' : 'blue'
  return (
    <Badge color={color} variant={consult.overdue ? 'filled' : 'light'} title={`Due ${fullTime(consult.dueAt)}`} data-testid="consult-due">
      {dueLabel(consult)}
    </Badge>
  )
}

/** A consult's question and thread with the answer box; `onQuote` adds "Quote in reply" to each answer (ticket panel). */
export function ConsultThread({ consultId, onQuote }: { consultId: number; onQuote?: (m: ConsultMessageDto, c: ConsultDto) => void }) {
  const me = useCurrentUser()
  const detail = useQuery({ queryKey: consultKeys.detail(consultId), queryFn: () => consultsApi.get(consultId) })
  const users = useUsers()
  const [body, setBody] = useState('')
  const post = useMutation({
    mutationFn: () => consultsApi.post(consultId, body),
    onSuccess: (d) => {
      setBody('')
      queryClient.setQueryData(consultKeys.detail(consultId), d)
      void refreshConsults()
    },
  })
  const resolve = useMutation({ mutationFn: () => consultsApi.resolve(consultId), onSuccess: () => void refreshConsults() })
  const assign = useMutation({ mutationFn: (userId: number) => consultsApi.assign(consultId, userId), onSuccess: () => void refreshConsults() })
  if (detail.isPending) return <Loader size="sm" aria-label="Loading the consult" />
  if (!detail.data) return <Text c="dimmed">This consult could not be loaded.</Text>
  const { consult: c, messages } = detail.data
  const open = c.status !== 'resolved'
  const mayAct = c.isAsker || c.isConsultee || c.canViewTicket
  const candidates = (users.data ?? []).filter((u) => u.isActive && u.id !== c.askedBy.id && (c.team ? u.teamIds.includes(c.team.id) : true))
  return (
    <Stack gap="sm">
      <Paper withBorder p="sm" bg="var(--mantine-color-default-hover)">
        <Group justify="space-between" wrap="nowrap" align="start">
          <Text size="xs" c="dimmed">
            {c.askedBy.name} asked {c.team ? c.team.name : (c.assignee?.name ?? 'someone')} · {relativeTime(c.createdAt)}
          </Text>
          <ConsultStatusBadge consult={c} />
        </Group>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} mt={4}>
          {c.question}
        </Text>
      </Paper>
      <Stack gap="xs" aria-label="Consult thread" role="list">
        {messages.length === 0 && (
          <Text size="sm" c="dimmed">
            No answer yet{c.assignee ? ` from ${c.assignee.name}` : ''}.
          </Text>
        )}
        {messages.map((m) => (
          <Paper key={m.id} withBorder p="sm" role="listitem" style={m.isAnswer ? { borderLeft: '3px solid var(--mantine-color-teal-6)' } : undefined}>
            <Group justify="space-between" wrap="nowrap" gap="xs">
              <Text size="xs" fw={600}>
                {m.author.name}
                <Text span size="xs" c="dimmed" fw={400}>
                  {' '}
                  · {m.isAnswer ? 'answer' : 'follow-up'}
                  {m.via === 'email' ? ' by email' : ''} · <time dateTime={new Date(m.createdAt).toISOString()}>{relativeTime(m.createdAt)}</time>
                </Text>
              </Text>
              {onQuote && m.isAnswer && (
                <Button size="compact-xs" variant="light" leftSection={<IconQuote size={12} aria-hidden />} onClick={() => onQuote(m, c)}>
                  Quote in reply
                </Button>
              )}
            </Group>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} mt={4}>
              {m.text}
            </Text>
          </Paper>
        ))}
      </Stack>
      {open && mayAct && (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            if (body.trim()) post.mutate()
          }}
        >
          <Stack gap="xs">
            <Textarea
              label={c.isConsultee && !c.isAsker ? 'Your answer' : 'Follow-up'}
              description="Internal: never sent to the customer"
              autosize
              minRows={2}
              maxRows={8}
              value={body}
              onChange={(e) => setBody(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && (e.metaKey || e.ctrlKey) && body.trim()) post.mutate()
              }}
            />
            <Group justify="space-between">
              <Group gap="xs">
                <Select
                  aria-label="Hand this consult to"
                  placeholder={c.assignee ? `Assigned to ${c.assignee.name}` : 'Assign to…'}
                  size="xs"
                  w={200}
                  searchable
                  data={candidates.map((u) => ({ value: String(u.id), label: u.id === me.id ? `${u.name} (me)` : u.name }))}
                  value={c.assignee ? String(c.assignee.id) : null}
                  onChange={(v) => v && Number(v) !== c.assignee?.id && assign.mutate(Number(v))}
                />
                <Button size="xs" variant="default" onClick={() => resolve.mutate()} loading={resolve.isPending}>
                  Resolve
                </Button>
              </Group>
              <Button type="submit" size="xs" disabled={!body.trim()} loading={post.isPending}>
                {c.isConsultee && !c.isAsker ? 'Send answer' : 'Send'}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Stack>
  )
}
