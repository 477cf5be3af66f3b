import { useEffect } from 'react'
import { keys, queryClient } from '../../lib/queries.ts'
import { realtime, useRoom } from '../../lib/realtime.ts'
import { reviewKeys } from './reviews.api.ts'

/**
 * Keeps review lists, counts and conversations fresh: reviewers join the `reviews` room (the server lets
 * only them in); authors hear about their own replies in their user room, everyone on a ticket in its room.
 */
export function useReviewsLive(isReviewer: boolean) {
  useRoom(isReviewer ? 'reviews' : null)
  useEffect(
    () =>
      realtime.onEvent((e) => {
        if (e.name !== 'review.changed') return
        void queryClient.invalidateQueries({ queryKey: reviewKeys.all })
        const ticketId = Number(e.payload.ticketId)
        if (ticketId) void queryClient.invalidateQueries({ queryKey: keys.messages(ticketId) })
      }),
    [],
  )
}
