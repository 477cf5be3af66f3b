import { IconCalendarTime } from '@tabler/icons-react'
import { useLocation } from '@tanstack/react-router'
import { RouterNavLink } from '../../lib/links.tsx'

/** Sidebar entry for everyone: the duty calendar, one's shifts and swaps. */
export function RotationsNavLink({ onNavigate }: { onNavigate?: () => void }) {
  const pathname = useLocation({ select: (l) => l.pathname })
  return (
    <RouterNavLink
      to="/rotations"
      label="Rotations"
      leftSection={<IconCalendarTime size={16} aria-hidden />}
      active={pathname.startsWith('/rotations')}
      onClick={onNavigate}
    />
  )
}
