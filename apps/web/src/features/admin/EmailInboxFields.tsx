import type { EmailSettingsDto, EmailSettingsInput, InboxDto } from '@allhands/contract'
import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Fieldset,
  Group,
  NumberInput,
  PasswordInput,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core'
import { IconCircleCheck, IconCircleX } from '@tabler/icons-react'
import { useMutation } from '@tanstack/react-query'
import { type ConnectionCheck, api } from '../../lib/api.ts'

type TlsMode = 'tls' | 'starttls' | 'none'
type AfterImport = 'mark_seen' | 'delete' | 'move'
type ImapForm = { host: string; port: number; tls: TlsMode; user: string; password: string; folder: string; afterImport: AfterImport; moveTo: string }
type SmtpForm = { host: string; port: number; tls: TlsMode; user: string; password: string }

/** The editable shape of an inbox's email settings; passwords start blank and a blank one keeps the stored password. */
export type EmailForm = {
  addresses: string
  displayName: string
  signature: string
  imapEnabled: boolean
  imap: ImapForm
  imapHasPassword: boolean
  smtpEnabled: boolean
  smtp: SmtpForm
  smtpHasPassword: boolean
}

const TLS_OPTIONS = [
  { value: 'tls', label: 'TLS' },
  { value: 'starttls', label: 'STARTTLS' },
  { value: 'none', label: 'None (plain text)' },
]
const AFTER_IMPORT_OPTIONS = [
  { value: 'mark_seen', label: 'Mark as read' },
  { value: 'move', label: 'Move to folder' },
  { value: 'delete', label: 'Delete' },
]

export function emailFormFrom(dto: EmailSettingsDto | null): EmailForm {
  const imap = dto?.imap
  const smtp = dto?.smtp
  return {
    addresses: dto?.addresses.join(', ') ?? '',
    displayName: dto?.displayName ?? '',
    signature: dto?.signature ?? '',
    imapEnabled: !!imap,
    imap: {
      host: imap?.host ?? '',
      port: imap?.port ?? 993,
      tls: imap?.tls ?? 'tls',
      user: imap?.user ?? '',
      password: '',
      folder: imap?.folder ?? 'INBOX',
      afterImport: imap?.afterImport ?? 'mark_seen',
      moveTo: imap?.moveTo ?? '',
    },
    imapHasPassword: !!imap?.hasPassword,
    smtpEnabled: !!smtp,
    smtp: { host: smtp?.host ?? '', port: smtp?.port ?? 587, tls: smtp?.tls ?? 'starttls', user: smtp?.user ?? '', password: '' },
    smtpHasPassword: !!smtp?.hasPassword,
  }
}

export const parseAddresses = (text: string) =>
  text
    .split(/[\s,;]+/)
    .map((a) => a.trim())
    .filter(Boolean)

export function emailInputFrom(form: EmailForm): EmailSettingsInput {
  const { imap, smtp } = form
  return {
    addresses: parseAddresses(form.addresses),
    displayName: form.displayName.trim(),
    signature: form.signature,
    imap: form.imapEnabled
      ? {
          host: imap.host.trim(),
          port: imap.port,
          tls: imap.tls,
          user: imap.user.trim(),
          folder: imap.folder.trim() || 'INBOX',
          afterImport: imap.afterImport,
          ...(imap.afterImport === 'move' && imap.moveTo.trim() ? { moveTo: imap.moveTo.trim() } : {}),
          ...(imap.password ? { password: imap.password } : {}),
        }
      : null,
    smtp: form.smtpEnabled
      ? {
          host: smtp.host.trim(),
          port: smtp.port,
          tls: smtp.tls,
          ...(smtp.user.trim() ? { user: smtp.user.trim() } : {}),
          ...(smtp.password ? { password: smtp.password } : {}),
        }
      : null,
  }
}

const passwordHint = (has: boolean) => (has ? 'A password is stored: leave blank to keep it' : undefined)

/** Addresses, sender name, signature, IMAP fetch and outbound SMTP of an email inbox. */
export function EmailSettingsFields({ value, onChange }: { value: EmailForm; onChange: (next: EmailForm) => void }) {
  const set = (patch: Partial<EmailForm>) => onChange({ ...value, ...patch })
  const setImap = (patch: Partial<ImapForm>) => set({ imap: { ...value.imap, ...patch } })
  const setSmtp = (patch: Partial<SmtpForm>) => set({ smtp: { ...value.smtp, ...patch } })
  return (
    <Stack gap="xs">
      <TextInput
        label="Addresses"
        description="Mail to these addresses opens tickets in this inbox; the first one is the sender of replies. Separate several with commas."
        placeholder="support@example.com"
        required
        value={value.addresses}
        onChange={(e) => set({ addresses: e.currentTarget.value })}
      />
      <Group grow align="start">
        <TextInput label="Sender name" placeholder="Example Support" value={value.displayName} onChange={(e) => set({ displayName: e.currentTarget.value })} />
      </Group>
      <Textarea label="Signature" autosize minRows={2} value={value.signature} onChange={(e) => set({ signature: e.currentTarget.value })} />
      <Switch label="Fetch mail from an IMAP mailbox" checked={value.imapEnabled} onChange={(e) => set({ imapEnabled: e.currentTarget.checked })} />
      {value.imapEnabled && (
        <Fieldset legend="IMAP">
          <Stack gap="xs">
            <Group grow align="start">
              <TextInput label="IMAP host" required value={value.imap.host} onChange={(e) => setImap({ host: e.currentTarget.value })} />
              <NumberInput label="IMAP port" required min={1} max={65535} value={value.imap.port} onChange={(v) => setImap({ port: Number(v) || 993 })} />
              <Select
                label="IMAP security"
                data={TLS_OPTIONS}
                allowDeselect={false}
                value={value.imap.tls}
                onChange={(v) => v && setImap({ tls: v as TlsMode })}
              />
            </Group>
            <Group grow align="start">
              <TextInput label="IMAP user" required value={value.imap.user} onChange={(e) => setImap({ user: e.currentTarget.value })} />
              <PasswordInput
                label="IMAP password"
                description={passwordHint(value.imapHasPassword)}
                autoComplete="new-password"
                value={value.imap.password}
                onChange={(e) => setImap({ password: e.currentTarget.value })}
              />
            </Group>
            <Group grow align="start">
              <TextInput label="Folder" required value={value.imap.folder} onChange={(e) => setImap({ folder: e.currentTarget.value })} />
              <Select
                label="After import"
                data={AFTER_IMPORT_OPTIONS}
                allowDeselect={false}
                value={value.imap.afterImport}
                onChange={(v) => v && setImap({ afterImport: v as AfterImport })}
              />
              {value.imap.afterImport === 'move' && (
                <TextInput label="Move to folder" required value={value.imap.moveTo} onChange={(e) => setImap({ moveTo: e.currentTarget.value })} />
              )}
            </Group>
          </Stack>
        </Fieldset>
      )}
      <Switch
        label="Send replies through this inbox's own SMTP server"
        description="Off: replies go through the server-wide SMTP_URL."
        checked={value.smtpEnabled}
        onChange={(e) => set({ smtpEnabled: e.currentTarget.checked })}
      />
      {value.smtpEnabled && (
        <Fieldset legend="SMTP">
          <Stack gap="xs">
            <Group grow align="start">
              <TextInput label="SMTP host" required value={value.smtp.host} onChange={(e) => setSmtp({ host: e.currentTarget.value })} />
              <NumberInput label="SMTP port" required min={1} max={65535} value={value.smtp.port} onChange={(v) => setSmtp({ port: Number(v) || 587 })} />
              <Select
                label="SMTP security"
                data={TLS_OPTIONS}
                allowDeselect={false}
                value={value.smtp.tls}
                onChange={(v) => v && setSmtp({ tls: v as TlsMode })}
              />
            </Group>
            <Group grow align="start">
              <TextInput label="SMTP user" value={value.smtp.user} onChange={(e) => setSmtp({ user: e.currentTarget.value })} />
              <PasswordInput
                label="SMTP password"
                description={passwordHint(value.smtpHasPassword)}
                autoComplete="new-password"
                value={value.smtp.password}
                onChange={(e) => setSmtp({ password: e.currentTarget.value })}
              />
            </Group>
          </Stack>
        </Fieldset>
      )}
    </Stack>
  )
}

/** How mail reaches a saved email inbox: its addresses, the raw-MIME endpoint and the SMTP listener, plus a live connection test. */
export function EmailInboxDelivery({ inbox }: { inbox: InboxDto }) {
  const endpoint = `${window.location.origin}/api/v1/inboxes/${inbox.id}/inbound-email`
  const curl = `curl -X POST -H 'Authorization: Bearer <admin API token>' -H 'Content-Type: message/rfc822' --data-binary @message.eml ${endpoint}`
  const test = useMutation({ mutationFn: () => api.testInboxConnection(inbox.id) })
  return (
    <Stack gap={6} aria-label={`How mail reaches ${inbox.name}`} component="section">
      <Group gap={6}>
        <Text size="sm" fw={600}>
          Receives mail for
        </Text>
        {inbox.email?.addresses.map((a) => (
          <Badge key={a} variant="outline" tt="none">
            {a}
          </Badge>
        ))}
      </Group>
      {inbox.email?.imapStatus && <ImapStatusLine status={inbox.email.imapStatus} />}
      <Text size="sm">
        <b>Raw message endpoint</b>: <Code>POST {endpoint}</Code> with <Code>Content-Type: message/rfc822</Code> and an admin API token.
      </Text>
      <Group gap="xs">
        <CopyButton value={curl}>
          {({ copied, copy }) => (
            <Button size="compact-xs" variant="light" onClick={copy} aria-label={`Copy the curl command for ${inbox.name}`}>
              {copied ? 'Copied' : 'Copy curl example'}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Text size="sm">
        <b>SMTP</b>: the server also accepts mail for these addresses by SMTP on port <Code>SMTP_INBOUND_PORT</Code> (default <Code>2525</Code>): point your MX
        record or a forwarding rule at this host.
      </Text>
      <Group gap="xs" align="center">
        <Button size="xs" variant="default" loading={test.isPending} onClick={() => test.mutate()} aria-label={`Test the mail connections of ${inbox.name}`}>
          Test connection
        </Button>
        {!inbox.email?.imap && !inbox.email?.smtp && (
          <Text size="xs" c="dimmed">
            Save IMAP or SMTP settings first; without its own SMTP the server-wide SMTP_URL is tested.
          </Text>
        )}
      </Group>
      {test.data && (
        <Stack gap={4} role="status" aria-label="Connection test result">
          <ConnectionResult label="SMTP (sending)" check={test.data.smtp} />
          {test.data.imap ? (
            <ConnectionResult label="IMAP (fetching)" check={test.data.imap} />
          ) : (
            <Text size="xs" c="dimmed">
              IMAP is not configured.
            </Text>
          )}
        </Stack>
      )}
    </Stack>
  )
}

function ConnectionResult({ label, check }: { label: string; check: ConnectionCheck }) {
  return (
    <Alert
      color={check.ok ? 'green' : 'red'}
      variant="light"
      py={6}
      icon={check.ok ? <IconCircleCheck size={18} aria-hidden /> : <IconCircleX size={18} aria-hidden />}
      title={`${label}: ${check.ok ? 'connected' : 'failed'}`}
    >
      {check.error && (
        <Text size="xs" style={{ wordBreak: 'break-word' }}>
          {check.error}
        </Text>
      )}
    </Alert>
  )
}

type ImapStatus = NonNullable<EmailSettingsDto['imapStatus']>

/** Where the IMAP import stands, as the worker last recorded it. */
function ImapStatusLine({ status }: { status: ImapStatus }) {
  const when = (t: number | null) => (t ? new Date(t).toLocaleString() : 'never')
  const failing = status.status === 'error'
  return (
    <Alert color={failing ? 'red' : 'green'} variant="light" py={6} title={`IMAP import: ${failing ? 'failing' : 'working'}`} aria-label="IMAP import status">
      <Text size="xs">
        Last run {when(status.lastRunAt)} · last success {when(status.lastSuccessAt)} · {status.importedCount.toLocaleString()} messages imported
      </Text>
      {status.lastError && (
        <Text size="xs" style={{ wordBreak: 'break-word' }}>
          Last error: {status.lastError}
        </Text>
      )}
    </Alert>
  )
}
