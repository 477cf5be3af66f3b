import type { InboxDto } from '@allhands/contract'
import { Badge, Button, Code, Divider, Group, NumberInput, Paper, Select, Stack, Switch, Text, TextInput, Textarea, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../../lib/api.ts'
import { keys, queryClient, useInboxes } from '../../lib/queries.ts'
import { TeamPicker } from '../common/Pickers.tsx'
import { RouterAnchor } from '../../lib/links.tsx'
import { EmailInboxDelivery, EmailSettingsFields, emailFormFrom, emailInputFrom, parseAddresses } from './EmailInboxFields.tsx'

type NewInboxType = 'api' | 'web_form' | 'email' | 'chat'
const PLACEHOLDERS = ['{{ticket.number}}', '{{ticket.subject}}', '{{requester.name}}', '{{requester.firstName}}']

const refresh = () => queryClient.invalidateQueries({ queryKey: keys.inboxes })

export function InboxesSettings() {
  const inboxes = useInboxes()
  const [name, setName] = useState('')
  const [type, setType] = useState<NewInboxType>('api')
  const [email, setEmail] = useState(() => emailFormFrom(null))
  const create = useMutation({
    mutationFn: () => api.createInbox({ name: name.trim(), type, ...(type === 'email' ? { email: emailInputFrom(email) } : {}) }),
    onSuccess: (inbox) => {
      setName('')
      setEmail(emailFormFrom(null))
      notifications.show({ color: 'green', message: `Inbox ${inbox.name} created` })
      void refresh()
    },
  })
  const ready = !!name.trim() && (type !== 'email' || parseAddresses(email.addresses).length > 0)
  return (
    <Stack>
      <Title order={2} size="h4">
        Inboxes
      </Title>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (ready) create.mutate()
        }}
        aria-label="New inbox"
      >
        <Stack gap="xs">
          <Group align="end">
            <TextInput label="New inbox name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <Select
              label="Type"
              w={140}
              data={[
                { value: 'api', label: 'API' },
                { value: 'web_form', label: 'Web form' },
                { value: 'email', label: 'Email' },
                // issue 7 chat inbox type
                { value: 'chat', label: 'Live chat' },
              ]}
              value={type}
              allowDeselect={false}
              onChange={(v) => v && setType(v as NewInboxType)}
            />
            <Button type="submit" disabled={!ready} loading={create.isPending}>
              Create inbox
            </Button>
          </Group>
          {type === 'email' && <EmailSettingsFields value={email} onChange={setEmail} />}
          {/* issue 7 chat inbox hint */}
          {type === 'chat' && (
            <Text size="sm" c="dimmed">
              A chat inbox receives chats from the widget on your site; its look, rules and script tag are in Settings → Live chat.
            </Text>
          )}
        </Stack>
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
  const isEmail = inbox.type === 'email'
  const [email, setEmail] = useState(() => emailFormFrom(inbox.email))
  const save = useMutation({
    mutationFn: () => api.updateInbox(inbox.id, { name: name.trim(), teamId, autoReply, ...(isEmail ? { email: emailInputFrom(email) } : {}) }),
    onSuccess: (saved) => {
      // Passwords are write-only: clear the typed ones and show that one is now stored.
      setEmail(emailFormFrom(saved.email))
      void refresh()
      notifications.show({ color: 'green', message: `Inbox ${name} saved` })
    },
  })
  return (
    <Paper withBorder p="md" component="section" aria-label={`Inbox ${inbox.name}`} data-inbox-id={inbox.id}>
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
          {isEmail && (
            <>
              <EmailSettingsFields value={email} onChange={setEmail} />
              <Divider />
            </>
          )}
          {/* issue 7 chat inbox link */}
          {inbox.type === 'chat' && (
            <Text size="sm">
              Widget, embed code and invite rules:{' '}
              <RouterAnchor to="/settings/$section" params={{ section: 'live-chat' }} size="sm">
                Settings → Live chat
              </RouterAnchor>
            </Text>
          )}
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
              <NumberInput
                label="At most one automatic reply per sender every (hours)"
                description="A sender who writes again within this time gets no second acknowledgement."
                min={1}
                max={720}
                w={360}
                value={autoReply.onceEveryHours ?? 24}
                onChange={(v) => setAutoReply({ ...autoReply, onceEveryHours: typeof v === 'number' ? v : 24 })}
              />
              <Text size="xs" c="dimmed">
                Placeholders:{' '}
                {PLACEHOLDERS.map((p, i) => (
                  <span key={p}>
                    {i > 0 && ', '}
                    <Code>{p}</Code>
                  </span>
                ))}
                . Automatic replies are never sent to bounces, auto-replies or bulk mail.
              </Text>
            </>
          )}
          <Button type="submit" w="fit-content" loading={save.isPending} disabled={isEmail && parseAddresses(email.addresses).length === 0}>
            Save inbox
          </Button>
        </Stack>
      </form>
      {isEmail && (
        <>
          <Divider my="sm" />
          <EmailInboxDelivery inbox={inbox} />
        </>
      )}
    </Paper>
  )
}
