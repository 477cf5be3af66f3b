import type { InboxDto } from '@allhands/contract'
import { Badge, Button, Group, Paper, Select, Stack, Switch, TextInput, Textarea, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../../lib/api.ts'
import { keys, queryClient, useInboxes } from '../../lib/queries.ts'
import { TeamPicker } from '../common/Pickers.tsx'

const refresh = () => queryClient.invalidateQueries({ queryKey: keys.inboxes })

export function InboxesSettings() {
  const inboxes = useInboxes()
  const [name, setName] = useState('')
  const [type, setType] = useState<'api' | 'web_form'>('api')
  const create = useMutation({
    mutationFn: () => api.createInbox({ name: name.trim(), type }),
    onSuccess: () => {
      setName('')
      void refresh()
    },
  })
  return (
    <Stack>
      <Title order={2} size="h4">
        Inboxes
      </Title>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (name.trim()) create.mutate()
        }}
      >
        <Group align="end">
          <TextInput label="New inbox name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Select
            label="Type"
            w={140}
            data={[
              { value: 'api', label: 'API' },
              { value: 'web_form', label: 'Web form' },
            ]}
            value={type}
            allowDeselect={false}
            onChange={(v) => v && setType(v as 'api' | 'web_form')}
          />
          <Button type="submit" disabled={!name.trim()} loading={create.isPending}>
            Create inbox
          </Button>
        </Group>
      </form>
      {inboxes.data?.map((i) => (
        <InboxCard key={i.id} inbox={i} />
      ))}
    </Stack>
  )
}

function InboxCard({ inbox }: { inbox: InboxDto }) {
  const [name, setName] = useState(inbox.name)
  const [teamId, setTeamId] = useState(inbox.teamId)
  const [autoReply, setAutoReply] = useState(inbox.autoReply)
  const save = useMutation({
    mutationFn: () => api.updateInbox(inbox.id, { name: name.trim(), teamId, autoReply }),
    onSuccess: () => {
      void refresh()
      notifications.show({ color: 'green', message: `Inbox ${name} saved` })
    },
  })
  return (
    <Paper withBorder p="md">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          save.mutate()
        }}
      >
        <Stack gap="xs">
          <Group align="end">
            <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <TeamPicker label="Team" value={teamId} onChange={setTeamId} />
            <Badge variant="light" mb={6}>
              {inbox.type}
            </Badge>
          </Group>
          <Switch
            label="Send an automatic reply to new tickets"
            checked={autoReply.enabled}
            onChange={(e) => setAutoReply({ ...autoReply, enabled: e.currentTarget.checked })}
          />
          {autoReply.enabled && (
            <>
              <TextInput
                label="Auto-reply subject"
                value={autoReply.subject}
                onChange={(e) => setAutoReply({ ...autoReply, subject: e.currentTarget.value })}
              />
              <Textarea
                label="Auto-reply body"
                autosize
                minRows={3}
                value={autoReply.body}
                onChange={(e) => setAutoReply({ ...autoReply, body: e.currentTarget.value })}
              />
            </>
          )}
          <Button type="submit" w="fit-content" loading={save.isPending}>
            Save inbox
          </Button>
        </Stack>
      </form>
    </Paper>
  )
}
