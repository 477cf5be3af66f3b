import { AppShell, Burger, Center, Group, Loader } from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { Outlet, useNavigate } from '@tanstack/react-router'
import { lazy, Suspense } from 'react'
import { useMe } from '../../lib/queries.ts'
import { useRealtimeSync } from '../../lib/realtime-sync.ts'
import { useShortcuts } from '../../lib/shortcuts.ts'
import { setUi, useUi } from '../../lib/ui-store.ts'
import { RideAlongBanner } from '../ride-along/RideAlongBanner.tsx'
import { CommandPalette } from '../search/CommandPalette.tsx'
import { ShortcutsDialog } from '../shortcuts/ShortcutsDialog.tsx'
import { Header } from './Header.tsx'
import { Sidebar } from './Sidebar.tsx'

const NewTicketDialog = lazy(() => import('../tickets/NewTicketDialog.tsx').then((m) => ({ default: m.NewTicketDialog })))

/** Signed-in frame; the route guard has already checked setup and the session. */
export function AppLayout() {
  const me = useMe()
  if (!me.data)
    return (
      <Center h="100vh">
        <Loader aria-label="Loading your workspace" />
      </Center>
    )
  return <Shell />
}

function Shell() {
  const [navOpen, nav] = useDisclosure(false)
  const navigate = useNavigate()
  const ui = useUi()
  useRealtimeSync(true)
  useShortcuts({
    '?': () => setUi({ shortcutsOpen: true }),
    'g i': () => void navigate({ to: '/views/$viewId', params: { viewId: 'all_open' } }),
    '/': () => document.getElementById('global-search')?.focus(),
  })
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 248, breakpoint: 'sm', collapsed: { mobile: !navOpen } }} padding={0}>
      <AppShell.Header>
        <Group h="100%" px="md" gap="sm" wrap="nowrap">
          <Burger opened={navOpen} onClick={nav.toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
          <Header />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar component="nav" aria-label="Views and sections">
        <Sidebar onNavigate={nav.close} />
      </AppShell.Navbar>
      <AppShell.Main id="main">
        <RideAlongBanner />
        <Outlet />
      </AppShell.Main>
      <CommandPalette />
      <ShortcutsDialog opened={ui.shortcutsOpen} onClose={() => setUi({ shortcutsOpen: false })} />
      {ui.newTicketOpen && (
        <Suspense fallback={null}>
          <NewTicketDialog onClose={() => setUi({ newTicketOpen: false })} />
        </Suspense>
      )}
    </AppShell>
  )
}
