import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import type { Executor } from '../../platform/context.ts'
import { readJson } from '../../platform/json.ts'
import type { DomainEvent } from '../../platform/realtime.ts'
import { notify } from '../tickets/messages.service.ts'
import { notificationEvent } from '../tickets/tickets.events.ts'
import type { ReviewPolicy } from './review-policies.service.ts'

/**
 * When a person's trust level last changed (an admin's change or an automatic promotion), or null when
 * it never did: approvals and rejections count from there.
 */
export async function lastTrustChangeAt(db: Executor, userId: number): Promise<number | null> {
  const rows = await db
    .selectFrom('auditLog')
    .select(['action', 'data', 'createdAt'])
    .where('targetType', '=', 'user')
    .where('targetId', '=', userId)
    .where('action', 'in', ['user.participation_changed', 'user.promoted'])
    .orderBy('id', 'desc')
    .limit(100)
    .execute()
  const change = rows.find((r) => r.action === 'user.promoted' || readJson<Record<string, unknown>>(r.data, {}).trustLevel !== undefined)
  return change ? change.createdAt : null
}

export interface PromotionProgress {
  approvals: number
  blockedByRejection: boolean
  since: number | null
}

/** Approved replies with small edits (edit ratio within the policy) and whether any reply was rejected, since the last trust change. */
export async function promotionProgress(db: Executor, userId: number, policy: ReviewPolicy): Promise<PromotionProgress> {
  const since = await lastTrustChangeAt(db, userId)
  let decided = db.selectFrom('replyReviews').where('authorId', '=', userId)
  // Strictly after: the approval that triggered a promotion is decided in the same instant as the change.
  if (since !== null) decided = decided.where('decidedAt', '>', since)
  const [approved, rejected] = await Promise.all([
    decided
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'approved')
      .where((eb) => eb.or([eb('editRatio', 'is', null), eb('editRatio', '<=', policy.maxEditRatio)]))
      .executeTakeFirstOrThrow(),
    decided.select('id').where('status', '=', 'rejected').limit(1).executeTakeFirst(),
  ])
  return { approvals: Number(approved.n), blockedByRejection: !!rejected, since }
}

/**
 * After an approval: a person in review with enough small-edit approvals and no rejection since their
 * last trust change becomes trusted. Audited and announced to them. Returns whether it happened.
 */
export async function promoteIfEarned(
  trx: Executor,
  emit: (e: DomainEvent) => void,
  p: { userId: number; policy: ReviewPolicy; reviewId: number; ticketId: number },
): Promise<boolean> {
  if (!p.policy.enabled) return false
  const user = await trx.selectFrom('users').select(['trustLevel', 'isActive']).where('id', '=', p.userId).executeTakeFirst()
  if (!user?.isActive || user.trustLevel !== 'reviewed') return false
  const progress = await promotionProgress(trx, p.userId, p.policy)
  if (progress.blockedByRejection || progress.approvals < p.policy.approvalsRequired) return false
  const res = await trx
    .updateTable('users')
    .set({ trustLevel: 'trusted', updatedAt: now() })
    .where('id', '=', p.userId)
    .where('trustLevel', '=', 'reviewed')
    .executeTakeFirst()
  if (Number(res.numUpdatedRows) !== 1) return false
  await recordAudit(trx, {
    actorId: null,
    action: 'user.promoted',
    targetType: 'user',
    targetId: p.userId,
    data: {
      trustLevel: { from: 'reviewed', to: 'trusted' },
      approvals: progress.approvals,
      approvalsRequired: p.policy.approvalsRequired,
      maxEditRatio: p.policy.maxEditRatio,
      policyId: p.policy.id,
      categoryId: p.policy.categoryId,
      reviewId: p.reviewId,
    },
  })
  const n = await notify(trx, {
    userId: p.userId,
    kind: 'trust.promoted',
    ticketId: p.ticketId,
    actorId: null,
    title: `You are now trusted: after ${progress.approvals} approved replies, low-risk replies in your certified categories go out without review`,
  })
  emit(notificationEvent(p.userId, n))
  return true
}
