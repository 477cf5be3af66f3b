import type { AuditRecordDto } from '@allhands/contract'
import { Autocomplete, Button, Code, Group, Loader, Select, SimpleGrid, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { IconDownload } from '@tabler/icons-react'
import { useInfiniteQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { ExpandButton } from '../../lib/expand-button.tsx'
import { formatPayload, fullTime, relativeTime } from '../../lib/format.ts'
import { useUsers } from '../../lib/queries.ts'
import { type AuditSearch, dayToMs, exportKeys, exportsApi } from '../exports/exports.api.ts'

/** Known actions, for the action filter's suggestions; the filter matches any action starting with what is typed. */
const ACTIONS: { value: string; label: string }[] = [
  { value: 'user.', label: 'Anything about people' },
  { value: 'user.participation_changed', label: 'Trust or clearance changed' },
  { value: 'user.promoted', label: 'Promoted automatically' },
  { value: 'review.', label: 'Reviews of held replies' },
  { value: 'review_policy.', label: 'Review policies' },
  { value: 'monitoring.', label: 'Monitoring' },
  { value: 'security.', label: 'Security settings' },
  { value: 'webhook.', label: 'Webhooks' },
  { value: 'export.', label: 'Exports and downloads' },
  { value: 'audit.exported', label: 'Audit log exported' },
  { value: 'contact.data_exported', label: 'Contact data exported' },
  { value: 'contact.erased', label: 'Contact erased' },
]
const TARGETS = ['user', 'contact', 'export', 'audit_log', 'reply_review', 'review_policy', 'ticket', 'shift', 'rotation', 'webhook', 'settings', 'risk_rule']

const COLUMNS = 6

/** One readable line for an entry; the raw data is in the row's details. */
function describe(e: AuditRecordDto, userName: (id: number) => string): string {
  const target = e.targetType === 'user' && e.targetId ? userName(e.targetId) : `${e.targetType.replaceAll('_', ' ')}${e.targetId ? ` ${e.targetId}` : ''}`
  const changes = Object.entries(e.data)
    .filter(([, v]) => v && typeof v === 'object' && 'to' in (v as object))
    .map(([k, v]) => `${k} ${String((v as { from?: unknown }).from)} → ${String((v as { to?: unknown }).to)}`)
  const label = ACTIONS.find((a) => a.value === e.action)?.label ?? e.action
  return `${label}: ${target}${changes.length ? ` (${changes.join(', ')})` : ''}`
}

function AuditRow({ entry, userName }: { entry: AuditRecordDto; userName: (id: number) => string }) {
  const [open, setOpen] = useState(false)
  const detailsId = `audit-${entry.id}-details`
  return (
    <>
      <Table.Tr data-testid="audit-entry" data-action={entry.action}>
        <Table.Td title={fullTime(entry.createdAt)} style={{ whiteSpace: 'nowrap' }}>
          {relativeTime(entry.createdAt)}
        </Table.Td>
        <Table.Td>{entry.actor?.name ?? 'Allhands (automatic)'}</Table.Td>
        <Table.Td>
          <Text size="sm">{describe(entry, userName)}</Text>
        </Table.Td>
        <Table.Td>
          <Code fz="xs">{entry.action}</Code>
        </Table.Td>
        <Table.Td data-testid="audit-ip">{entry.ip ?? '—'}</Table.Td>
        <Table.Td>
          <ExpandButton open={open} controls={detailsId} label={`Details of audit entry ${entry.id}`} onToggle={() => setOpen((v) => !v)}>
            Details
          </ExpandButton>
        </Table.Td>
      </Table.Tr>
      {open && (
        <Table.Tr id={detailsId}>
          <Table.Td colSpan={COLUMNS}>
            <Stack gap={4} aria-label={`Audit entry ${entry.id}`} component="section">
              <Text size="xs" c="dimmed">
                Entry {entry.id} · {fullTime(entry.createdAt)} · target {entry.targetType}
                {entry.targetId ? ` ${entry.targetId}` : ''} · {entry.userAgent ? `user agent: ${entry.userAgent}` : 'no user agent (background work)'}
              </Text>
              <Code block aria-label="Entry data" style={{ maxHeight: 320, overflow: 'auto' }}>
                {formatPayload(JSON.stringify(entry.data), false)}
              </Code>
            </Stack>
          </Table.Td>
        </Table.Tr>
      )}
    </>
  )
}

/**
 * Admin settings: who did what to which object, from which IP — logins, role and permission changes, settings,
 * exports, erasures, approvals, monitoring. Newest first, searchable, exportable; entries can never be changed.
 */
export function AuditLogSettings() {
  const users = useUsers()
  const [actorId, setActorId] = useState<string | null>(null)
  const [action, setAction] = useState('')
  const [targetType, setTargetType] = useState<string | null>(null)
  const [targetId, setTargetId] = useState('')
  const [ip, setIp] = useState('')
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [text, setText] = useState('')
  const [typed] = useDebouncedValue({ action: action.trim(), ip: ip.trim(), q: text.trim(), targetId }, 300)
  const filter: AuditSearch = {
    ...(actorId ? { actorId: Number(actorId) } : {}),
    ...(typed.action ? { action: typed.action } : {}),
    ...(targetType ? { targetType } : {}),
    ...(/^\d+$/.test(typed.targetId) ? { targetId: Number(typed.targetId) } : {}),
    ...(typed.ip ? { ip: typed.ip } : {}),
    ...(from ? { from: dayToMs(from) } : {}),
    ...(to ? { to: dayToMs(to, true) } : {}),
    ...(typed.q ? { q: typed.q } : {}),
  }
  const log = useInfiniteQuery({
    queryKey: exportKeys.audit(filter),
    queryFn: ({ pageParam }) => exportsApi.audit({ ...filter, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })
  const names = new Map(users.data?.map((u) => [u.id, u.name]))
  const userName = (id: number) => names.get(id) ?? `user ${id}`
  const entries = log.data?.pages.flatMap((p) => p.items) ?? []
  return (
    <Stack>
      <Group justify="space-between" align="end">
        <Title order={2} size="h4">
          Audit log
        </Title>
        <Group gap="xs">
          <Button component="a" href={exportsApi.auditExportUrl(filter, 'csv')} download variant="default" size="xs" leftSection={<IconDownload size={14} />}>
            Export CSV
          </Button>
          <Button component="a" href={exportsApi.auditExportUrl(filter, 'json')} download variant="default" size="xs" leftSection={<IconDownload size={14} />}>
            Export JSON
          </Button>
        </Group>
      </Group>
      <Text size="sm" c="dimmed">
        Who did what to which object, and from which IP: sign-ins, role and permission changes, settings, exports, erasures, approvals and monitoring. Entries
        are written with the change they record and can never be edited or deleted. Exports contain every entry matching the filters and are themselves
        recorded.
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
        <Select
          label="Who"
          placeholder="Anyone"
          data={(users.data ?? []).map((u) => ({ value: String(u.id), label: u.name }))}
          value={actorId}
          onChange={setActorId}
          clearable
          searchable
        />
        <Autocomplete label="Action starts with" placeholder="e.g. user." data={ACTIONS.map((a) => a.value)} value={action} onChange={setAction} />
        <Select label="Target" placeholder="Any target" data={TARGETS} value={targetType} onChange={setTargetType} clearable searchable />
        <TextInput label="Target id" placeholder="e.g. 42" value={targetId} onChange={(e) => setTargetId(e.currentTarget.value.trim())} inputMode="numeric" />
        <TextInput label="IP address" placeholder="e.g. 203.0.113.7" value={ip} onChange={(e) => setIp(e.currentTarget.value)} />
        <TextInput type="date" label="From" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        <TextInput type="date" label="Until (inclusive)" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
        <TextInput label="Text" placeholder="Search action, target and data" value={text} onChange={(e) => setText(e.currentTarget.value)} />
      </SimpleGrid>
      {log.isPending ? (
        <Loader size="sm" aria-label="Loading the audit log" />
      ) : log.isError ? (
        <Text c="red" size="sm">
          {log.error.message}
        </Text>
      ) : entries.length === 0 ? (
        <Text c="dimmed" size="sm">
          No entries match. Try fewer filters: entries appear when someone signs in, changes rights or settings, exports data or erases a contact.
        </Text>
      ) : (
        <Table aria-label="Audit log entries" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Who</Table.Th>
              <Table.Th>What</Table.Th>
              <Table.Th>Action</Table.Th>
              <Table.Th>IP</Table.Th>
              <Table.Th>
                <VisuallyHidden>Details</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((e) => (
              <AuditRow key={e.id} entry={e} userName={userName} />
            ))}
          </Table.Tbody>
        </Table>
      )}
      {log.hasNextPage && (
        <Button variant="default" w="fit-content" loading={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
          Load more
        </Button>
      )}
    </Stack>
  )
}
