import { IconEye } from '@tabler/icons-react'
import { useLocation } from '@tanstack/react-router'
import { RouterNavLink } from '../../lib/links.tsx'

/** Sidebar entry: everyone may ride along with a support agent. */
export function RideAlongNavLink({ onNavigate }: { onNavigate: () => void }) {
  const { pathname } = useLocation()
  return (
    <RouterNavLink
      to="/ride-along"
      label="Ride along"
      leftSection={<IconEye size={16} aria-hidden />}
      active={pathname.startsWith('/ride-along')}
      onClick={onNavigate}
    />
  )
}
