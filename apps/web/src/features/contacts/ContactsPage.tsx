import { Button, Center, Group, Loader, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { IconPlus, IconSearch } from '@tabler/icons-react'
import { useInfiniteQuery, useMutation } from '@tanstack/react-query'
import { useNavigate } from '@tanstack/react-router'
import { useState } from 'react'
import { api } from '../../lib/api.ts'
import { RouterAnchor } from '../../lib/links.tsx'
import { isStaff, keys, queryClient, useCurrentUser } from '../../lib/queries.ts'
import { EntityPicker } from '../common/Pickers.tsx'

export function ContactsPage() {
  const user = useCurrentUser()
  const [search, setSearch] = useState('')
  const [q] = useDebouncedValue(search.trim(), 250)
  const [creating, setCreating] = useState(false)
  const list = useInfiniteQuery({
    queryKey: [...keys.contacts, q],
    queryFn: ({ pageParam }) => api.contacts({ q: q || undefined, cursor: pageParam ?? undefined, limit: 50 }),
    initialPageParam: null as string | null,
    getNextPageParam: (p) => p.nextCursor,
  })
  const items = list.data?.pages.flatMap((p) => p.items) ?? []
  return (
    <Stack p="md">
      <Group justify="space-between">
        <Title order={1} size="h3">
          Contacts
        </Title>
        {isStaff(user.role) && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
            New contact
          </Button>
        )}
      </Group>
      <TextInput
        aria-label="Search contacts"
        placeholder="Search by name or email"
        leftSection={<IconSearch size={16} />}
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        maw={420}
      />
      {list.isPending ? (
        <Loader aria-label="Loading contacts" />
      ) : items.length === 0 ? (
        <Text c="dimmed">{q ? 'No contact matches this search.' : 'No contacts yet. They are created automatically when customers write in.'}</Text>
      ) : (
        <Table highlightOnHover aria-label="Contacts">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Email</Table.Th>
              <Table.Th>Organization</Table.Th>
              <Table.Th>Tickets</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>
                  <RouterAnchor to="/contacts/$contactId" params={{ contactId: String(c.id) }}>
                    {c.name}
                  </RouterAnchor>
                </Table.Td>
                <Table.Td>{c.emails.join(', ')}</Table.Td>
                <Table.Td>
                  {c.organizationId ? (
                    <RouterAnchor to="/organizations/$organizationId" params={{ organizationId: String(c.organizationId) }}>
                      {c.organizationName}
                    </RouterAnchor>
                  ) : (
                    '—'
                  )}
                </Table.Td>
                <Table.Td>{c.ticketCount}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {list.hasNextPage && (
        <Center>
          <Button variant="default" onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
            Load more
          </Button>
        </Center>
      )}
      {creating && <NewContactDialog onClose={() => setCreating(false)} />}
    </Stack>
  )
}

function NewContactDialog({ onClose }: { onClose: () => void }) {
  const navigate = useNavigate()
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [organizationId, setOrganizationId] = useState<number | null>(null)
  const create = useMutation({
    mutationFn: () => api.createContact({ name: name.trim(), emails: email.trim() ? [email.trim()] : [], organizationId }),
    onSuccess: (c) => {
      void queryClient.invalidateQueries({ queryKey: keys.contacts })
      onClose()
      void navigate({ to: '/contacts/$contactId', params: { contactId: String(c.id) } })
    },
  })
  return (
    <Modal opened onClose={onClose} title="New contact">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          create.mutate()
        }}
      >
        <Stack>
          <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
          <TextInput label="Email" type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
          <EntityPicker kind="organizations" label="Organization" value={organizationId} onChange={setOrganizationId} />
          <Group justify="end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
