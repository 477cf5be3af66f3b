import type { AuditEntryDto } from '@allhands/contract'
import { Button, Code, Group, Loader, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { useInfiniteQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { fullTime, relativeTime } from '../../lib/format.ts'
import { useUsers } from '../../lib/queries.ts'
import { type AuditFilter, reviewKeys, reviewsApi } from '../reviews/reviews.api.ts'

const ACTIONS: { value: string; label: string }[] = [
  { value: 'user.participation_changed', label: 'Trust or clearance changed' },
  { value: 'user.promoted', label: 'Promoted automatically' },
  { value: 'review.approved', label: 'Reply approved' },
  { value: 'review.rejected', label: 'Reply returned' },
  { value: 'review_policy.created', label: 'Review policy added' },
  { value: 'review_policy.changed', label: 'Review policy changed' },
  { value: 'review_policy.deleted', label: 'Review policy removed' },
]
const TARGETS = ['user', 'reply_review', 'review_policy', 'ticket', 'shift', 'rotation', 'certification', 'ride_along', 'consult', 'category', 'risk_rule']

/** One readable line for an entry; the raw data stays available below it. */
function describe(e: AuditEntryDto, userName: (id: number) => string): string {
  const d = e.data as Record<string, { from?: unknown; to?: unknown } | unknown>
  const target = e.targetType === 'user' && e.targetId ? userName(e.targetId) : `${e.targetType.replace('_', ' ')}${e.targetId ? ` ${e.targetId}` : ''}`
  const changes = Object.entries(d)
    .filter(([, v]) => v && typeof v === 'object' && 'to' in (v as object))
    .map(([k, v]) => `${k} ${String((v as { from?: unknown }).from)} → ${String((v as { to?: unknown }).to)}`)
  const label = ACTIONS.find((a) => a.value === e.action)?.label ?? e.action
  return `${label}: ${target}${changes.length ? ` (${changes.join(', ')})` : ''}`
}

/** Admin settings: who changed whose rights, who reviewed what, who monitored whom — newest first, filterable. */
export function AuditLogSettings() {
  const users = useUsers()
  const [action, setAction] = useState<string | null>(null)
  const [targetType, setTargetType] = useState<string | null>(null)
  const [targetId, setTargetId] = useState('')
  const filter: AuditFilter = {
    ...(action ? { action } : {}),
    ...(targetType ? { targetType } : {}),
    ...(/^\d+$/.test(targetId) ? { targetId: Number(targetId) } : {}),
  }
  const log = useInfiniteQuery({
    queryKey: reviewKeys.audit(filter),
    queryFn: ({ pageParam }) => reviewsApi.auditLog({ ...filter, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })
  const names = new Map(users.data?.map((u) => [u.id, u.name]))
  const userName = (id: number) => names.get(id) ?? `user ${id}`
  const entries = log.data?.pages.flatMap((p) => p.items) ?? []
  return (
    <Stack>
      <Title order={2} size="h4">
        Audit log
      </Title>
      <Text size="sm" c="dimmed">
        Changes to people's rights (trust levels, clearance, certifications), reviews of held replies, monitoring and policy changes, written in the same
        transaction as the change.
      </Text>
      <Group align="end">
        <Select label="Action" placeholder="Any action" data={ACTIONS} value={action} onChange={setAction} clearable searchable w={240} />
        <Select label="Target" placeholder="Any target" data={TARGETS} value={targetType} onChange={setTargetType} clearable w={180} />
        <TextInput
          label="Target id"
          placeholder="e.g. 42"
          value={targetId}
          onChange={(e) => setTargetId(e.currentTarget.value.trim())}
          w={110}
          inputMode="numeric"
        />
      </Group>
      {log.isPending ? (
        <Loader size="sm" aria-label="Loading the audit log" />
      ) : entries.length === 0 ? (
        <Text c="dimmed" size="sm">
          No entries match. Entries appear when someone's trust or clearance changes, a held reply is decided or a policy is edited.
        </Text>
      ) : (
        <Table aria-label="Audit log entries" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Who</Table.Th>
              <Table.Th>What</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((e) => (
              <Table.Tr key={e.id} data-testid="audit-entry" data-action={e.action}>
                <Table.Td title={fullTime(e.createdAt)} style={{ whiteSpace: 'nowrap' }}>
                  {relativeTime(e.createdAt)}
                </Table.Td>
                <Table.Td>{e.actor?.name ?? 'Allhands (automatic)'}</Table.Td>
                <Table.Td>
                  <Text size="sm">{describe(e, userName)}</Text>
                  <Code fz="xs" c="dimmed">
                    {e.action} {JSON.stringify(e.data)}
                  </Code>
                </Table.Td>
              </Table.Tr>
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
