import type { Priority, TicketDto, TicketStatus, UpdateTicketInput } from '@allhands/contract'
import { ActionIcon, Badge, Button, Group, Select, Stack, TagsInput, Text, TextInput, Title, Tooltip } from '@mantine/core'
import { IconArrowMerge, IconBell, IconBellOff, IconPencil } from '@tabler/icons-react'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../../lib/api.ts'
import { STATUS_COLOR, STATUS_LABEL, priorityOptions, statusOptions } from '../../lib/format.ts'
import { keys, queryClient, useCurrentUser } from '../../lib/queries.ts'
import { AssigneePicker, TeamPicker } from '../common/Pickers.tsx'
import { MergeDialog } from './MergeDialog.tsx'
import { PresenceBar } from './PresenceBar.tsx'

type Props = { ticket: TicketDto; canEdit: boolean; onUpdate: (changes: UpdateTicketInput) => void }

export function TicketHeader({ ticket, canEdit, onUpdate }: Props) {
  const me = useCurrentUser()
  const [editing, setEditing] = useState(false)
  const [subject, setSubject] = useState(ticket.subject)
  const [merging, setMerging] = useState(false)
  const following = ticket.followerIds.includes(me.id)
  const follow = useMutation({ mutationFn: () => api.follow(ticket.id, !following), onSuccess: (t) => queryClient.setQueryData(keys.ticket(ticket.id), t) })
  const saveSubject = () => {
    setEditing(false)
    if (subject.trim() && subject.trim() !== ticket.subject) onUpdate({ subject: subject.trim() })
  }
  return (
    <Stack gap="xs" px="md" py="sm" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
      <Group justify="space-between" wrap="nowrap" align="start">
        <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
          <Text c="dimmed" fw={600}>
            #{ticket.number}
          </Text>
          {editing ? (
            <TextInput
              aria-label="Subject"
              value={subject}
              autoFocus
              onChange={(e) => setSubject(e.currentTarget.value)}
              onBlur={saveSubject}
              onKeyDown={(e) => {
                if (e.key === 'Enter') saveSubject()
                if (e.key === 'Escape') {
                  setSubject(ticket.subject)
                  setEditing(false)
                }
              }}
              w={480}
            />
          ) : (
            <Title order={1} size="h3" lineClamp={1}>
              {ticket.subject}
            </Title>
          )}
          {canEdit && !editing && (
            <ActionIcon
              variant="subtle"
              aria-label="Edit subject"
              onClick={() => {
                setSubject(ticket.subject)
                setEditing(true)
              }}
            >
              <IconPencil size={16} />
            </ActionIcon>
          )}
          <Badge color={STATUS_COLOR[ticket.status]} variant="light" data-testid="ticket-status-badge">
            {STATUS_LABEL[ticket.status]}
          </Badge>
        </Group>
        <Group gap="xs" wrap="nowrap">
          <PresenceBar ticketId={ticket.id} />
          <Tooltip label={following ? 'Stop getting notifications for this ticket' : 'Get notified about changes'}>
            <Button
              size="xs"
              variant={following ? 'light' : 'default'}
              leftSection={following ? <IconBellOff size={14} /> : <IconBell size={14} />}
              onClick={() => follow.mutate()}
              loading={follow.isPending}
            >
              {following ? 'Unfollow' : 'Follow'}
            </Button>
          </Tooltip>
          {canEdit && (
            <Button size="xs" variant="default" leftSection={<IconArrowMerge size={14} />} onClick={() => setMerging(true)}>
              Merge
            </Button>
          )}
        </Group>
      </Group>
      {canEdit && (
        <Group gap="xs" align="end">
          <Select
            id="ticket-status"
            label="Status"
            size="xs"
            w={130}
            data={statusOptions}
            value={ticket.status}
            allowDeselect={false}
            onChange={(v) => v && onUpdate({ status: v as TicketStatus })}
          />
          <Select
            label="Priority"
            size="xs"
            w={120}
            data={priorityOptions}
            value={ticket.priority}
            allowDeselect={false}
            onChange={(v) => v && onUpdate({ priority: v as Priority })}
          />
          <AssigneePicker
            id="ticket-assignee"
            label="Assignee"
            size="xs"
            w={180}
            value={ticket.assignee?.id ?? null}
            onChange={(assigneeId) => onUpdate({ assigneeId })}
          />
          <TeamPicker label="Team" size="xs" w={160} value={ticket.teamId} onChange={(teamId) => onUpdate({ teamId })} />
          <TagsInput
            label="Tags"
            size="xs"
            style={{ flex: 1, minWidth: 180 }}
            value={ticket.tags}
            onChange={(tags) => onUpdate({ tags: tags.map((t) => t.trim().replace(/[\s,]+/g, '-')).filter(Boolean) })}
            placeholder="Add tag"
            clearable
          />
        </Group>
      )}
      {merging && <MergeDialog ticket={ticket} onClose={() => setMerging(false)} />}
    </Stack>
  )
}
