import type { SlaCalendarDto, SlaCalendarInput, SlaCalendarUpdate, SlaPolicyDto, SlaPolicyInput, SlaPolicyUpdate, SlaReportDto } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.ts'
import { stripUndefined } from '../../platform/json.ts'
import { slaAchievement } from './sla.achievement.ts'
import { calendarProblems } from './sla.calendar.ts'
import { canManageSla, canViewSlaPolicies, canViewSlaReport } from './sla.policy.ts'
import { activePoliciesChanged, findCalendarRow, findPolicyRow, listCalendarRows, listPolicyRows, presentCalendar, presentPolicy } from './sla.queries.ts'

const mustManage = (actor: Actor) => {
  if (!canManageSla(actor)) throw forbidden('manage SLA policies', 'only admins and owners do')
}

function checkCalendar(input: SlaCalendarInput) {
  const problems = calendarProblems(input)
  if (problems.length) throw badRequest(problems.join('; '), { problems })
}

export async function listCalendars(ctx: Ctx, actor: Actor): Promise<{ items: SlaCalendarDto[] }> {
  if (!canViewSlaPolicies(actor)) throw forbidden('see SLA calendars')
  return { items: (await listCalendarRows(ctx.db)).map(presentCalendar) }
}

export async function createCalendar(ctx: Ctx, actor: Actor, input: SlaCalendarInput): Promise<SlaCalendarDto> {
  mustManage(actor)
  checkCalendar(input)
  const t = now()
  const out = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('slaCalendars')
      .values({
        name: input.name,
        timeZone: input.timeZone,
        week: JSON.stringify(input.week),
        holidays: JSON.stringify([...new Set(input.holidays)].sort()),
        createdAt: t,
        updatedAt: t,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await recordAudit(trx, { actorId: actor.id, action: 'sla_calendar.created', targetType: 'sla_calendar', targetId: row.id, data: { name: row.name } })
    return presentCalendar(row)
  })
  activePoliciesChanged(ctx)
  return out
}

/** Changes a calendar. Clocks already running keep the calendar they started with (see docs/SLA.md). */
export async function updateCalendar(ctx: Ctx, actor: Actor, id: number, input: SlaCalendarUpdate): Promise<SlaCalendarDto> {
  mustManage(actor)
  const out = await ctx.db.transaction().execute(async (trx) => {
    const current = await findCalendarRow(trx, id)
    if (!current) throw notFound('SLA calendar', id)
    const merged = { ...presentCalendar(current), ...stripUndefined(input) } as SlaCalendarDto
    checkCalendar(merged)
    const row = await trx
      .updateTable('slaCalendars')
      .set({
        name: merged.name,
        timeZone: merged.timeZone,
        week: JSON.stringify(merged.week),
        holidays: JSON.stringify([...new Set(merged.holidays)].sort()),
        updatedAt: now(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await recordAudit(trx, { actorId: actor.id, action: 'sla_calendar.updated', targetType: 'sla_calendar', targetId: id, data: { name: row.name } })
    return presentCalendar(row)
  })
  activePoliciesChanged(ctx)
  return out
}

export async function deleteCalendar(ctx: Ctx, actor: Actor, id: number): Promise<{ ok: boolean }> {
  mustManage(actor)
  const out = await ctx.db.transaction().execute(async (trx) => {
    const current = await findCalendarRow(trx, id)
    if (!current) throw notFound('SLA calendar', id)
    const user = await trx.selectFrom('slaPolicies').select(['id', 'name']).where('calendarId', '=', id).executeTakeFirst()
    if (user) throw conflict(`The calendar is used by the policy "${user.name}"; pick another calendar there first`)
    await trx.deleteFrom('slaCalendars').where('id', '=', id).execute()
    await recordAudit(trx, { actorId: actor.id, action: 'sla_calendar.deleted', targetType: 'sla_calendar', targetId: id, data: { name: current.name } })
    return { ok: true }
  })
  activePoliciesChanged(ctx)
  return out
}

export async function listPolicies(ctx: Ctx, actor: Actor): Promise<{ items: SlaPolicyDto[] }> {
  if (!canViewSlaPolicies(actor)) throw forbidden('see SLA policies')
  return { items: (await listPolicyRows(ctx.db)).map(presentPolicy) }
}

export async function getPolicy(ctx: Ctx, actor: Actor, id: number): Promise<SlaPolicyDto> {
  if (!canViewSlaPolicies(actor)) throw forbidden('see SLA policies')
  const row = await findPolicyRow(ctx.db, id)
  if (!row) throw notFound('SLA policy', id)
  return presentPolicy(row)
}

async function checkPolicy(db: Executor, p: Pick<SlaPolicyInput, 'targets' | 'calendarId'>) {
  if (p.calendarId != null && !(await findCalendarRow(db, p.calendarId))) throw badRequest(`SLA calendar ${p.calendarId} does not exist`)
  const any = Object.values(p.targets).some((t) => t.firstResponse !== null || t.nextResponse !== null || t.resolution !== null)
  if (!any) throw badRequest('A policy needs at least one target')
}

export async function createPolicy(ctx: Ctx, actor: Actor, input: SlaPolicyInput): Promise<SlaPolicyDto> {
  mustManage(actor)
  const out = await ctx.db.transaction().execute(async (trx) => {
    await checkPolicy(trx, { targets: input.targets, calendarId: input.calendarId ?? null })
    const last = await trx
      .selectFrom('slaPolicies')
      .select((eb) => eb.fn.max('position').as('max'))
      .executeTakeFirst()
    const t = now()
    const row = await trx
      .insertInto('slaPolicies')
      .values({
        name: input.name,
        position: Number(last?.max ?? 0) + 1,
        enabled: input.enabled === false ? 0 : 1,
        conditions: JSON.stringify(input.conditions ?? {}),
        targets: JSON.stringify(input.targets),
        calendarId: input.calendarId ?? null,
        warnPercent: input.warnPercent ?? 80,
        createdAt: t,
        updatedAt: t,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await recordAudit(trx, { actorId: actor.id, action: 'sla_policy.created', targetType: 'sla_policy', targetId: row.id, data: { name: row.name } })
    return presentPolicy(row)
  })
  activePoliciesChanged(ctx)
  return out
}

/** Changes a policy. New targets apply to clocks that start, or move to it, from now on (see docs/SLA.md). */
export async function updatePolicy(ctx: Ctx, actor: Actor, id: number, input: SlaPolicyUpdate): Promise<SlaPolicyDto> {
  mustManage(actor)
  const out = await ctx.db.transaction().execute(async (trx) => {
    const current = await findPolicyRow(trx, id)
    if (!current) throw notFound('SLA policy', id)
    const merged = { ...presentPolicy(current), ...stripUndefined(input) }
    await checkPolicy(trx, merged)
    const row = await trx
      .updateTable('slaPolicies')
      .set({
        name: merged.name,
        enabled: merged.enabled ? 1 : 0,
        conditions: JSON.stringify(merged.conditions),
        targets: JSON.stringify(merged.targets),
        calendarId: merged.calendarId,
        warnPercent: merged.warnPercent,
        updatedAt: now(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await recordAudit(trx, { actorId: actor.id, action: 'sla_policy.updated', targetType: 'sla_policy', targetId: id, data: { name: row.name } })
    return presentPolicy(row)
  })
  activePoliciesChanged(ctx)
  return out
}

export async function deletePolicy(ctx: Ctx, actor: Actor, id: number): Promise<{ ok: boolean }> {
  mustManage(actor)
  const out = await ctx.db.transaction().execute(async (trx) => {
    const current = await findPolicyRow(trx, id)
    if (!current) throw notFound('SLA policy', id)
    await trx.deleteFrom('slaPolicies').where('id', '=', id).execute()
    await recordAudit(trx, { actorId: actor.id, action: 'sla_policy.deleted', targetType: 'sla_policy', targetId: id, data: { name: current.name } })
    return { ok: true }
  })
  activePoliciesChanged(ctx)
  return out
}

/** Sets the order in which policies are tried: `ids` must list every policy once. */
export async function reorderPolicies(ctx: Ctx, actor: Actor, ids: number[]): Promise<{ items: SlaPolicyDto[] }> {
  mustManage(actor)
  const out = await ctx.db.transaction().execute(async (trx) => {
    const existing = await listPolicyRows(trx)
    const known = new Set(existing.map((r) => r.id))
    if (new Set(ids).size !== ids.length || ids.length !== known.size || ids.some((id) => !known.has(id)))
      throw badRequest('ids must list every SLA policy exactly once')
    for (const [i, id] of ids.entries())
      await trx
        .updateTable('slaPolicies')
        .set({ position: i + 1 })
        .where('id', '=', id)
        .execute()
    await recordAudit(trx, { actorId: actor.id, action: 'sla_policy.reordered', targetType: 'sla_policy', targetId: null, data: { ids } })
    return { items: (await listPolicyRows(trx)).map(presentPolicy) }
  })
  activePoliciesChanged(ctx)
  return out
}

const DAY = 86_400_000

/**
 * SLA achievement over a period: clocks met (achieved before their due time) and breached, per metric, priority and
 * team. A clock counts in the period its outcome happened: the breach time, or the time it was met.
 */
export async function slaReport(ctx: Ctx, actor: Actor, q: { from?: number; to?: number }): Promise<SlaReportDto> {
  if (!canViewSlaReport(actor)) throw forbidden('see reports')
  const to = q.to ?? now()
  const from = q.from ?? to - 30 * DAY
  if (from > to) throw badRequest('from must not be after to')
  if (to - from > 400 * DAY) throw badRequest('The period may span at most 400 days')
  return { from, to, ...(await slaAchievement(ctx.db, from, to, { kind: 'all', id: null })) }
}
