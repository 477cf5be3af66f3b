import { IconMoodSmile } from '@tabler/icons-react'
import { useLocation } from '@tanstack/react-router'
import { isStaff, useCurrentUser } from '../../lib/queries.ts'
import { RouterNavLink } from '../../lib/links.tsx'

/** Surveys (ratings, custom surveys, purchase reasons): for support staff, who may read them. */
export function SurveysNavLink({ onNavigate }: { onNavigate: () => void }) {
  const { pathname } = useLocation()
  const user = useCurrentUser()
  if (!isStaff(user.role)) return null
  return (
    <RouterNavLink
      to="/surveys"
      label="Surveys"
      leftSection={<IconMoodSmile size={16} aria-hidden />}
      active={pathname === '/surveys' || pathname.startsWith('/surveys/')}
      onClick={onNavigate}
    />
  )
}
