import type { CreateTicketInput, Priority } from '@allhands/contract'
import { Button, Group, Modal, Select, SimpleGrid, Stack, TagsInput, TextInput, Textarea } from '@mantine/core'
import { useMutation } from '@tanstack/react-query'
import { useNavigate } from '@tanstack/react-router'
import { useState } from 'react'
import { api } from '../../lib/api.ts'
import { priorityOptions } from '../../lib/format.ts'
import { keys, queryClient } from '../../lib/queries.ts'
import { AssigneePicker, TeamPicker } from '../common/Pickers.tsx'

export function NewTicketDialog({ onClose }: { onClose: () => void }) {
  const navigate = useNavigate()
  const [subject, setSubject] = useState('')
  const [email, setEmail] = useState('')
  const [name, setName] = useState('')
  const [body, setBody] = useState('')
  const [priority, setPriority] = useState<Priority>('normal')
  const [assigneeId, setAssigneeId] = useState<number | null>(null)
  const [teamId, setTeamId] = useState<number | null>(null)
  const [tags, setTags] = useState<string[]>([])
  const create = useMutation({
    mutationFn: () => {
      const input: CreateTicketInput = {
        subject: subject.trim(),
        body,
        requester: { email: email.trim(), ...(name.trim() ? { name: name.trim() } : {}) },
        priority,
        assigneeId,
        teamId,
        tags: tags.map((t) => t.trim().replace(/[\s,]+/g, '-')).filter(Boolean),
      }
      return api.createTicket(input)
    },
    onSuccess: (t) => {
      void queryClient.invalidateQueries({ queryKey: keys.ticketLists })
      void queryClient.invalidateQueries({ queryKey: keys.views })
      onClose()
      void navigate({ to: '/tickets/$ticketId', params: { ticketId: String(t.id) } })
    },
  })
  return (
    <Modal opened onClose={onClose} title="New ticket" size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          create.mutate()
        }}
      >
        <Stack>
          <TextInput label="Subject" required value={subject} onChange={(e) => setSubject(e.currentTarget.value)} data-autofocus />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label="Requester email" type="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
            <TextInput label="Requester name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
          </SimpleGrid>
          <Textarea
            label="Message"
            description="What the customer asked, or the first message to them"
            required
            autosize
            minRows={5}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Select label="Priority" data={priorityOptions} value={priority} allowDeselect={false} onChange={(v) => v && setPriority(v as Priority)} />
            <AssigneePicker label="Assignee" value={assigneeId} onChange={setAssigneeId} />
            <TeamPicker label="Team" value={teamId} onChange={setTeamId} />
          </SimpleGrid>
          <TagsInput label="Tags" value={tags} onChange={setTags} placeholder="Type and press Enter" />
          <Group justify="end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create ticket
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
