import { Button, Center, Group, Loader, Stack, Text, Title } from '@mantine/core'
import { IconAdjustmentsHorizontal, IconInboxOff } from '@tabler/icons-react'
import { useInfiniteQuery } from '@tanstack/react-query'
import { useNavigate, useParams } from '@tanstack/react-router'
import { useEffect, useMemo, useState } from 'react'
import { api } from '../../lib/api.ts'
import { formatCount } from '../../lib/format.ts'
import { isStaff, keys, useCurrentUser, useViews } from '../../lib/queries.ts'
import { useShortcuts } from '../../lib/shortcuts.ts'
import { setUi } from '../../lib/ui-store.ts'
import { BulkBar } from './BulkBar.tsx'
import { TicketTable } from './TicketTable.tsx'
import { ViewEditor } from './ViewEditor.tsx'

export function InboxPage() {
  const { viewId } = useParams({ from: '/app/views/$viewId' })
  const navigate = useNavigate()
  const user = useCurrentUser()
  const views = useViews()
  const view = views.data?.find((v) => v.id === viewId)
  const [active, setActive] = useState(0)
  const [selected, setSelected] = useState<Set<number>>(new Set())
  const [editor, setEditor] = useState<'new' | 'edit' | null>(null)
  const list = useInfiniteQuery({
    queryKey: [...keys.ticketLists, 'view', viewId],
    queryFn: ({ pageParam }) => api.tickets({ view: viewId, cursor: pageParam ?? undefined, limit: 50 }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  })
  const tickets = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data])

  // Selection belongs to one view: reset it while rendering the new one (no flash of stale checkboxes).
  const [listFor, setListFor] = useState(viewId)
  if (listFor !== viewId) {
    setListFor(viewId)
    setActive(0)
    setSelected(new Set())
  }

  const toggle = (id: number) =>
    setSelected((s) => {
      const next = new Set(s)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      return next
    })
  const open = (id: number) => void navigate({ to: '/tickets/$ticketId', params: { ticketId: String(id) } })

  useShortcuts({
    j: () => setActive((i) => Math.min(tickets.length - 1, i + 1)),
    k: () => setActive((i) => Math.max(0, i - 1)),
    enter: () => {
      const t = tickets[active]
      if (t) open(t.id)
    },
    x: () => {
      const t = tickets[active]
      if (t) toggle(t.id)
    },
  })

  useEffect(() => {
    if (active >= 0) document.querySelector(`[data-row-index="${active}"]`)?.scrollIntoView({ block: 'nearest' })
  }, [active])

  return (
    <Stack gap={0} h="calc(100vh - 56px)">
      <Group justify="space-between" px="md" py="sm" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <Group gap="sm">
          <Title order={1} size="h3">
            {view?.name ?? 'Inbox'}
          </Title>
          {view && (
            <Text c="dimmed" size="sm" aria-live="polite">
              {formatCount(view.count)} tickets
            </Text>
          )}
        </Group>
        <Group gap="xs">
          {view && !view.builtin && (
            <Button variant="default" size="xs" leftSection={<IconAdjustmentsHorizontal size={14} />} onClick={() => setEditor('edit')}>
              Edit view
            </Button>
          )}
          <Button variant="default" size="xs" onClick={() => setEditor('new')}>
            Save as new view
          </Button>
        </Group>
      </Group>
      {selected.size > 0 && isStaff(user.role) && <BulkBar ids={[...selected]} onDone={() => setSelected(new Set())} />}
      <div style={{ flex: 1, overflow: 'auto' }}>
        {list.isPending ? (
          <Center p="xl">
            <Loader aria-label="Loading tickets" />
          </Center>
        ) : tickets.length === 0 ? (
          <Center p="xl">
            <Stack align="center" gap="xs" maw={420} ta="center">
              <IconInboxOff size={40} color="var(--mantine-color-dimmed)" aria-hidden />
              <Title order={2} size="h4">
                {viewId === 'unassigned' ? 'Every ticket has an owner' : 'No tickets here'}
              </Title>
              <Text c="dimmed" size="sm">
                {viewId === 'mine'
                  ? 'Nothing is assigned to you right now. Pick one up from Unassigned.'
                  : 'New tickets matching this view appear here as soon as they arrive.'}
              </Text>
              {isStaff(user.role) && (
                <Button variant="light" onClick={() => setUi({ newTicketOpen: true })}>
                  Create a ticket
                </Button>
              )}
            </Stack>
          </Center>
        ) : (
          <>
            <TicketTable
              tickets={tickets}
              active={active}
              selected={selected}
              onToggle={toggle}
              onToggleAll={(all) => setSelected(all ? new Set(tickets.map((t) => t.id)) : new Set())}
              onOpen={open}
              selectable={isStaff(user.role)}
            />
            {list.hasNextPage && (
              <Center p="md">
                <Button variant="default" onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
                  Load more
                </Button>
              </Center>
            )}
          </>
        )}
      </div>
      {editor && <ViewEditor view={editor === 'edit' ? view : undefined} baseFilters={view?.filters ?? {}} onClose={() => setEditor(null)} />}
    </Stack>
  )
}
