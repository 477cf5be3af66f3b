import type { ChatConversationDto, TransferChatInput } from '@allhands/contract'
import { Button, Group, Modal, SegmentedControl, Select, Stack, Text, Textarea } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { keys, queryClient, useTeams } from '../../lib/queries.ts'
import { availabilityOf, chatApi, chatKeys } from './chat.api.ts'

/** Hands a live chat to a person (who must be allowed to take chats) or to a team (it waits for that team), with a note. */
export function TransferDialog({ chat, onClose }: { chat: ChatConversationDto; onClose: () => void }) {
  const [target, setTarget] = useState<'user' | 'team'>('user')
  const [userId, setUserId] = useState<string | null>(null)
  const [teamId, setTeamId] = useState<string | null>(null)
  const [note, setNote] = useState('')
  const agents = useQuery({ queryKey: chatKeys.agents, queryFn: chatApi.agents })
  const teams = useTeams()
  const people = (agents.data?.items ?? [])
    .filter((a) => a.user.id !== chat.agent?.id)
    .map((a) => ({
      value: String(a.user.id),
      label: `${a.user.name} — ${availabilityOf(a.status).label}, ${a.activeChats}/${a.capacity} chats`,
    }))
  const chosen = target === 'user' ? userId : teamId
  const transfer = useMutation({
    mutationFn: () => {
      const input: TransferChatInput = target === 'user' ? { userId: Number(userId) } : { teamId: Number(teamId) }
      if (note.trim()) input.note = note.trim()
      return chatApi.transfer(chat.ticketId, input)
    },
    onSuccess: (c) => {
      queryClient.setQueryData(chatKeys.ticketChat(chat.ticketId), c)
      void queryClient.invalidateQueries({ queryKey: keys.messages(chat.ticketId) })
      void queryClient.invalidateQueries({ queryKey: chatKeys.conversations })
      const to =
        target === 'user' ? agents.data?.items.find((a) => String(a.user.id) === userId)?.user.name : teams.data?.find((t) => String(t.id) === teamId)?.name
      notifications.show({ color: 'green', message: `Chat transferred to ${to ?? 'the new owner'}` })
      onClose()
    },
  })
  return (
    <Modal opened onClose={onClose} title="Transfer chat">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (chosen) transfer.mutate()
        }}
      >
        <Stack>
          <SegmentedControl
            aria-label="Transfer to"
            value={target}
            onChange={(v) => setTarget(v as 'user' | 'team')}
            data={[
              { value: 'user', label: 'A person' },
              { value: 'team', label: 'A team' },
            ]}
          />
          {target === 'user' ? (
            <Select
              label="Person"
              placeholder={agents.isPending ? 'Loading…' : 'Pick a teammate'}
              searchable
              data={people}
              value={userId}
              onChange={setUserId}
              nothingFoundMessage="Nobody else can take chats"
              data-autofocus
            />
          ) : (
            <Select
              label="Team"
              placeholder="Pick a team"
              searchable
              data={(teams.data ?? []).map((t) => ({ value: String(t.id), label: t.name }))}
              value={teamId}
              onChange={setTeamId}
              nothingFoundMessage="No teams yet"
            />
          )}
          {target === 'team' && (
            <Text size="xs" c="dimmed">
              The chat waits for the team and goes to its next available agent.
            </Text>
          )}
          <Textarea
            label="Note for the new owner"
            description="Saved as an internal note on the ticket; the visitor does not see it."
            autosize
            minRows={2}
            maxLength={2000}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
          />
          <Group justify="end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={!chosen} loading={transfer.isPending}>
              Transfer
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
