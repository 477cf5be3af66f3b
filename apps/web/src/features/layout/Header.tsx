import { ActionIcon, Avatar, Button, Group, Menu, Text, TextInput, Tooltip, UnstyledButton, useMantineColorScheme } from '@mantine/core'
import { spotlight } from '@mantine/spotlight'
import { IconCommand, IconKeyboard, IconLogout, IconMoon, IconPlus, IconSearch, IconShieldLock, IconSun, IconWifiOff } from '@tabler/icons-react'
import { useNavigate } from '@tanstack/react-router'
import { useState } from 'react'
import { api } from '../../lib/api.ts'
import { initials } from '../../lib/format.ts'
import { isStaff, queryClient, useCurrentUser, useMe } from '../../lib/queries.ts'
import { useRealtimeConnected } from '../../lib/realtime.ts'
import { setUi } from '../../lib/ui-store.ts'
import { NotificationsBell } from '../notifications/NotificationsBell.tsx'
// issue 7 chat header import
import { AvailabilityMenu } from '../chat/AvailabilityMenu.tsx'

export function Header() {
  const me = useMe()
  const user = useCurrentUser()
  const navigate = useNavigate()
  const { colorScheme, toggleColorScheme } = useMantineColorScheme()
  const connected = useRealtimeConnected()
  const [q, setQ] = useState('')
  const logout = async () => {
    await api.logout()
    queryClient.clear()
    void navigate({ to: '/login' })
  }
  return (
    <Group justify="space-between" w="100%" wrap="nowrap">
      <Group gap="sm" wrap="nowrap">
        <Text fw={800} c="indigo" visibleFrom="xs">
          {me.data?.workspaceName ?? 'Allhands'}
        </Text>
        <search>
          <form
            onSubmit={(e) => {
              e.preventDefault()
              if (q.trim()) void navigate({ to: '/search', search: { q: q.trim() } })
              ;(document.activeElement as HTMLElement | null)?.blur()
            }}
          >
            <TextInput
              id="global-search"
              aria-label="Search tickets, contacts and organizations"
              placeholder="Search  ( / )"
              leftSection={<IconSearch size={16} aria-hidden />}
              value={q}
              onChange={(e) => setQ(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') e.currentTarget.blur()
              }}
              w={{ base: 160, sm: 320 }}
            />
          </form>
        </search>
      </Group>
      <Group gap="xs" wrap="nowrap">
        {!connected && (
          <Tooltip label="Live updates reconnecting…">
            <IconWifiOff size={18} color="var(--mantine-color-orange-6)" aria-label="Live updates disconnected" />
          </Tooltip>
        )}
        {/* issue 7 chat availability menu */}
        <AvailabilityMenu />
        {isStaff(user.role) && (
          <Button leftSection={<IconPlus size={16} aria-hidden />} size="sm" onClick={() => setUi({ newTicketOpen: true })}>
            New ticket
          </Button>
        )}
        <Tooltip label="Command palette (Ctrl/⌘ K)">
          <ActionIcon variant="default" size="lg" onClick={() => spotlight.open()} aria-label="Open command palette">
            <IconCommand size={18} />
          </ActionIcon>
        </Tooltip>
        <Tooltip label="Keyboard shortcuts (?)">
          <ActionIcon variant="default" size="lg" onClick={() => setUi({ shortcutsOpen: true })} aria-label="Show keyboard shortcuts" visibleFrom="sm">
            <IconKeyboard size={18} />
          </ActionIcon>
        </Tooltip>
        <NotificationsBell />
        <Tooltip label={colorScheme === 'dark' ? 'Light mode' : 'Dark mode'}>
          <ActionIcon variant="default" size="lg" onClick={toggleColorScheme} aria-label="Toggle dark mode">
            {colorScheme === 'dark' ? <IconSun size={18} /> : <IconMoon size={18} />}
          </ActionIcon>
        </Tooltip>
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <UnstyledButton aria-label={`Account menu for ${user.name}`}>
              <Avatar color="indigo" radius="xl" size={32}>
                {initials(user.name)}
              </Avatar>
            </UnstyledButton>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Label>
              {user.name} · {user.role}
            </Menu.Label>
            {/* issue 10 security: Account → Security */}
            <Menu.Item
              leftSection={<IconShieldLock size={16} />}
              onClick={() => void navigate({ to: '/settings/$section', params: { section: 'account-security' } })}
            >
              Account security
            </Menu.Item>
            <Menu.Item leftSection={<IconLogout size={16} />} onClick={logout}>
              Sign out
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
      </Group>
    </Group>
  )
}
