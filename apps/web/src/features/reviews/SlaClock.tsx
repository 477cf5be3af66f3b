import type { ReviewDto } from '@allhands/contract'
import { Badge, Tooltip } from '@mantine/core'
import { IconClock } from '@tabler/icons-react'
import { useEffect, useState } from 'react'
import { fullTime } from '../../lib/format.ts'

const minutes = (ms: number) => {
  const m = Math.round(Math.abs(ms) / 60_000)
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`
}

/** Time left to review (or how late it is), ticking each half minute. */
export function SlaClock({ review }: { review: Pick<ReviewDto, 'dueAt' | 'status' | 'decidedAt' | 'createdAt'> }) {
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    if (review.status !== 'pending') return
    const t = setInterval(() => setNow(Date.now()), 30_000)
    return () => clearInterval(t)
  }, [review.status])
  if (review.status !== 'pending') return null
  const left = review.dueAt - now
  const overdue = left < 0
  return (
    <Tooltip label={`Review due ${fullTime(review.dueAt)}`}>
      <Badge
        size="sm"
        variant={overdue ? 'filled' : 'light'}
        color={overdue ? 'red' : left < 10 * 60_000 ? 'orange' : 'gray'}
        leftSection={<IconClock size={10} aria-hidden />}
        data-overdue={overdue}
      >
        {overdue ? `Overdue by ${minutes(left)}` : `${minutes(left)} left`}
      </Badge>
    </Tooltip>
  )
}
