import { describe, expect, it } from 'vitest'
import { pickPolicy, policyMatches, type SlaPolicyRule, targetMinutes } from './sla.policy.ts'

const targets = (firstResponse: number | null) => {
  const t = { firstResponse, nextResponse: null, resolution: 480 }
  return { low: t, normal: t, high: t, urgent: { ...t, firstResponse: 15 } }
}
const rule = (id: number, conditions: SlaPolicyRule['conditions'], enabled = true): SlaPolicyRule => ({
  id,
  enabled,
  conditions,
  targets: targets(60),
  calendarId: null,
  warnPercent: 80,
})
const ticket = { priority: 'normal', inboxId: 1, teamId: 7, organizationId: null, tags: ['billing', 'vip'] }

describe('SLA policy matching', () => {
  it('needs every condition set to hold and treats empty ones as "any"', () => {
    expect(policyMatches(rule(1, {}), ticket)).toBe(true)
    expect(policyMatches(rule(1, { priorities: ['high', 'urgent'] }), ticket)).toBe(false)
    expect(policyMatches(rule(1, { teamIds: [7], tags: ['vip', 'gold'] }), ticket)).toBe(true)
    expect(policyMatches(rule(1, { teamIds: [7], inboxIds: [2] }), ticket)).toBe(false)
    expect(policyMatches(rule(1, { organizationIds: [3] }), ticket)).toBe(false)
    expect(policyMatches(rule(1, { tags: [] }), ticket)).toBe(true)
    expect(policyMatches(rule(1, {}, false), ticket)).toBe(false)
  })

  it('picks the first matching enabled policy in order and reads its target per priority', () => {
    const policies = [rule(1, {}, false), rule(2, { tags: ['gold'] }), rule(3, { teamIds: [7] }), rule(4, {})]
    const picked = pickPolicy(policies, ticket)
    expect(picked?.id).toBe(3)
    expect(targetMinutes(picked!, 'normal', 'first_response')).toBe(60)
    expect(targetMinutes(picked!, 'urgent', 'first_response')).toBe(15)
    expect(targetMinutes(picked!, 'normal', 'next_response')).toBeNull()
    expect(pickPolicy([rule(5, { priorities: ['low'] })], ticket)).toBeUndefined()
  })
})
