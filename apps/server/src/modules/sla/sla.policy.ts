import type { Priority, SlaConditions, SlaMetric, SlaTargets } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { canAdminister, canViewTicket } from '../../platform/policy.ts'

/** SLA policies and calendars change what every agent is measured against: admins and owners manage them. */
export const canManageSla = (a: Actor) => canAdminister(a)
/** Anyone who may see the policies' effect on tickets may read the list (agents see their targets). */
export const canViewSlaPolicies = (a: Actor) => a.role !== 'contributor'
/** SLA achievement reports: the support team (as the other reports). */
export const canViewSlaReport = (a: Pick<Actor, 'role'>) => a.role === 'owner' || a.role === 'admin' || a.role === 'agent'
/** The test clock moves time for the whole server: the owner only, and only where the test clock is switched on. */
export const canMoveTestClock = (a: Actor) => a.role === 'owner'
export { canViewTicket }

/** What a policy's conditions look at. */
export type SlaTicketFacts = { priority: string; inboxId: number; teamId: number | null; organizationId: number | null; tags: string[] }
export type SlaPolicyRule = {
  id: number
  enabled: boolean
  conditions: SlaConditions
  targets: Record<Priority, SlaTargets>
  calendarId: number | null
  warnPercent: number
}

/** Every condition set must hold; an empty list or a missing one matches anything. */
export function policyMatches(p: Pick<SlaPolicyRule, 'enabled' | 'conditions'>, t: SlaTicketFacts): boolean {
  if (!p.enabled) return false
  const c = p.conditions
  if (c.priorities?.length && !c.priorities.includes(t.priority as Priority)) return false
  if (c.inboxIds?.length && !c.inboxIds.includes(t.inboxId)) return false
  if (c.teamIds?.length && (t.teamId === null || !c.teamIds.includes(t.teamId))) return false
  if (c.organizationIds?.length && (t.organizationId === null || !c.organizationIds.includes(t.organizationId))) return false
  if (c.tags?.length && !c.tags.some((tag) => t.tags.includes(tag))) return false
  return true
}

/** The first matching policy in order (policies come sorted by position). */
export const pickPolicy = <P extends SlaPolicyRule>(policies: P[], t: SlaTicketFacts): P | undefined => policies.find((p) => policyMatches(p, t))

const TARGET_KEY: Record<SlaMetric, keyof SlaTargets> = { first_response: 'firstResponse', next_response: 'nextResponse', resolution: 'resolution' }
/** The policy's target for a metric at a priority, in minutes (null: not measured). */
export const targetMinutes = (p: SlaPolicyRule, priority: string, metric: SlaMetric): number | null =>
  p.targets[priority as Priority]?.[TARGET_KEY[metric]] ?? null
