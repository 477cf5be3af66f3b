import { Button, Center, Group, Loader, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { IconPlus, IconSearch } from '@tabler/icons-react'
import { useInfiniteQuery, useMutation } from '@tanstack/react-query'
import { useNavigate } from '@tanstack/react-router'
import { useState } from 'react'
import { api } from '../../lib/api.ts'
import { RouterAnchor } from '../../lib/links.tsx'
import { isStaff, keys, queryClient, useCurrentUser } from '../../lib/queries.ts'

export function OrganizationsPage() {
  const user = useCurrentUser()
  const [search, setSearch] = useState('')
  const [q] = useDebouncedValue(search.trim(), 250)
  const [creating, setCreating] = useState(false)
  const list = useInfiniteQuery({
    queryKey: [...keys.organizations, q],
    queryFn: ({ pageParam }) => api.organizations({ q: q || undefined, cursor: pageParam ?? undefined, limit: 50 }),
    initialPageParam: null as string | null,
    getNextPageParam: (p) => p.nextCursor,
  })
  const items = list.data?.pages.flatMap((p) => p.items) ?? []
  return (
    <Stack p="md">
      <Group justify="space-between">
        <Title order={1} size="h3">
          Organizations
        </Title>
        {isStaff(user.role) && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
            New organization
          </Button>
        )}
      </Group>
      <TextInput
        aria-label="Search organizations"
        placeholder="Search by name or domain"
        leftSection={<IconSearch size={16} />}
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        maw={420}
      />
      {list.isPending ? (
        <Loader aria-label="Loading organizations" />
      ) : items.length === 0 ? (
        <Text c="dimmed">{q ? 'No organization matches.' : 'No organizations yet.'}</Text>
      ) : (
        <Table highlightOnHover aria-label="Organizations">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Domain</Table.Th>
              <Table.Th>Contacts</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((o) => (
              <Table.Tr key={o.id}>
                <Table.Td>
                  <RouterAnchor to="/organizations/$organizationId" params={{ organizationId: String(o.id) }}>
                    {o.name}
                  </RouterAnchor>
                </Table.Td>
                <Table.Td>{o.domain ?? '—'}</Table.Td>
                <Table.Td>{o.contactCount}</Table.Td>
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
      {creating && <NewOrganizationDialog onClose={() => setCreating(false)} />}
    </Stack>
  )
}

function NewOrganizationDialog({ onClose }: { onClose: () => void }) {
  const navigate = useNavigate()
  const [name, setName] = useState('')
  const [domain, setDomain] = useState('')
  const create = useMutation({
    mutationFn: () => api.createOrganization({ name: name.trim(), domain: domain.trim() || null }),
    onSuccess: (o) => {
      void queryClient.invalidateQueries({ queryKey: keys.organizations })
      onClose()
      void navigate({ to: '/organizations/$organizationId', params: { organizationId: String(o.id) } })
    },
  })
  return (
    <Modal opened onClose={onClose} title="New organization">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          create.mutate()
        }}
      >
        <Stack>
          <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
          <TextInput label="Domain" placeholder="example.com" value={domain} onChange={(e) => setDomain(e.currentTarget.value)} />
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
