import { describe, expect, it } from 'vitest'
import type { Actor } from '../../platform/actor.ts'
import { canHandBack, canTakeFromQueue, isClearedToHold, queueRefusal } from '../../platform/policy.ts'

const actor = (over: Partial<Actor> = {}): Actor => ({
  id: 7,
  name: 'Cora',
  email: 'cora@x.test',
  role: 'contributor',
  teamIds: [],
  trustLevel: 'reviewed',
  clearance: 'low',
  certifiedCategoryIds: [3],
  onShiftUntil: Date.now() + 3_600_000,
  shiftReviewRequired: false,
  ...over,
})
const ticket = (over: { riskLevel?: string; categoryId?: number | null; assigneeId?: number | null; teamId?: number | null } = {}) => ({
  teamId: null,
  assigneeId: null,
  riskLevel: 'low',
  categoryId: null,
  ...over,
})

describe('safe-routing policy', () => {
  it('offers the queue to contributors only on shift, and never to observers', () => {
    expect(queueRefusal(actor())).toBeNull()
    expect(queueRefusal(actor({ onShiftUntil: null }))).toMatch(/only while you are on shift/)
    expect(queueRefusal(actor({ trustLevel: 'observer' }))).toMatch(/Observers/)
    expect(queueRefusal(actor({ role: 'agent', onShiftUntil: null, trustLevel: 'agent' }))).toBeNull()
  })

  it('lets a person take a ticket only within clearance and (contributors) certification, and only when nobody holds it', () => {
    const cora = actor()
    expect(canTakeFromQueue(cora, ticket())).toBe(true)
    expect(canTakeFromQueue(cora, ticket({ categoryId: 3 }))).toBe(true)
    expect(canTakeFromQueue(cora, ticket({ categoryId: 4 }))).toBe(false)
    expect(canTakeFromQueue(cora, ticket({ riskLevel: 'medium' }))).toBe(false)
    expect(canTakeFromQueue(cora, ticket({ assigneeId: 9 }))).toBe(false)
    const agent = actor({ role: 'agent', trustLevel: 'agent', clearance: 'high', certifiedCategoryIds: [] })
    expect(canTakeFromQueue(agent, ticket({ riskLevel: 'high', categoryId: 4 }))).toBe(true)
    expect(isClearedToHold(actor({ role: 'agent', clearance: 'medium' }), ticket({ riskLevel: 'high' }))).toBe(false)
  })

  it('lets the holder or staff hand a ticket back, nobody else', () => {
    expect(canHandBack(actor(), ticket({ assigneeId: 7 }))).toBe(true)
    expect(canHandBack(actor(), ticket({ assigneeId: 8 }))).toBe(false)
    expect(canHandBack(actor({ role: 'agent', trustLevel: 'agent' }), ticket({ assigneeId: 8 }))).toBe(true)
  })
})
