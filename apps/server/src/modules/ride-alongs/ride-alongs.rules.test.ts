import { describe, expect, it } from 'vitest'
import type { Actor } from '../../platform/actor.ts'
import { canMonitor, canRideAlong } from '../../platform/policy.ts'

const actor = (role: Actor['role'], over: Partial<Actor> = {}): Actor => ({
  id: 1,
  name: 'x',
  email: 'x@x.test',
  role,
  teamIds: [],
  trustLevel: role === 'contributor' ? 'reviewed' : 'agent',
  clearance: role === 'contributor' ? 'low' : 'high',
  certifiedCategoryIds: [],
  onShiftUntil: null,
  shiftReviewRequired: false,
  ...over,
})
const person = (role: Actor['role'], over: { id?: number; isActive?: boolean } = {}) => ({ id: 2, role, isActive: true, ...over })

describe('who may ride along', () => {
  it('lets anyone follow a support agent', () => {
    for (const follower of ['contributor', 'agent', 'admin', 'owner'] as const)
      for (const followed of ['agent', 'admin', 'owner'] as const) expect(canRideAlong(actor(follower), person(followed))).toBe(true)
  })
  it('lets only admins follow a contributor', () => {
    expect(canRideAlong(actor('contributor'), person('contributor'))).toBe(false)
    expect(canRideAlong(actor('agent'), person('contributor'))).toBe(false)
    expect(canRideAlong(actor('admin'), person('contributor'))).toBe(true)
    expect(canRideAlong(actor('owner'), person('contributor'))).toBe(true)
  })
  it('refuses following yourself or someone deactivated', () => {
    expect(canRideAlong(actor('admin'), person('agent', { id: 1 }))).toBe(false)
    expect(canRideAlong(actor('admin'), person('agent', { isActive: false }))).toBe(false)
  })
})

describe('who may monitor', () => {
  it('is admins and full agents', () => {
    expect(canMonitor(actor('owner'))).toBe(true)
    expect(canMonitor(actor('admin'))).toBe(true)
    expect(canMonitor(actor('agent'))).toBe(true)
    expect(canMonitor(actor('agent', { trustLevel: 'reviewed' }))).toBe(false)
    expect(canMonitor(actor('contributor', { trustLevel: 'agent' }))).toBe(false)
  })
})
