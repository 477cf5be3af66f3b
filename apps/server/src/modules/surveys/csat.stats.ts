import type { Executor } from '../../platform/context.ts'

/**
 * Ratings of the given tickets' solves at or after `since` (for summaries such as an all-hands window):
 * how many were rated and the share that was good (score ≥ 4). Reads through the (ticket_id, solved_at) key.
 */
export async function csatForTickets(db: Executor, ticketIds: number[], since: number): Promise<{ rated: number; positiveShare: number | null }> {
  let rated = 0
  let positive = 0
  for (let i = 0; i < ticketIds.length; i += 500) {
    const rows = await db
      .selectFrom('csatRequests')
      .select('score')
      .where('ticketId', 'in', ticketIds.slice(i, i + 500))
      .where('solvedAt', '>=', since)
      .where('status', '=', 'rated')
      .execute()
    rated += rows.length
    positive += rows.filter((r) => (r.score ?? 0) >= 4).length
  }
  return { rated, positiveShare: rated ? positive / rated : null }
}
