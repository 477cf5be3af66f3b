import { useMantineColorScheme } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { Spotlight } from '@mantine/spotlight'
import { notifications } from '@mantine/notifications'
import { IconBolt, IconInbox, IconMoon, IconPlus, IconSearch, IconSettings, IconTicket, IconUser } from '@tabler/icons-react'
import { useQuery } from '@tanstack/react-query'
import { useNavigate, useRouterState } from '@tanstack/react-router'
import { type ReactNode, useState } from 'react'
import { api } from '../../lib/api.ts'
import { formatCount } from '../../lib/format.ts'
import { isAdmin, isStaff, keys, showError, useCurrentUser, useViews } from '../../lib/queries.ts'
import { setUi } from '../../lib/ui-store.ts'
import { applyMacro, macrosQuery, requestMacroApply } from '../macros/macros.api.ts'

type Item = { id: string; label: string; description?: string; icon: ReactNode; run: () => void }

/** Ctrl/⌘-K: live search over tickets and contacts, plus views and app actions. */
export function CommandPalette() {
  const navigate = useNavigate()
  const user = useCurrentUser()
  const views = useViews()
  const { toggleColorScheme } = useMantineColorScheme()
  const [query, setQuery] = useState('')
  const [debounced] = useDebouncedValue(query.trim(), 200)
  const search = useQuery({
    queryKey: keys.search(`palette:${debounced}`),
    queryFn: () => api.search(debounced, 'all', 6),
    enabled: debounced.length > 1,
    meta: { silent: true },
  })
  const q = query.trim().toLowerCase()
  // With a ticket open, its macros are commands too: the open composer applies them at its cursor.
  const pathname = useRouterState({ select: (s) => s.location.pathname })
  const openTicketId = Number(/^\/tickets\/(\d+)$/.exec(pathname)?.[1] ?? 0)
  const macros = useQuery({ ...macrosQuery, enabled: openTicketId > 0, meta: { silent: true } })

  const actions: Item[] = [
    ...(isStaff(user.role) ? [{ id: 'new', label: 'New ticket', icon: <IconPlus size={18} />, run: () => setUi({ newTicketOpen: true }) }] : []),
    { id: 'inbox', label: 'Go to inbox', icon: <IconInbox size={18} />, run: () => void navigate({ to: '/views/$viewId', params: { viewId: 'all_open' } }) },
    { id: 'dark', label: 'Toggle dark mode', icon: <IconMoon size={18} />, run: toggleColorScheme },
    // Settings → Macros is open to everyone (personal macros), though the sidebar links Settings for admins only.
    {
      id: 'macros',
      label: 'Manage macros',
      icon: <IconBolt size={18} />,
      run: () => void navigate({ to: '/settings/$section', params: { section: 'macros' } }),
    },
    ...(isAdmin(user.role)
      ? [
          {
            id: 'settings',
            label: 'Settings',
            icon: <IconSettings size={18} />,
            run: () => void navigate({ to: '/settings/$section', params: { section: 'workspace' } }),
          },
        ]
      : []),
    ...(q
      ? [
          {
            id: 'search',
            label: `Search for “${query.trim()}”`,
            icon: <IconSearch size={18} />,
            run: () => void navigate({ to: '/search', search: { q: query.trim() } }),
          },
        ]
      : []),
  ].filter((a) => a.id === 'search' || a.label.toLowerCase().includes(q))
  const viewItems: Item[] = (views.data ?? [])
    .filter((v) => v.name.toLowerCase().includes(q))
    .map((v) => ({
      id: `view-${v.id}`,
      label: v.name,
      description: `${formatCount(v.count)} tickets`,
      icon: <IconInbox size={18} />,
      run: () => void navigate({ to: '/views/$viewId', params: { viewId: v.id } }),
    }))
  const macroItems: Item[] = openTicketId
    ? (macros.data ?? [])
        .filter((m) => `apply macro: ${m.name}`.toLowerCase().includes(q))
        .slice(0, q ? 8 : 5)
        .map((m) => ({
          id: `macro-${m.id}`,
          label: `Apply macro: ${m.name}`,
          description: m.scope === 'shared' ? 'Shared macro' : 'Personal macro',
          icon: <IconBolt size={18} />,
          run: () => {
            if (requestMacroApply(m)) return
            applyMacro(openTicketId, m.id).then(() => notifications.show({ color: 'green', message: `Macro “${m.name}” applied` }), showError)
          },
        }))
    : []
  const results = debounced.length > 1 ? search.data : undefined
  const ticketItems: Item[] = (results?.tickets ?? []).map((t) => ({
    id: `t-${t.id}`,
    label: `#${t.number} ${t.subject}`,
    description: t.requester.name,
    icon: <IconTicket size={18} />,
    run: () => void navigate({ to: '/tickets/$ticketId', params: { ticketId: String(t.id) } }),
  }))
  const contactItems: Item[] = (results?.contacts ?? []).map((c) => ({
    id: `c-${c.id}`,
    label: c.name,
    description: c.email ?? undefined,
    icon: <IconUser size={18} />,
    run: () => void navigate({ to: '/contacts/$contactId', params: { contactId: String(c.id) } }),
  }))
  const groups: [string, Item[]][] = [
    ['Tickets', ticketItems],
    ['Contacts', contactItems],
    ['Macros', macroItems],
    ['Actions', actions],
    ['Views', viewItems],
  ]
  const empty = groups.every(([, items]) => items.length === 0)
  return (
    <Spotlight.Root query={query} onQueryChange={setQuery} shortcut={['mod + K']} onSpotlightClose={() => setQuery('')} scrollable maxHeight={480}>
      <Spotlight.Search
        placeholder="Search tickets and contacts, or type a command…"
        leftSection={<IconSearch size={18} />}
        aria-label="Command palette search"
      />
      <Spotlight.ActionsList>
        {groups.map(([label, items]) =>
          items.length ? (
            <Spotlight.ActionsGroup key={label} label={label}>
              {items.map((item) => (
                <Spotlight.Action key={item.id} label={item.label} description={item.description} leftSection={item.icon} onClick={item.run} />
              ))}
            </Spotlight.ActionsGroup>
          ) : null,
        )}
        {empty && <Spotlight.Empty>{search.isFetching ? 'Searching…' : 'Nothing found'}</Spotlight.Empty>}
      </Spotlight.ActionsList>
    </Spotlight.Root>
  )
}
