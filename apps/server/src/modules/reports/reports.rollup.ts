import type { CycleFact, ResponderFact } from './reports.facts.ts'
import { bucketOf, COL, emptyVector, type RollupVector } from './reports.metrics.ts'

/**
 * What one solve cycle adds to the daily rollups. Each metric is dated by its own event: creation and
 * backlog +1 on the opening day, first response on its day, everything about the outcome (solve,
 * replies, reopen, resolution, CSAT, backlog −1) on the solve day. Applied to every scope × dimension ×
 * key the cycle belongs to; person rows count the person's own replies.
 */

export const DAY_MS = 86_400_000
export const dayOf = (ms: number) => Math.floor(ms / DAY_MS)

/** The single-valued dimensions and the crossings the cohort report reads. */
export const SPLIT_DIMS = ['cohort', 'trust', 'reviewed'] as const
export const STRATUM_DIMS = ['risk', 'category'] as const
export const crossDim = (split: string, stratum: string) => `${split}_${stratum}`

/** Adds vectors per `scope|dim|day|key`; the write path turns it into delta upserts. */
export class RollupAccumulator {
  readonly rows = new Map<string, RollupVector>()

  private at(scope: string, dim: string, day: number, key: string): RollupVector {
    const id = `${scope}\u0000${dim}\u0000${day}\u0000${key}`
    let v = this.rows.get(id)
    if (!v) {
      v = emptyVector()
      this.rows.set(id, v)
    }
    return v
  }

  add(scope: string, dim: string, key: string, parts: DayPart[], sign: number, replies?: { replies: number; reviewedReplies: number }): void {
    for (const p of parts) {
      const v = this.at(scope, dim, p.day, key)
      for (const [col, value] of p.values) v[col]! += sign * value
      if (replies && p.solve) {
        v[COL.replies]! += sign * (replies.replies - p.solve.replies)
        v[COL.reviewedReplies]! += sign * (replies.reviewedReplies - p.solve.reviewedReplies)
      }
    }
  }

  get size(): number {
    return this.rows.size
  }

  /** Rows with a non-zero change, split back into their key parts. */
  *changes(): Generator<{ scope: string; dim: string; day: number; key: string; vector: RollupVector }> {
    for (const [id, vector] of this.rows) {
      if (!vector.some((x) => x !== 0)) continue
      const [scope, dim, day, key] = id.split('\u0000') as [string, string, string, string]
      yield { scope, dim, day: Number(day), key, vector }
    }
  }

  clear(): void {
    this.rows.clear()
  }
}

/** A sparse part of a cycle's contribution on one day: [column index, value] pairs. */
interface DayPart {
  day: number
  values: [number, number][]
  /** Set on the solve-day part: the cycle's own reply counts (replaced by a person's own on person rows). */
  solve?: { replies: number; reviewedReplies: number }
}

function partsOf(c: CycleFact): DayPart[] {
  const parts: DayPart[] = [
    {
      day: dayOf(c.openedAt),
      values: [
        [COL.opened, 1],
        [COL.created, c.cycle === 0 ? 1 : 0],
        [COL.backlog, 1],
      ],
    },
  ]
  if (c.firstResponseSeconds !== null && c.firstResponseAt !== null)
    parts.push({
      day: dayOf(c.firstResponseAt),
      values: [
        [COL.frCount, 1],
        [COL.frSum, c.firstResponseSeconds],
        [COL.frH0 + bucketOf(c.firstResponseSeconds), 1],
      ],
    })
  if (c.solvedAt !== null && c.resolutionSeconds !== null) {
    const rated = c.csatScore !== null ? 1 : 0
    parts.push({
      day: dayOf(c.solvedAt),
      values: [
        [COL.solved, 1],
        [COL.backlog, -1],
        [COL.replies, c.replies],
        [COL.reviewedReplies, c.reviewedReplies],
        [COL.reopened, c.reopened],
        [COL.resCount, 1],
        [COL.resSum, c.resolutionSeconds],
        [COL.resH0 + bucketOf(c.resolutionSeconds), 1],
        [COL.csatSent, c.csatSent],
        [COL.csatRated, rated],
        [COL.csatPositive, rated && c.csatScore! >= 4 ? 1 : 0],
      ],
      solve: { replies: c.replies, reviewedReplies: c.reviewedReplies },
    })
  }
  return parts
}

const reviewedKey = (r: ResponderFact) => (r.reviewedReplies > 0 ? 'reviewed' : 'unreviewed')

/** Adds (sign 1) or removes (sign −1) one cycle's contribution with its responders. */
export function contribute(acc: RollupAccumulator, c: CycleFact, responders: ResponderFact[], sign: 1 | -1): void {
  const parts = partsOf(c)
  const tags: string[] = JSON.parse(c.tags)
  const risk = c.riskLevel
  const category = c.categoryId === null ? 'none' : String(c.categoryId)
  const groups: Record<(typeof SPLIT_DIMS)[number], Set<string>> = {
    cohort: new Set(responders.map((r) => r.cohort)),
    trust: new Set(responders.map((r) => r.trustLevel)),
    reviewed: new Set(responders.filter((r) => r.replied).map(reviewedKey)),
  }
  const scopes = ['all', `inbox:${c.inboxId}`, ...(c.teamId !== null ? [`team:${c.teamId}`] : [])]
  for (const scope of scopes) {
    acc.add(scope, 'total', '', parts, sign)
    acc.add(scope, 'inbox', String(c.inboxId), parts, sign)
    acc.add(scope, 'team', c.teamId === null ? 'none' : String(c.teamId), parts, sign)
    acc.add(scope, 'risk', risk, parts, sign)
    acc.add(scope, 'category', category, parts, sign)
    for (const tag of tags) acc.add(scope, 'tag', tag, parts, sign)
    for (const r of responders) acc.add(scope, 'person', String(r.userId), parts, sign, r)
    for (const split of SPLIT_DIMS)
      for (const key of groups[split]) {
        acc.add(scope, split, key, parts, sign)
        acc.add(scope, crossDim(split, 'risk'), `${key}|${risk}`, parts, sign)
        acc.add(scope, crossDim(split, 'category'), `${key}|${category}`, parts, sign)
      }
  }
}
