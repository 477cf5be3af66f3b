import type { AutomationAction, AutomationConditions, AutomationDto, AutomationTrigger } from '@allhands/contract'
import type { Executor } from '../../platform/context.ts'
import { readJson } from '../../platform/json.ts'

export type AutomationRow = {
  id: number
  name: string
  description: string
  enabled: number
  position: number
  trigger: string
  schedule: unknown
  conditions: unknown
  actions: unknown
  runCount: number
  lastFiredAt: number | null
  createdById: number | null
  createdAt: number
  updatedAt: number
}

/** Rows → DTOs; `position` is the 1-based place in the run order among all rules. */
export async function presentAutomations(db: Executor, rows: AutomationRow[]): Promise<AutomationDto[]> {
  const userIds = [...new Set(rows.map((r) => r.createdById).filter((x): x is number => x !== null))]
  const users = new Map((userIds.length ? await db.selectFrom('users').select(['id', 'name']).where('id', 'in', userIds).execute() : []).map((u) => [u.id, u]))
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    enabled: !!r.enabled,
    position: r.position,
    trigger: r.trigger as AutomationTrigger,
    schedule: readJson(r.schedule, null),
    conditions: readJson<AutomationConditions>(r.conditions, { all: [] }),
    actions: readJson<AutomationAction[]>(r.actions, []),
    runCount: Number(r.runCount),
    lastFiredAt: r.lastFiredAt === null ? null : Number(r.lastFiredAt),
    createdBy: r.createdById ? (users.get(r.createdById) ?? null) : null,
    createdAt: Number(r.createdAt),
    updatedAt: Number(r.updatedAt),
  }))
}
