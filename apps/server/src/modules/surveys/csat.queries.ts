import { CSAT_THREE_POINT, type CsatBucket, type CsatRequestDto, type CsatScale, type CsatStatus } from '@allhands/contract'
import type { Executor } from '../../platform/context.ts'

/** The rating a customer clicked, from the stored normalised score. */
export function ratingLabel(scale: string, score: number | null): string | null {
  if (score === null) return null
  if (scale === '5') return String(score)
  return (Object.entries(CSAT_THREE_POINT).find(([, s]) => s === score)?.[0] as string | undefined) ?? String(score)
}

/** A rating value from a link or form ("good", "4") as a 1–5 score on the request's scale, or null when invalid. */
export function scoreOf(scale: string, rating: string): number | null {
  const value = rating.trim().toLowerCase()
  if (scale === '5') return /^[1-5]$/.test(value) ? Number(value) : null
  return (CSAT_THREE_POINT as Record<string, number>)[value] ?? null
}

/** The choices a request's page offers, best first. */
export const ratingChoices = (scale: string): { value: string; label: string }[] =>
  scale === '5'
    ? [
        { value: '5', label: '5 – Excellent' },
        { value: '4', label: '4 – Good' },
        { value: '3', label: '3 – Okay' },
        { value: '2', label: '2 – Poor' },
        { value: '1', label: '1 – Very poor' },
      ]
    : [
        { value: 'good', label: 'Good, I am satisfied' },
        { value: 'okay', label: 'Okay' },
        { value: 'bad', label: 'Bad, I am not satisfied' },
      ]

export const bucketScores: Record<CsatBucket, [number, number]> = { good: [4, 5], okay: [3, 3], bad: [1, 2] }

export function selectCsatRows(db: Executor) {
  return db
    .selectFrom('csatRequests as r')
    .innerJoin('tickets as t', 't.id', 'r.ticketId')
    .leftJoin('contacts as c', 'c.id', 'r.contactId')
    .select([
      'r.id',
      'r.ticketId',
      't.subject as ticketSubject',
      't.teamId as ticketTeamId',
      't.assigneeId as ticketAssigneeId',
      'r.contactId',
      'c.name as contactName',
      'r.email',
      'r.solvedAt',
      'r.status',
      'r.skipReason',
      'r.scale',
      'r.sendAt',
      'r.sentAt',
      'r.expiresAt',
      'r.ratedAt',
      'r.score',
      'r.comment',
      'r.createdAt',
    ])
}

export type CsatRow = Awaited<ReturnType<ReturnType<typeof selectCsatRows>['execute']>>[number]

export function presentCsat(r: CsatRow): CsatRequestDto {
  return {
    id: r.id,
    ticket: { id: r.ticketId, subject: r.ticketSubject },
    contact: r.contactId !== null && r.contactName !== null ? { id: r.contactId, name: r.contactName } : null,
    email: r.email,
    solvedAt: r.solvedAt,
    status: r.status as CsatStatus,
    skipReason: r.skipReason,
    scale: r.scale as CsatScale,
    sendAt: r.sendAt,
    sentAt: r.sentAt,
    expiresAt: r.expiresAt,
    ratedAt: r.ratedAt,
    score: r.score,
    rating: ratingLabel(r.scale, r.score),
    comment: r.comment,
    createdAt: r.createdAt,
  }
}
