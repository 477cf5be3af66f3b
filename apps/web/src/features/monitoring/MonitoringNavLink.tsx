import { IconDeviceAnalytics } from '@tabler/icons-react'
import { useLocation } from '@tanstack/react-router'
import { RouterNavLink } from '../../lib/links.tsx'
import { useMe } from '../../lib/queries.ts'
import { mayMonitor } from './monitoring.api.ts'

/** Sidebar entry for leads (admins and full agents). */
export function MonitoringNavLink({ onNavigate }: { onNavigate: () => void }) {
  const me = useMe()
  const { pathname } = useLocation()
  if (!mayMonitor(me.data)) return null
  return (
    <RouterNavLink
      to="/monitoring"
      label="Monitoring"
      leftSection={<IconDeviceAnalytics size={16} aria-hidden />}
      active={pathname === '/monitoring'}
      onClick={onNavigate}
    />
  )
}
