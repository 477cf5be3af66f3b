import type { Cohort, RotationScheduleDto, Snippet } from '@allhands/contract'
import type { Executor } from '../../platform/context.ts'
import { readJson } from '../../platform/json.ts'

export type RotationRow = {
  id: number
  name: string
  kind: string
  timeZone: string
  oncallTeamId: number | null
  quotaPerYear: number | null
  swapRequiresApproval: number
  reviewRequired: number
  reminderLeadMinutes: number
  schedule: unknown
  snippets: unknown
  isActive: number
  createdById: number | null
  createdAt: number
  updatedAt: number
}

export const scheduleOf = (r: Pick<RotationRow, 'schedule'>): RotationScheduleDto =>
  readJson<RotationScheduleDto>(r.schedule, { recurrence: null, startsOn: null, days: null, hours: null, startsAt: null, endsAt: null, dailyHours: null })
export const snippetsOf = (r: Pick<RotationRow, 'snippets'>): Snippet[] => readJson<Snippet[]>(r.snippets, [])

export async function findRotation(db: Executor, id: number): Promise<RotationRow | undefined> {
  return db.selectFrom('rotations').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Enrolment as stored: people and teams. */
export async function cohortsOf(db: Executor, rotationIds: number[]): Promise<Map<number, Cohort>> {
  const out = new Map<number, Cohort>()
  for (const id of rotationIds) out.set(id, { userIds: [], teamIds: [] })
  if (!rotationIds.length) return out
  const rows = await db.selectFrom('rotationMembers').selectAll().where('rotationId', 'in', rotationIds).orderBy('memberId').execute()
  for (const r of rows) {
    const c = out.get(r.rotationId)!
    ;(r.memberType === 'team' ? c.teamIds : c.userIds).push(r.memberId)
  }
  return out
}

export async function replaceCohort(db: Executor, rotationId: number, cohort: Cohort): Promise<void> {
  await db.deleteFrom('rotationMembers').where('rotationId', '=', rotationId).execute()
  const rows = [
    ...cohort.userIds.map((memberId) => ({ rotationId, memberType: 'user', memberId })),
    ...cohort.teamIds.map((memberId) => ({ rotationId, memberType: 'team', memberId })),
  ]
  if (rows.length) await db.insertInto('rotationMembers').values(rows).execute()
}

/** The active people a cohort names today: people enrolled directly and the current members of enrolled teams. */
export async function resolveCohort(db: Executor, cohort: Cohort): Promise<number[]> {
  const ids = new Set(cohort.userIds)
  if (cohort.teamIds.length) {
    const members = await db.selectFrom('teamMembers').select('userId').where('teamId', 'in', cohort.teamIds).execute()
    for (const m of members) ids.add(m.userId)
  }
  if (!ids.size) return []
  const active = await db
    .selectFrom('users')
    .select('id')
    .where('id', 'in', [...ids])
    .where('isActive', '=', 1)
    .orderBy('id')
    .execute()
  return active.map((u) => u.id)
}

/** The ids of those that do not exist, to refuse a cohort naming unknown people or teams. */
export async function missingIds(db: Executor, table: 'users' | 'teams', ids: number[]): Promise<number[]> {
  if (!ids.length) return []
  const found = new Set((await db.selectFrom(table).select('id').where('id', 'in', ids).execute()).map((r) => r.id))
  return ids.filter((id) => !found.has(id))
}
