import type { PageOf } from '@allhands/contract'
import { Button, Center, Group, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { IconPlus, IconSearch } from '@tabler/icons-react'
import { useInfiniteQuery } from '@tanstack/react-query'
import { type ReactNode, useState } from 'react'
import { isStaff, useCurrentUser } from '../../lib/queries.ts'

export interface ListColumn<T> {
  header: string
  cell: (item: T) => ReactNode
}

/** A searchable, cursor-paginated list of people or companies, with a "New …" dialog for support staff. */
export function SearchableListPage<T extends { id: number }>(props: {
  title: string
  newLabel: string
  searchLabel: string
  searchPlaceholder: string
  queryKey: readonly unknown[]
  fetchPage: (q: string | undefined, cursor: string | undefined) => Promise<PageOf<T>>
  emptyText: (searching: boolean) => string
  columns: ListColumn<T>[]
  renderCreateDialog: (onClose: () => void) => ReactNode
}) {
  const user = useCurrentUser()
  const [search, setSearch] = useState('')
  const [q] = useDebouncedValue(search.trim(), 250)
  const [creating, setCreating] = useState(false)
  const list = useInfiniteQuery({
    queryKey: [...props.queryKey, q],
    queryFn: ({ pageParam }) => props.fetchPage(q || undefined, pageParam ?? undefined),
    initialPageParam: null as string | null,
    getNextPageParam: (p) => p.nextCursor,
  })
  const items = list.data?.pages.flatMap((p) => p.items) ?? []
  return (
    <Stack p="md">
      <Group justify="space-between">
        <Title order={1} size="h3">
          {props.title}
        </Title>
        {isStaff(user.role) && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
            {props.newLabel}
          </Button>
        )}
      </Group>
      <TextInput
        aria-label={props.searchLabel}
        placeholder={props.searchPlaceholder}
        leftSection={<IconSearch size={16} />}
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        maw={420}
      />
      {list.isPending ? (
        <Loader aria-label={`Loading ${props.title.toLowerCase()}`} />
      ) : items.length === 0 ? (
        <Text c="dimmed">{props.emptyText(!!q)}</Text>
      ) : (
        <Table highlightOnHover aria-label={props.title}>
          <Table.Thead>
            <Table.Tr>
              {props.columns.map((c) => (
                <Table.Th key={c.header}>{c.header}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((item) => (
              <Table.Tr key={item.id}>
                {props.columns.map((c) => (
                  <Table.Td key={c.header}>{c.cell(item)}</Table.Td>
                ))}
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
      {creating && props.renderCreateDialog(() => setCreating(false))}
    </Stack>
  )
}
