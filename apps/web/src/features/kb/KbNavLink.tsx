import { IconBook } from '@tabler/icons-react'
import { useRouterState } from '@tanstack/react-router'
import { RouterNavLink } from '../../lib/links.tsx'

/** Sidebar entry of the knowledge base (everyone signed in may read and write drafts). */
export function KbNavLink({ onNavigate }: { onNavigate?: () => void }) {
  const pathname = useRouterState({ select: (s) => s.location.pathname })
  return (
    <RouterNavLink to="/kb" label="Knowledge base" leftSection={<IconBook size={16} aria-hidden />} active={pathname.startsWith('/kb')} onClick={onNavigate} />
  )
}
