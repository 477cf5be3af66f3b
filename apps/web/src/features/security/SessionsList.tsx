import { Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core'
import { useMutation, useQuery } from '@tanstack/react-query'
import { fullTime, relativeTime } from '../../lib/format.ts'
import { queryClient } from '../../lib/queries.ts'
import { securityApi, securityKeys } from './security.api.ts'

/** A short device description from a user agent string. */
function deviceOf(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device'
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : null
  const os = /Windows/.test(userAgent)
    ? 'Windows'
    : /Android/.test(userAgent)
      ? 'Android'
      : /iPhone|iPad/.test(userAgent)
        ? 'iOS'
        : /Mac OS X/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : null
  return browser && os ? `${browser} on ${os}` : userAgent.slice(0, 60)
}

/** The person's signed-in sessions, with revoke buttons. */
export function SessionsList() {
  const sessions = useQuery({ queryKey: securityKeys.sessions, queryFn: securityApi.sessions })
  const refresh = () => queryClient.invalidateQueries({ queryKey: securityKeys.sessions })
  const revoke = useMutation({ mutationFn: securityApi.revokeSession, onSuccess: refresh })
  const revokeOthers = useMutation({ mutationFn: securityApi.revokeOtherSessions, onSuccess: refresh })
  const others = (sessions.data ?? []).filter((s) => !s.current).length
  return (
    <Stack component="section" aria-labelledby="sessions-title">
      <Group justify="space-between">
        <Title order={2} size="h4" id="sessions-title">
          Where you are signed in
        </Title>
        <Button variant="default" disabled={others === 0} loading={revokeOthers.isPending} onClick={() => revokeOthers.mutate()}>
          Sign out all other sessions
        </Button>
      </Group>
      {revokeOthers.data && (
        <Text size="sm" role="status">
          Signed out {revokeOthers.data.revoked} other session{revokeOthers.data.revoked === 1 ? '' : 's'}.
        </Text>
      )}
      <Table aria-label="Sessions">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Device</Table.Th>
            <Table.Th>IP address</Table.Th>
            <Table.Th>Signed in</Table.Th>
            <Table.Th>Last seen</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sessions.data?.map((s) => (
            <Table.Tr key={s.id}>
              <Table.Td>
                <Group gap="xs">
                  <span title={s.userAgent ?? undefined}>{deviceOf(s.userAgent)}</span>
                  {s.current && <Badge size="sm">This session</Badge>}
                </Group>
              </Table.Td>
              <Table.Td>{s.ip ?? '—'}</Table.Td>
              <Table.Td>{fullTime(s.createdAt)}</Table.Td>
              <Table.Td>{s.lastSeenAt ? relativeTime(s.lastSeenAt) : '—'}</Table.Td>
              <Table.Td>
                {!s.current && (
                  <Button
                    size="xs"
                    color="red"
                    variant="subtle"
                    aria-label={`Sign out ${deviceOf(s.userAgent)} (signed in ${fullTime(s.createdAt)})`}
                    onClick={() => revoke.mutate(s.id)}
                  >
                    Sign out
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  )
}
