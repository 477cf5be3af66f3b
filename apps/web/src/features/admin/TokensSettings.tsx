import { TOKEN_SCOPES, type TokenScope } from '@allhands/contract'
import { Alert, Badge, Button, Checkbox, Code, CopyButton, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { ConfirmModal } from '../../lib/confirm-modal.tsx'
import { fullTime } from '../../lib/format.ts'
import { keys, queryClient } from '../../lib/queries.ts'
import { securityApi } from '../security/security.api.ts'

const SCOPE_LABEL: Record<TokenScope, { label: string; description: string }> = {
  read: { label: 'Read', description: 'GET requests: tickets, contacts, reports…' },
  write: { label: 'Write', description: 'Everything else you can do as an agent: replies, notes, updates' },
  admin: { label: 'Admin', description: 'Your admin rights (settings, users). Without it the token has agent rights at most.' },
}

/** The end of the chosen day, local time (a token "valid until 31 Dec" works all of that day). */
const endOfDay = (date: string) => new Date(`${date}T23:59:59`).getTime()
const today = () => new Date().toISOString().slice(0, 10)

export function TokensSettings() {
  const tokens = useQuery({ queryKey: keys.tokens, queryFn: securityApi.tokens })
  const [name, setName] = useState('')
  const [scopes, setScopes] = useState<TokenScope[]>(['read', 'write'])
  const [expiry, setExpiry] = useState('')
  const [revoking, setRevoking] = useState<{ id: number; name: string } | null>(null)
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.tokens })
  const create = useMutation({
    mutationFn: () => securityApi.createToken({ name: name.trim(), scopes, expiresAt: expiry ? endOfDay(expiry) : null }),
    onSuccess: () => {
      setName('')
      setExpiry('')
      void refresh()
    },
  })
  const revoke = useMutation({ mutationFn: securityApi.revokeToken, onSuccess: refresh })
  return (
    <Stack>
      <Title order={2} size="h4">
        Personal API tokens
      </Title>
      <Text size="sm" c="dimmed">
        Use a token as <Code>Authorization: Bearer …</Code> to call the API as yourself. A token never has more rights than you.
      </Text>
      <form
        aria-label="Create API token"
        onSubmit={(e) => {
          e.preventDefault()
          if (name.trim() && scopes.length) create.mutate()
        }}
      >
        <Stack maw={560}>
          <TextInput label="Token name" placeholder="e.g. CRM sync" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Checkbox.Group label="Scopes" value={scopes} onChange={(v) => setScopes(TOKEN_SCOPES.filter((s) => v.includes(s)))}>
            <Stack gap="xs" mt="xs">
              {TOKEN_SCOPES.map((s) => (
                <Checkbox key={s} value={s} label={SCOPE_LABEL[s].label} description={SCOPE_LABEL[s].description} />
              ))}
            </Stack>
          </Checkbox.Group>
          <TextInput
            type="date"
            label="Expires"
            description="Leave empty for a token that does not expire. It stops working at the end of that day."
            min={today()}
            value={expiry}
            onChange={(e) => setExpiry(e.currentTarget.value)}
            maw={220}
          />
          {create.error && (
            <Alert color="red" role="alert">
              {create.error.message}
            </Alert>
          )}
          <Group>
            <Button type="submit" disabled={!name.trim() || !scopes.length} loading={create.isPending}>
              Create token
            </Button>
          </Group>
        </Stack>
      </form>
      {create.data && (
        <Alert color="green" title={`Token “${create.data.name}” created`}>
          <Stack gap="xs">
            <Text size="sm">Copy it now: it is shown only once.</Text>
            <Code block>{create.data.token}</Code>
            <CopyButton value={create.data.token}>
              {({ copied, copy }) => (
                <Button size="xs" onClick={copy}>
                  {copied ? 'Copied' : 'Copy token'}
                </Button>
              )}
            </CopyButton>
          </Stack>
        </Alert>
      )}
      {tokens.data?.length === 0 ? (
        <Text size="sm" c="dimmed">
          You have no API tokens yet.
        </Text>
      ) : (
        <Table aria-label="API tokens">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Scopes</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Expires</Table.Th>
              <Table.Th>Last used</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tokens.data?.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td>{t.name}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {t.scopes.map((s) => (
                      <Badge key={s} size="sm" variant="light" color={s === 'admin' ? 'orange' : 'blue'}>
                        {s}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>{fullTime(t.createdAt)}</Table.Td>
                <Table.Td>
                  {t.expired ? (
                    <Badge color="red" variant="light">
                      Expired
                    </Badge>
                  ) : t.expiresAt ? (
                    fullTime(t.expiresAt)
                  ) : (
                    'Never'
                  )}
                </Table.Td>
                <Table.Td>{t.lastUsedAt ? fullTime(t.lastUsedAt) : 'Never'}</Table.Td>
                <Table.Td>
                  <Button size="xs" color="red" variant="subtle" onClick={() => setRevoking({ id: t.id, name: t.name })} aria-label={`Revoke ${t.name}`}>
                    Revoke
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <ConfirmModal
        opened={revoking !== null}
        title="Revoke token?"
        confirmLabel="Revoke"
        danger
        loading={revoke.isPending}
        onClose={() => setRevoking(null)}
        onConfirm={() => {
          if (revoking) revoke.mutate(revoking.id, { onSettled: () => setRevoking(null) })
        }}
      >
        Programs using “{revoking?.name}” will stop working at once.
      </ConfirmModal>
    </Stack>
  )
}
