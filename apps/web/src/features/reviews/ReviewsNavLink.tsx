import { Badge } from '@mantine/core'
import { IconEye } from '@tabler/icons-react'
import { useQuery } from '@tanstack/react-query'
import { useLocation } from '@tanstack/react-router'
import { RouterNavLink } from '../../lib/links.tsx'
import { reviewKeys, reviewsApi } from './reviews.api.ts'
import { useReviewsLive } from './useReviewsLive.ts'

/** "Reviews" with the live count of replies waiting (reviewers), or "My replies in review" for people in review. */
export function ReviewsNavLink({ onNavigate }: { onNavigate: () => void }) {
  const { pathname } = useLocation()
  const summary = useQuery({ queryKey: reviewKeys.summary, queryFn: reviewsApi.summary, staleTime: 30_000, refetchInterval: 120_000, meta: { silent: true } })
  const s = summary.data
  useReviewsLive(!!s?.isReviewer)
  if (!s) return null
  const hasOwn = s.mine.pending + s.mine.approved + s.mine.rejected > 0 || s.promotion !== null
  if (!s.isReviewer && !hasOwn) return null
  const count = s.isReviewer ? s.queue.pending : s.mine.pending
  const label = s.isReviewer ? 'Reviews' : 'My replies in review'
  return (
    <RouterNavLink
      to="/reviews"
      label={label}
      leftSection={<IconEye size={16} aria-hidden />}
      active={pathname.startsWith('/reviews')}
      onClick={onNavigate}
      aria-label={`${label}: ${count} waiting${s.isReviewer && s.queue.overdue ? `, ${s.queue.overdue} overdue` : ''}`}
      rightSection={
        count > 0 ? (
          <Badge size="sm" variant={s.queue.overdue ? 'filled' : 'light'} color={s.queue.overdue ? 'red' : 'blue'} data-testid="reviews-count">
            {count}
          </Badge>
        ) : undefined
      }
    />
  )
}
