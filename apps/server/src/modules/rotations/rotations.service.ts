import type { CreateRotationInput, RotationDto, RotationScheduleDto, UpdateRotationInput } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import { type Ctx, type Executor, inTransaction } from '../../platform/context.ts'
import { forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import { writeJson } from '../../platform/json.ts'
import { canManageRotations } from '../../platform/policy.ts'
import { enqueueDailyGeneration } from './jobs/generate-shifts.ts'
import { syncRotationShifts } from './rotations.generate.ts'
import { rotationEvent, shiftEvents } from './rotations.events.ts'
import { cohortsOf, findRotation, missingIds, type RotationRow, replaceCohort, scheduleOf, snippetsOf } from './rotations.queries.ts'
import { validateSchedule } from './rotations.schedule.ts'

/** Rotation programs: admins create, change and remove them; everyone may list them (the calendar's filter). */

function scheduleFromInput(input: CreateRotationInput): RotationScheduleDto {
  const empty: RotationScheduleDto = { recurrence: null, startsOn: null, days: null, hours: null, startsAt: null, endsAt: null, dailyHours: null }
  if (input.kind === 'recurring') return { ...empty, recurrence: input.schedule }
  if (input.kind === 'onboarding') return { ...empty, startsOn: input.startsOn, days: input.days, hours: input.hours }
  return { ...empty, startsAt: input.startsAt, endsAt: input.endsAt, dailyHours: input.dailyHours ?? null }
}

function mergeSchedule(kind: string, current: RotationScheduleDto, input: UpdateRotationInput): RotationScheduleDto {
  if (kind === 'recurring') return { ...current, recurrence: input.schedule ?? current.recurrence }
  if (kind === 'onboarding')
    return { ...current, startsOn: input.startsOn ?? current.startsOn, days: input.days ?? current.days, hours: input.hours ?? current.hours }
  return {
    ...current,
    startsAt: input.startsAt ?? current.startsAt,
    endsAt: input.endsAt ?? current.endsAt,
    dailyHours: input.dailyHours === undefined ? current.dailyHours : input.dailyHours,
  }
}

async function checkReferences(db: Executor, input: { cohort?: { userIds: number[]; teamIds: number[] }; oncallTeamId?: number | null }) {
  const users = await missingIds(db, 'users', input.cohort?.userIds ?? [])
  if (users.length) throw unprocessable(`Unknown people in the cohort: ${users.join(', ')}`, { userIds: users })
  const teams = await missingIds(db, 'teams', [...(input.cohort?.teamIds ?? []), ...(input.oncallTeamId ? [input.oncallTeamId] : [])])
  if (teams.length) throw unprocessable(`Unknown teams: ${teams.join(', ')}`, { teamIds: teams })
}

export async function presentRotations(db: Executor, rows: RotationRow[]): Promise<RotationDto[]> {
  if (!rows.length) return []
  const ids = rows.map((r) => r.id)
  const cohorts = await cohortsOf(db, ids)
  const spans = await db
    .selectFrom('shifts')
    .select(['rotationId', (eb) => eb.fn.min('startsAt').as('first'), (eb) => eb.fn.max('endsAt').as('last')])
    .where('rotationId', 'in', ids)
    .groupBy('rotationId')
    .execute()
  const span = new Map(spans.map((s) => [s.rotationId, s]))
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind as RotationDto['kind'],
    timeZone: r.timeZone,
    oncallTeamId: r.oncallTeamId,
    quotaPerYear: r.quotaPerYear,
    swapRequiresApproval: !!r.swapRequiresApproval,
    reviewRequired: !!r.reviewRequired,
    reminderLeadMinutes: r.reminderLeadMinutes,
    isActive: !!r.isActive,
    schedule: scheduleOf(r),
    cohort: cohorts.get(r.id)!,
    snippets: snippetsOf(r),
    firstShiftAt: span.get(r.id)?.first != null ? Number(span.get(r.id)!.first) : null,
    lastShiftEndsAt: span.get(r.id)?.last != null ? Number(span.get(r.id)!.last) : null,
    createdAt: r.createdAt,
  }))
}

export async function listRotations(ctx: Ctx): Promise<RotationDto[]> {
  const rows = await ctx.db.selectFrom('rotations').selectAll().orderBy('isActive', 'desc').orderBy('name').execute()
  return presentRotations(ctx.db, rows)
}

export async function getRotation(ctx: Ctx, id: number): Promise<RotationDto> {
  const row = await findRotation(ctx.db, id)
  if (!row) throw notFound('Rotation', id)
  return (await presentRotations(ctx.db, [row]))[0]!
}

/**
 * Creates a rotation and its shifts in one go. An all-hands window is the "one switch": the cohort gets
 * time-boxed shifts that hold every reply for review (unless explicitly turned off) and the snippet set.
 */
export async function createRotation(ctx: Ctx, actor: Actor, input: CreateRotationInput): Promise<RotationDto> {
  if (!canManageRotations(actor)) throw forbidden('manage rotations')
  const schedule = scheduleFromInput(input)
  validateSchedule(input.kind, input.timeZone, schedule)
  const id = await inTransaction(ctx, async (trx, emit) => {
    await checkReferences(trx, input)
    const t = now()
    const row = await trx
      .insertInto('rotations')
      .values({
        name: input.name.trim(),
        kind: input.kind,
        timeZone: input.timeZone,
        oncallTeamId: input.oncallTeamId ?? null,
        quotaPerYear: input.quotaPerYear ?? null,
        swapRequiresApproval: input.swapRequiresApproval ? 1 : 0,
        reviewRequired: (input.reviewRequired ?? input.kind === 'all_hands') ? 1 : 0,
        reminderLeadMinutes: input.reminderLeadMinutes ?? 60,
        schedule: writeJson(schedule),
        snippets: writeJson(input.snippets ?? []),
        isActive: 1,
        createdById: actor.id,
        createdAt: t,
        updatedAt: t,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await replaceCohort(trx, row.id, input.cohort)
    const result = await syncRotationShifts(trx, row.id)
    await enqueueDailyGeneration(trx, 1)
    await recordAudit(trx, {
      actorId: actor.id,
      action: input.kind === 'all_hands' ? 'rotation.all_hands_enabled' : 'rotation.created',
      targetType: 'rotation',
      targetId: row.id,
      data: { name: input.name, kind: input.kind, cohort: input.cohort, shiftsCreated: result.created },
    })
    emit(rotationEvent(row.id))
    for (const e of shiftEvents(null, result.userIds, { rotationId: row.id })) emit(e)
    return row.id
  })
  return getRotation(ctx, id)
}

/** Changes a rotation and regenerates its future shifts to match. */
export async function updateRotation(ctx: Ctx, actor: Actor, id: number, input: UpdateRotationInput): Promise<RotationDto> {
  if (!canManageRotations(actor)) throw forbidden('manage rotations')
  await inTransaction(ctx, async (trx, emit) => {
    const current = await findRotation(trx, id)
    if (!current) throw notFound('Rotation', id)
    const timeZone = input.timeZone ?? current.timeZone
    const schedule = mergeSchedule(current.kind, scheduleOf(current), input)
    validateSchedule(current.kind, timeZone, schedule)
    await checkReferences(trx, input)
    await trx
      .updateTable('rotations')
      .set({
        name: input.name?.trim() ?? current.name,
        timeZone,
        oncallTeamId: input.oncallTeamId === undefined ? current.oncallTeamId : input.oncallTeamId,
        quotaPerYear: input.quotaPerYear === undefined ? current.quotaPerYear : input.quotaPerYear,
        swapRequiresApproval: input.swapRequiresApproval === undefined ? current.swapRequiresApproval : input.swapRequiresApproval ? 1 : 0,
        reviewRequired: input.reviewRequired === undefined ? current.reviewRequired : input.reviewRequired ? 1 : 0,
        reminderLeadMinutes: input.reminderLeadMinutes ?? current.reminderLeadMinutes,
        isActive: input.isActive === undefined ? current.isActive : input.isActive ? 1 : 0,
        schedule: writeJson(schedule),
        snippets: writeJson(input.snippets ?? snippetsOf(current)),
        updatedAt: now(),
      })
      .where('id', '=', id)
      .execute()
    if (input.cohort) await replaceCohort(trx, id, input.cohort)
    const result = await syncRotationShifts(trx, id)
    await recordAudit(trx, { actorId: actor.id, action: 'rotation.updated', targetType: 'rotation', targetId: id, data: { changes: input, ...result } })
    emit(rotationEvent(id))
    for (const e of shiftEvents(null, result.userIds, { rotationId: id })) emit(e)
  })
  return getRotation(ctx, id)
}

/** Removes a rotation and its shifts still to come; shifts under way or past remain as history, detached. */
export async function deleteRotation(ctx: Ctx, actor: Actor, id: number): Promise<void> {
  if (!canManageRotations(actor)) throw forbidden('manage rotations')
  await inTransaction(ctx, async (trx, emit) => {
    const current = await findRotation(trx, id)
    if (!current) throw notFound('Rotation', id)
    const t = now()
    const future = await trx
      .selectFrom('shifts')
      .select(['id', 'userId'])
      .where('rotationId', '=', id)
      .where('startsAt', '>', t)
      .where('startedAt', 'is', null)
      .execute()
    if (future.length)
      await trx
        .deleteFrom('shifts')
        .where(
          'id',
          'in',
          future.map((s) => s.id),
        )
        .execute()
    await trx.updateTable('shifts').set({ rotationId: null }).where('rotationId', '=', id).execute()
    await trx.deleteFrom('rotations').where('id', '=', id).execute()
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'rotation.deleted',
      targetType: 'rotation',
      targetId: id,
      data: { name: current.name, kind: current.kind },
    })
    emit(rotationEvent(id))
    for (const e of shiftEvents(
      null,
      future.map((s) => s.userId),
      { rotationId: id },
    ))
      emit(e)
  })
}
