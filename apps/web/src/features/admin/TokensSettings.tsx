import { Alert, Button, Code, CopyButton, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../../lib/api.ts'
import { fullTime } from '../../lib/format.ts'
import { keys, queryClient } from '../../lib/queries.ts'

export function TokensSettings() {
  const tokens = useQuery({ queryKey: keys.tokens, queryFn: api.tokens })
  const [name, setName] = useState('')
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.tokens })
  const create = useMutation({
    mutationFn: () => api.createToken(name.trim()),
    onSuccess: () => {
      setName('')
      void refresh()
    },
  })
  const revoke = useMutation({ mutationFn: api.revokeToken, onSuccess: refresh })
  return (
    <Stack>
      <Title order={2} size="h4">
        Personal API tokens
      </Title>
      <Text size="sm" c="dimmed">
        Use a token as <Code>Authorization: Bearer …</Code> to call the API as yourself.
      </Text>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (name.trim()) create.mutate()
        }}
      >
        <Group align="end">
          <TextInput label="Token name" placeholder="e.g. CRM sync" value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Button type="submit" disabled={!name.trim()} loading={create.isPending}>
            Create token
          </Button>
        </Group>
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
      <Table aria-label="API tokens">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Last used</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tokens.data?.map((t) => (
            <Table.Tr key={t.id}>
              <Table.Td>{t.name}</Table.Td>
              <Table.Td>{fullTime(t.createdAt)}</Table.Td>
              <Table.Td>{t.lastUsedAt ? fullTime(t.lastUsedAt) : 'Never'}</Table.Td>
              <Table.Td>
                <Button size="xs" color="red" variant="subtle" onClick={() => revoke.mutate(t.id)}>
                  Revoke
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  )
}
