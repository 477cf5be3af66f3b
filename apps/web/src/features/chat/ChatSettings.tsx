import { type ChatSettingsDto, type ChatSettingsInput, DEFAULT_WIDGET_TEXTS, WIDGET_TEXT_KEYS, type WidgetTextKey } from '@allhands/contract'
import {
  Accordion,
  Alert,
  Avatar,
  Box,
  Button,
  Code,
  ColorInput,
  CopyButton,
  Divider,
  Group,
  Loader,
  Modal,
  Paper,
  PasswordInput,
  Radio,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconCheck, IconCopy, IconRefresh } from '@tabler/icons-react'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../../lib/api.ts'
import { RouterAnchor } from '../../lib/links.tsx'
import { keys, queryClient, useInboxes } from '../../lib/queries.ts'
import { chatApi, chatKeys, safeHttpUrl } from './chat.api.ts'
import { WidgetTreeSelect } from '../decision-trees/WidgetTreeSelect.tsx'
import { InviteRules } from './InviteRules.tsx'
import { PreChatFieldsEditor, preChatFieldsError } from './PreChatFieldsEditor.tsx'

type TextKey = WidgetTextKey
type Draft = Omit<ChatSettingsDto, 'inboxId' | 'identitySecret' | 'embedSnippet'>

/** What each text of the widget is for (its English default, used when left blank, is DEFAULT_WIDGET_TEXTS). */
const TEXT_LABELS: Record<TextKey, string> = {
  launcherLabel: 'Chat button (read by screen readers)',
  closeLabel: 'Close button (read by screen readers)',
  inputPlaceholder: 'Message box placeholder',
  send: 'Send button',
  attach: 'Attach a file button',
  startChat: 'Start chat button (after the pre-chat questions)',
  offlineTitle: 'Offline form title',
  offlineIntro: 'Offline form introduction',
  offlineSent: 'Offline form sent',
  waiting: 'Waiting for an agent',
  agentJoined: 'An agent joined ({name} is replaced)',
  ended: 'Chat ended',
  rateTitle: 'Rating question',
  rateThanks: 'Thanks after rating',
  transcript: 'Transcript action',
  transcriptSent: 'Transcript sent',
  read: 'Read receipt',
  typing: 'Typing indicator ({name} is replaced)',
  reconnecting: 'Reconnecting notice',
  inviteAccept: 'Accept invitation button',
  inviteDismiss: 'Dismiss invitation button',
}
/** How many of the widget's texts say something other than the English default. */
const translated = (texts: Record<string, string>) => WIDGET_TEXT_KEYS.filter((k) => texts[k]?.trim() && texts[k] !== DEFAULT_WIDGET_TEXTS[k]).length
const NODE_SIGNING = "crypto.createHmac('sha256', secret).update(userId + ':' + email).digest('hex')"

const draftOf = (s: ChatSettingsDto): Draft => ({
  appearance: s.appearance,
  preChatFields: s.preChatFields,
  allowedOrigins: s.allowedOrigins,
  offlineFormEnabled: s.offlineFormEnabled,
  transcriptsEnabled: s.transcriptsEnabled,
  csatEnabled: s.csatEnabled,
  routing: s.routing,
  widgetTreeId: s.widgetTreeId,
})

/** "https://shop.example" for "https://shop.example/any/path"; null when it is not an http(s) origin. */
export function normalizeOrigin(value: string): string | null {
  const href = safeHttpUrl(value.trim())
  return href ? new URL(href).origin : null
}

/** Settings → Live chat: the widget of each chat inbox (look, questions, privacy, routing, identity, embed code, invite rules). */
export function ChatSettings() {
  const inboxes = useInboxes()
  const chatInboxes = (inboxes.data ?? []).filter((i) => i.type === 'chat')
  const [picked, setPicked] = useState<number | null>(null)
  const inboxId = chatInboxes.find((i) => i.id === picked)?.id ?? chatInboxes[0]?.id ?? null
  return (
    <Stack>
      <Title order={2} size="h4">
        Live chat
      </Title>
      <Text size="sm" c="dimmed">
        The chat widget lives on your site; each chat inbox has its own widget, look and rules. Chats become tickets in that inbox.
      </Text>
      {inboxes.isPending ? (
        <Loader size="sm" aria-label="Loading inboxes" />
      ) : chatInboxes.length === 0 ? (
        <NoChatInbox onCreated={setPicked} />
      ) : (
        <>
          {chatInboxes.length > 1 && (
            <Select
              label="Chat inbox"
              w={280}
              allowDeselect={false}
              data={chatInboxes.map((i) => ({ value: String(i.id), label: i.name }))}
              value={inboxId ? String(inboxId) : null}
              onChange={(v) => v && setPicked(Number(v))}
            />
          )}
          {inboxId && <InboxChatSettings key={inboxId} inboxId={inboxId} />}
        </>
      )}
    </Stack>
  )
}

function NoChatInbox({ onCreated }: { onCreated: (id: number) => void }) {
  const [name, setName] = useState('Website chat')
  const create = useMutation({
    mutationFn: () => api.createInbox({ name: name.trim(), type: 'chat' }),
    onSuccess: (inbox) => {
      notifications.show({ color: 'green', message: `Chat inbox ${inbox.name} created` })
      void queryClient.invalidateQueries({ queryKey: keys.inboxes })
      onCreated(inbox.id)
    },
  })
  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Text fw={600}>No chat inbox yet</Text>
        <Text size="sm" c="dimmed">
          Create one here (or in{' '}
          <RouterAnchor to="/settings/$section" params={{ section: 'inboxes' }} size="sm">
            Settings → Inboxes
          </RouterAnchor>{' '}
          with the type "Live chat"), then paste its script tag into your site.
        </Text>
        <form
          onSubmit={(e) => {
            e.preventDefault()
            if (name.trim()) create.mutate()
          }}
        >
          <Group align="end">
            <TextInput label="Inbox name" required maxLength={100} value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
              Create chat inbox
            </Button>
          </Group>
        </form>
      </Stack>
    </Paper>
  )
}

function InboxChatSettings({ inboxId }: { inboxId: number }) {
  const settings = useQuery({ queryKey: chatKeys.settings(inboxId), queryFn: () => chatApi.settings(inboxId), meta: { silent: true } })
  if (settings.isPending) return <Loader size="sm" aria-label="Loading chat settings" />
  if (!settings.data)
    return (
      <Alert color="red" title="Chat settings are not available">
        {settings.error?.message ?? 'Try again later.'}
      </Alert>
    )
  return <SettingsForm settings={settings.data} />
}

function SettingsForm({ settings }: { settings: ChatSettingsDto }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings))
  const [originInput, setOriginInput] = useState('')
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }))
  const setLook = (patch: Partial<Draft['appearance']>) => setDraft((d) => ({ ...d, appearance: { ...d.appearance, ...patch } }))
  const a = draft.appearance
  const save = useMutation({
    mutationFn: () => chatApi.updateSettings(settings.inboxId, draft satisfies ChatSettingsInput),
    onSuccess: (s) => {
      queryClient.setQueryData(chatKeys.settings(s.inboxId), s)
      setDraft(draftOf(s))
      notifications.show({ color: 'green', message: 'Chat settings saved' })
    },
  })
  const colorOk = /^#[0-9a-fA-F]{6}$/.test(a.color)
  const avatarOk = a.avatarUrl === null || /^https?:\/\//.test(a.avatarUrl)
  const fieldsError = preChatFieldsError(draft.preChatFields)
  const valid = colorOk && avatarOk && !!a.title.trim() && !fieldsError
  const dirty = JSON.stringify(draft) !== JSON.stringify(draftOf(settings))
  const addOrigins = (values: string[]) => {
    const bad = values.filter((v) => !normalizeOrigin(v))
    if (bad.length) notifications.show({ color: 'red', message: `Not a site address: ${bad.join(', ')} (use https://shop.example)` })
    const good = values.map(normalizeOrigin).filter((v): v is string => !!v)
    set({ allowedOrigins: [...new Set(good)] })
  }
  return (
    <Stack>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (valid) save.mutate()
        }}
        aria-label="Chat widget settings"
      >
        <Stack>
          <Paper withBorder p="md" component="section" aria-label="Appearance">
            <Title order={3} size="h5" mb="sm">
              Appearance
            </Title>
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
              <Stack gap="sm">
                <ColorInput
                  label="Colour"
                  format="hex"
                  value={a.color}
                  onChange={(color) => setLook({ color })}
                  error={colorOk ? undefined : 'A colour like #228be6'}
                  swatches={['#228be6', '#4c6ef5', '#12b886', '#40c057', '#fab005', '#fd7e14', '#fa5252', '#be4bdb', '#212529']}
                />
                <div>
                  <Text size="sm" fw={500} mb={4} id="widget-position-label">
                    Position
                  </Text>
                  <SegmentedControl
                    aria-labelledby="widget-position-label"
                    value={a.position}
                    onChange={(v) => setLook({ position: v as 'left' | 'right' })}
                    data={[
                      { value: 'left', label: 'Bottom left' },
                      { value: 'right', label: 'Bottom right' },
                    ]}
                  />
                </div>
                <TextInput
                  label="Title"
                  required
                  maxLength={80}
                  value={a.title}
                  onChange={(e) => setLook({ title: e.currentTarget.value })}
                  error={a.title.trim() ? undefined : 'A title is required'}
                />
                <Textarea
                  label="Greeting"
                  autosize
                  minRows={2}
                  maxLength={500}
                  value={a.greeting}
                  onChange={(e) => setLook({ greeting: e.currentTarget.value })}
                />
                <TextInput
                  label="Avatar URL"
                  description="An https:// image shown beside the greeting and agents' messages"
                  maxLength={2000}
                  value={a.avatarUrl ?? ''}
                  onChange={(e) => setLook({ avatarUrl: e.currentTarget.value.trim() ? e.currentTarget.value.trim() : null })}
                  error={avatarOk ? undefined : 'Use an http:// or https:// address'}
                />
              </Stack>
              <WidgetPreview appearance={a} />
            </SimpleGrid>
          </Paper>

          <Paper withBorder p="md" component="section" aria-label="Texts">
            <Accordion variant="default" chevronPosition="left">
              <Accordion.Item value="texts">
                <Accordion.Control>
                  <Text fw={600}>Texts and translation</Text>
                  <Text size="xs" c="dimmed">
                    {translated(a.texts)
                      ? `${translated(a.texts)} of ${WIDGET_TEXT_KEYS.length} texts differ from the English defaults`
                      : 'The widget speaks English; translate or reword any text here'}
                  </Text>
                </Accordion.Control>
                <Accordion.Panel>
                  <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
                    {WIDGET_TEXT_KEYS.map((k) => (
                      <TextInput
                        key={k}
                        label={TEXT_LABELS[k]}
                        description={<Code fz={10}>{k}</Code>}
                        placeholder={DEFAULT_WIDGET_TEXTS[k]}
                        maxLength={300}
                        value={a.texts[k] ?? ''}
                        onChange={(e) => {
                          const v = e.currentTarget.value
                          const texts = { ...a.texts }
                          if (v.trim()) texts[k] = v
                          else delete texts[k]
                          setLook({ texts })
                        }}
                      />
                    ))}
                  </SimpleGrid>
                </Accordion.Panel>
              </Accordion.Item>
            </Accordion>
          </Paper>

          <Paper withBorder p="md" component="section" aria-label="Pre-chat questions">
            <Title order={3} size="h5" mb={4}>
              Pre-chat questions
            </Title>
            <Text size="sm" c="dimmed" mb="sm">
              Asked before the first message (at most 10). An email answer is kept as what the visitor claims, never as a verified identity.
            </Text>
            <PreChatFieldsEditor value={draft.preChatFields} onChange={(preChatFields) => set({ preChatFields })} />
          </Paper>

          <Paper withBorder p="md" component="section" aria-label="Behaviour">
            <Title order={3} size="h5" mb="sm">
              Behaviour and privacy
            </Title>
            <Stack gap="sm">
              <TagsInput
                label="Allowed sites"
                description="Only pages on these origins may load the widget; leave empty to allow any site. Type https://shop.example and press Enter."
                placeholder={draft.allowedOrigins.length ? '' : 'Any site'}
                value={draft.allowedOrigins}
                searchValue={originInput}
                onSearchChange={setOriginInput}
                onChange={addOrigins}
                maxTags={50}
                splitChars={[',', ' ']}
                clearable
              />
              <Switch
                label="Offline form when nobody is available (it becomes an email ticket)"
                checked={draft.offlineFormEnabled}
                onChange={(e) => set({ offlineFormEnabled: e.currentTarget.checked })}
              />
              <Switch
                label="Visitors may email themselves the transcript"
                checked={draft.transcriptsEnabled}
                onChange={(e) => set({ transcriptsEnabled: e.currentTarget.checked })}
              />
              <Switch label="Ask for a rating when a chat ends" checked={draft.csatEnabled} onChange={(e) => set({ csatEnabled: e.currentTarget.checked })} />
              <Radio.Group label="Routing" value={draft.routing} onChange={(v) => set({ routing: v as Draft['routing'] })} description="Who gets a new chat">
                <Stack gap={6} mt={6}>
                  <Radio
                    value="round_robin"
                    label="Round robin: the next available agent of the inbox's team (everyone when it has no team), within their capacity"
                  />
                  <Radio value="manual" label="Manual: chats wait in Chats until someone accepts them" />
                </Stack>
              </Radio.Group>
              <WidgetTreeSelect value={draft.widgetTreeId} onChange={(widgetTreeId) => set({ widgetTreeId })} />
            </Stack>
          </Paper>

          <Group>
            <Button type="submit" disabled={!valid || !dirty} loading={save.isPending}>
              Save chat settings
            </Button>
            {dirty && (
              <Button variant="subtle" onClick={() => setDraft(draftOf(settings))}>
                Discard changes
              </Button>
            )}
          </Group>
        </Stack>
      </form>

      <Divider />
      <EmbedCode settings={settings} />
      <IdentitySecret settings={settings} />
      <Divider />
      <InviteRules inboxId={settings.inboxId} />
    </Stack>
  )
}

/** A static picture of the open widget with the current colour, title, greeting, avatar and side. */
function WidgetPreview({ appearance: a }: { appearance: Draft['appearance'] }) {
  const color = /^#[0-9a-fA-F]{6}$/.test(a.color) ? a.color : '#228be6'
  const avatar = a.avatarUrl ? safeHttpUrl(a.avatarUrl) : null
  return (
    <Box aria-label="Widget preview" role="img" p="sm" bg="var(--mantine-color-gray-light)" style={{ borderRadius: 8 }}>
      <Stack gap={6} align={a.position === 'left' ? 'flex-start' : 'flex-end'}>
        <Paper shadow="sm" w={240} style={{ overflow: 'hidden' }}>
          <Box px="sm" py={8} style={{ background: color, color: '#fff' }}>
            <Text size="sm" fw={700} c="inherit" truncate="end">
              {a.title || 'Chat with us'}
            </Text>
          </Box>
          <Group p="sm" gap={8} align="start" wrap="nowrap">
            <Avatar src={avatar} size={28} radius="xl" color="gray" />
            <Text size="xs" style={{ whiteSpace: 'pre-wrap' }} lineClamp={5}>
              {a.greeting || 'Hi! How can we help?'}
            </Text>
          </Group>
        </Paper>
        <Box w={44} h={44} style={{ borderRadius: '50%', background: color }} />
      </Stack>
    </Box>
  )
}

function CopyAction({ value, label }: { value: string; label: string }) {
  return (
    <CopyButton value={value}>
      {({ copied, copy }) => (
        <Button
          size="xs"
          variant="light"
          color={copied ? 'teal' : undefined}
          leftSection={copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />}
          onClick={copy}
        >
          {copied ? 'Copied' : label}
        </Button>
      )}
    </CopyButton>
  )
}

function EmbedCode({ settings }: { settings: ChatSettingsDto }) {
  return (
    <Stack gap="xs" component="section" aria-label="Embed code">
      <Group justify="space-between">
        <Title order={3} size="h5">
          Embed on your site
        </Title>
        <CopyAction value={settings.embedSnippet} label="Copy snippet" />
      </Group>
      <Text size="sm" c="dimmed">
        Paste this before <Code>{'</body>'}</Code> on every page where visitors should see the chat (and appear in Visitors).
      </Text>
      <Code block data-testid="embed-snippet">
        {settings.embedSnippet}
      </Code>
    </Stack>
  )
}

function IdentitySecret({ settings }: { settings: ChatSettingsDto }) {
  const [confirming, setConfirming] = useState(false)
  const rotate = useMutation({
    mutationFn: () => chatApi.updateSettings(settings.inboxId, { rotateIdentitySecret: true }),
    onSuccess: (s) => {
      queryClient.setQueryData(chatKeys.settings(s.inboxId), s)
      setConfirming(false)
      notifications.show({ color: 'green', message: 'New identity secret created; update your site’s backend' })
    },
  })
  return (
    <Stack gap="xs" component="section" aria-label="Identity verification">
      <Title order={3} size="h5">
        Identity verification
      </Title>
      <Text size="sm" c="dimmed">
        To show signed-in customers as known contacts, your site's backend signs each one:{' '}
        <Code>signature = hex(HMAC-SHA256(secret, userId + ":" + email))</Code>, and the page sets{' '}
        <Code>{'window.AllhandsChat = { identity: { userId, email, name, signature } }'}</Code> before the script tag. Unsigned or wrongly signed identities
        stay anonymous. Keep the secret on your server only.
      </Text>
      <Group align="end" wrap="nowrap">
        <PasswordInput
          label="Identity secret"
          readOnly
          value={settings.identitySecret}
          style={{ flex: 1 }}
          maw={560}
          visibilityToggleButtonProps={{ 'aria-label': 'Show or hide the identity secret' }}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        <CopyAction value={settings.identitySecret} label="Copy" />
        <Button size="xs" variant="default" color="red" leftSection={<IconRefresh size={14} aria-hidden />} onClick={() => setConfirming(true)}>
          Rotate
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        Node.js: <Code>{NODE_SIGNING}</Code>
      </Text>
      <Modal opened={confirming} onClose={() => setConfirming(false)} title="Rotate the identity secret?">
        <Stack>
          <Text size="sm">
            A new secret replaces the current one at once. Until your site signs with the new secret, its visitors are treated as anonymous.
          </Text>
          <Group justify="end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button color="red" onClick={() => rotate.mutate()} loading={rotate.isPending}>
              Rotate secret
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  )
}
