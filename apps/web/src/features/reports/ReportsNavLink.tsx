import { IconChartHistogram } from '@tabler/icons-react'
import { useLocation, useNavigate } from '@tanstack/react-router'
import { RouterNavLink } from '../../lib/links.tsx'
import { useMe } from '../../lib/queries.ts'
import { useShortcuts } from '../../lib/shortcuts.ts'
import { mayViewReports } from './reports.api.ts'

/** Sidebar entry for support staff, with `g r` to jump to the reports from anywhere. */
export function ReportsNavLink({ onNavigate }: { onNavigate: () => void }) {
  const me = useMe()
  const { pathname } = useLocation()
  const navigate = useNavigate()
  const allowed = mayViewReports(me.data)
  useShortcuts(allowed ? { 'g r': () => void navigate({ to: '/reports' }) } : {})
  if (!allowed) return null
  return (
    <RouterNavLink
      to="/reports"
      label="Reports"
      leftSection={<IconChartHistogram size={16} aria-hidden />}
      active={pathname === '/reports'}
      onClick={onNavigate}
      aria-keyshortcuts="g r"
    />
  )
}
