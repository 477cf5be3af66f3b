import type { Priority, SlaCalendarDto, SlaConditions, SlaPolicyDto, SlaTargets } from '@allhands/contract'
import type { Selectable } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { cachedValue } from '../../platform/cache.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { readJson } from '../../platform/json.ts'
import type { BusinessCalendar, BusinessInterval } from './sla.calendar.ts'
import type { SlaPolicyRule } from './sla.policy.ts'

export type CalendarRow = Selectable<DB['slaCalendars']>
export type PolicyRow = Selectable<DB['slaPolicies']>

const EMPTY_TARGETS: SlaTargets = { firstResponse: null, nextResponse: null, resolution: null }

export const calendarFromRow = (r: CalendarRow): BusinessCalendar => ({
  timeZone: r.timeZone,
  week: readJson<BusinessInterval[][]>(r.week, []),
  holidays: readJson<string[]>(r.holidays, []),
})

export const presentCalendar = (r: CalendarRow): SlaCalendarDto => ({
  id: r.id,
  name: r.name,
  ...calendarFromRow(r),
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
})

export function presentPolicy(r: PolicyRow): SlaPolicyDto {
  const targets = readJson<Partial<Record<Priority, SlaTargets>>>(r.targets, {})
  return {
    id: r.id,
    name: r.name,
    position: r.position,
    enabled: r.enabled === 1,
    conditions: readJson<SlaConditions>(r.conditions, {}),
    targets: {
      low: targets.low ?? EMPTY_TARGETS,
      normal: targets.normal ?? EMPTY_TARGETS,
      high: targets.high ?? EMPTY_TARGETS,
      urgent: targets.urgent ?? EMPTY_TARGETS,
    },
    calendarId: r.calendarId,
    warnPercent: r.warnPercent,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  }
}

export const listPolicyRows = (db: Executor) => db.selectFrom('slaPolicies').selectAll().orderBy('position').orderBy('id').execute()
export const findPolicyRow = (db: Executor, id: number) => db.selectFrom('slaPolicies').selectAll().where('id', '=', id).executeTakeFirst()
export const listCalendarRows = (db: Executor) => db.selectFrom('slaCalendars').selectAll().orderBy('name').orderBy('id').execute()
export const findCalendarRow = (db: Executor, id: number) => db.selectFrom('slaCalendars').selectAll().where('id', '=', id).executeTakeFirst()

export type ActivePolicy = SlaPolicyRule & { calendar: BusinessCalendar | null }

/** Read on every ticket change that may start or move a clock: cached per app, dropped on every policy or calendar change. */
const activePolicies = cachedValue<ActivePolicy[]>('sla-active-policies', { ttlMs: 60_000 })

/** Call after committing a change to SLA policies or calendars. */
export const activePoliciesChanged = (ctx: Ctx) => activePolicies.invalidate(ctx)

/** Enabled policies in order, each with its calendar (a small table: read whole), read through `db` when not cached. */
export function loadActivePolicies(ctx: Ctx, db: Executor): Promise<ActivePolicy[]> {
  return activePolicies.get(ctx, async () => {
    const rows = await db.selectFrom('slaPolicies').selectAll().where('enabled', '=', 1).orderBy('position').orderBy('id').execute()
    if (!rows.length) return []
    const calendarIds = [...new Set(rows.map((r) => r.calendarId).filter((v): v is number => v !== null))]
    const calendars = calendarIds.length ? await db.selectFrom('slaCalendars').selectAll().where('id', 'in', calendarIds).execute() : []
    return rows.map((r) => {
      const p = presentPolicy(r)
      const cal = calendars.find((c) => c.id === r.calendarId)
      return { ...p, calendar: cal ? calendarFromRow(cal) : null }
    })
  })
}
