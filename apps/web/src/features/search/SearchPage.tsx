import { Center, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { IconSearch } from '@tabler/icons-react'
import { useQuery } from '@tanstack/react-query'
import { useNavigate, useSearch } from '@tanstack/react-router'
import { useEffect, useState } from 'react'
import { api } from '../../lib/api.ts'
import { RouterAnchor } from '../../lib/links.tsx'
import { keys } from '../../lib/queries.ts'
import { TicketTable } from '../inbox/TicketTable.tsx'

export function SearchPage() {
  const { q } = useSearch({ strict: false }) as { q: string }
  const navigate = useNavigate()
  const [input, setInput] = useState(q)
  useEffect(() => setInput(q), [q])
  const results = useQuery({ queryKey: keys.search(q), queryFn: () => api.search(q, 'all', 50), enabled: q.trim().length > 0 })
  const r = results.data
  const empty = r && !r.tickets.length && !r.contacts.length && !r.organizations.length
  return (
    <Stack p="md" gap="lg">
      <Title order={1} size="h3">
        Search
      </Title>
      <search>
        <form
          onSubmit={(e) => {
            e.preventDefault()
            void navigate({ to: '/search', search: { q: input.trim() } })
          }}
        >
          <TextInput
            aria-label="Search query"
            leftSection={<IconSearch size={16} />}
            value={input}
            onChange={(e) => setInput(e.currentTarget.value)}
            maw={520}
            placeholder="Words, a ticket number, an email address…"
          />
        </form>
      </search>
      {!q && <Text c="dimmed">Type something to search tickets, contacts and organizations.</Text>}
      {results.isFetching && !r && (
        <Center>
          <Loader aria-label="Searching" />
        </Center>
      )}
      {empty && <Text c="dimmed">Nothing matches “{q}”. Try fewer or different words.</Text>}
      {r && r.tickets.length > 0 && (
        <section aria-label="Tickets">
          <Title order={2} size="h5" mb="xs">
            Tickets ({r.tickets.length})
          </Title>
          <TicketTable tickets={r.tickets} onOpen={(id) => void navigate({ to: '/tickets/$ticketId', params: { ticketId: String(id) } })} />
        </section>
      )}
      {r && r.contacts.length > 0 && (
        <section aria-label="Contacts">
          <Title order={2} size="h5" mb="xs">
            Contacts ({r.contacts.length})
          </Title>
          <Table>
            <Table.Tbody>
              {r.contacts.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <RouterAnchor to="/contacts/$contactId" params={{ contactId: String(c.id) }}>
                      {c.name}
                    </RouterAnchor>
                  </Table.Td>
                  <Table.Td>{c.email}</Table.Td>
                  <Table.Td>{c.organizationName}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </section>
      )}
      {r && r.organizations.length > 0 && (
        <section aria-label="Organizations">
          <Title order={2} size="h5" mb="xs">
            Organizations ({r.organizations.length})
          </Title>
          <Table>
            <Table.Tbody>
              {r.organizations.map((o) => (
                <Table.Tr key={o.id}>
                  <Table.Td>
                    <RouterAnchor to="/organizations/$organizationId" params={{ organizationId: String(o.id) }}>
                      {o.name}
                    </RouterAnchor>
                  </Table.Td>
                  <Table.Td>{o.domain}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </section>
      )}
    </Stack>
  )
}
