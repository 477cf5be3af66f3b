import type { CertificationDto, RiskLevel } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import { type Ctx, type Executor, inTransaction } from '../../platform/context.ts'
import { forbidden, notFound } from '../../platform/errors.ts'
import { canManageCertifications, canViewTrainingOf, riskRank } from '../../platform/policy.ts'
import type { DomainEvent } from '../../platform/realtime.ts'
import { notify } from '../tickets/messages.service.ts'
import { notificationEvent } from '../tickets/tickets.events.ts'
import { certificationsOf } from './courses.queries.ts'

/** The room authors, graders and dashboards join to see training change live. */
export const TRAINING_ROOM = 'training'

export const courseChanged = (userId: number | null, payload: Record<string, unknown>): DomainEvent[] => [
  { name: 'course.changed', room: TRAINING_ROOM, payload },
  ...(userId !== null ? [{ name: 'course.changed' as const, userId, payload }] : []),
]

export function presentCertification(r: Awaited<ReturnType<typeof certificationsOf>>[number]): CertificationDto {
  return {
    userId: r.userId,
    category: { id: r.categoryId, name: r.categoryName },
    source: r.source,
    grantedBy: r.grantedById !== null ? { id: r.grantedById, name: r.grantedByName ?? '' } : null,
    createdAt: r.createdAt,
  }
}

/**
 * Certifies a person who finished a course: the course's category, clearance raised to what the course
 * grants (never lowered), an observer moved to reviewed — audited and notified, in the caller's transaction.
 */
export async function certifyCompletion(
  trx: Executor,
  emit: (e: DomainEvent) => void,
  c: { userId: number; course: { id: number; title: string; categoryId: number | null; grantsClearance: string }; actorId: number | null },
): Promise<void> {
  const user = await trx.selectFrom('users').select(['id', 'clearance', 'trustLevel']).where('id', '=', c.userId).executeTakeFirstOrThrow()
  if (c.course.categoryId !== null)
    await trx
      .insertInto('certifications')
      .values({ userId: c.userId, categoryId: c.course.categoryId, source: 'course', grantedById: null, createdAt: now() })
      .onConflict((oc) => oc.columns(['userId', 'categoryId']).doNothing())
      .execute()
  const clearance = riskRank(c.course.grantsClearance) > riskRank(user.clearance) ? (c.course.grantsClearance as RiskLevel) : (user.clearance as RiskLevel)
  const trustLevel = user.trustLevel === 'observer' ? 'reviewed' : user.trustLevel
  if (clearance !== user.clearance || trustLevel !== user.trustLevel)
    await trx.updateTable('users').set({ clearance, trustLevel, updatedAt: now() }).where('id', '=', c.userId).execute()
  await recordAudit(trx, {
    actorId: c.actorId,
    action: 'user.certified',
    targetType: 'user',
    targetId: c.userId,
    data: {
      courseId: c.course.id,
      categoryId: c.course.categoryId,
      source: 'course',
      clearance: { from: user.clearance, to: clearance },
      trustLevel: { from: user.trustLevel, to: trustLevel },
    },
  })
  const notificationId = await notify(trx, {
    userId: c.userId,
    kind: 'course.completed',
    ticketId: null,
    actorId: c.actorId,
    title: `You completed "${c.course.title}" and are now certified`,
  })
  emit(notificationEvent(c.userId, notificationId))
  for (const e of courseChanged(c.userId, { courseId: c.course.id, userId: c.userId, completed: true })) emit(e)
}

export async function listCertifications(ctx: Ctx, actor: Actor, userId: number): Promise<CertificationDto[]> {
  if (!canViewTrainingOf(actor, userId)) throw forbidden("see this person's certifications")
  return (await certificationsOf(ctx.db, [userId])).map(presentCertification)
}

/** An admin certifies someone by hand (e.g. an experienced hire): audited. */
export async function grantCertification(ctx: Ctx, actor: Actor, input: { userId: number; categoryId: number }): Promise<CertificationDto> {
  if (!canManageCertifications(actor)) throw forbidden('grant certifications')
  return inTransaction(ctx, async (trx, emit) => {
    const user = await trx.selectFrom('users').select('id').where('id', '=', input.userId).executeTakeFirst()
    if (!user) throw notFound('User', input.userId)
    const category = await trx.selectFrom('categories').select('id').where('id', '=', input.categoryId).executeTakeFirst()
    if (!category) throw notFound('Category', input.categoryId)
    const inserted = await trx
      .insertInto('certifications')
      .values({ userId: input.userId, categoryId: input.categoryId, source: 'manual', grantedById: actor.id, createdAt: now() })
      .onConflict((oc) => oc.columns(['userId', 'categoryId']).doNothing())
      .executeTakeFirst()
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) {
      await recordAudit(trx, {
        actorId: actor.id,
        action: 'certification.granted',
        targetType: 'user',
        targetId: input.userId,
        data: { categoryId: input.categoryId, source: 'manual' },
      })
      for (const e of courseChanged(input.userId, { userId: input.userId, categoryId: input.categoryId })) emit(e)
    }
    const rows = await certificationsOf(trx, [input.userId])
    return presentCertification(rows.find((r) => r.categoryId === input.categoryId)!)
  })
}

export async function revokeCertification(ctx: Ctx, actor: Actor, userId: number, categoryId: number): Promise<void> {
  if (!canManageCertifications(actor)) throw forbidden('revoke certifications')
  await inTransaction(ctx, async (trx, emit) => {
    const existing = await trx
      .selectFrom('certifications')
      .select(['source'])
      .where('userId', '=', userId)
      .where('categoryId', '=', categoryId)
      .executeTakeFirst()
    if (!existing) throw notFound('Certification', `${userId}/${categoryId}`)
    await trx.deleteFrom('certifications').where('userId', '=', userId).where('categoryId', '=', categoryId).execute()
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'certification.revoked',
      targetType: 'user',
      targetId: userId,
      data: { categoryId, source: existing.source },
    })
    for (const e of courseChanged(userId, { userId, categoryId })) emit(e)
  })
}
