import { IconSpeakerphone } from '@tabler/icons-react'
import { useLocation } from '@tanstack/react-router'
import { RouterNavLink } from '../../lib/links.tsx'

export function VocNavLink({ onNavigate }: { onNavigate: () => void }) {
  const { pathname } = useLocation()
  return (
    <RouterNavLink
      to="/voc"
      label="Voice of customer"
      leftSection={<IconSpeakerphone size={16} aria-hidden />}
      active={pathname === '/voc' || pathname.startsWith('/voc/')}
      onClick={onNavigate}
    />
  )
}
