import { Badge } from '@mantine/core'
import { IconHandGrab } from '@tabler/icons-react'
import { useQuery } from '@tanstack/react-query'
import { useLocation } from '@tanstack/react-router'
import { RouterNavLink } from '../../lib/links.tsx'
import { queueApi, queueKeys } from './queue.api.ts'

/** "Queue" with how many tickets wait for the signed-in person (shown to anyone the queue may serve). */
export function QueueNavLink({ onNavigate }: { onNavigate: () => void }) {
  const { pathname } = useLocation()
  const queue = useQuery({ queryKey: queueKeys.queue, queryFn: queueApi.queue, staleTime: 30_000, refetchInterval: 60_000, meta: { silent: true } })
  const q = queue.data
  const count = q?.eligible ? q.items.length : 0
  return (
    <RouterNavLink
      to="/queue"
      label="Queue"
      leftSection={<IconHandGrab size={16} aria-hidden />}
      active={pathname.startsWith('/queue')}
      onClick={onNavigate}
      aria-label={q?.eligible ? `Queue: ${count} ticket${count === 1 ? '' : 's'} you may take` : 'Queue'}
      rightSection={
        count > 0 ? (
          <Badge size="sm" variant="light">
            {count >= 50 ? '50+' : count}
          </Badge>
        ) : undefined
      }
    />
  )
}
