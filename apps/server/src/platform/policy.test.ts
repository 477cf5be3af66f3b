import { describe, expect, it } from 'vitest'
import type { Actor } from './actor.ts'
import { canAddNote, canAdminister, canAssignRole, canAssignTo, canFollowTicket, canReplyToTicket, canUpdateTicket, canViewTicket } from './policy.ts'

const actor = (role: Actor['role'], teamIds: number[] = []): Actor => ({ id: 1, name: 'x', email: 'x@x.test', role, teamIds })

describe('policy', () => {
  it('lets support staff see and work every ticket', () => {
    for (const role of ['owner', 'admin', 'agent'] as const) {
      expect(canViewTicket(actor(role), { teamId: null })).toBe(true)
      expect(canReplyToTicket(actor(role), { teamId: 7 })).toBe(true)
      expect(canUpdateTicket(actor(role), { teamId: 7 })).toBe(true)
    }
  })

  it('limits a contributor to notes and follows on their teams’ tickets', () => {
    const c = actor('contributor', [3])
    expect(canViewTicket(c, { teamId: 3 })).toBe(true)
    expect(canAddNote(c, { teamId: 3 })).toBe(true)
    expect(canFollowTicket(c, { teamId: 3 })).toBe(true)
    expect(canReplyToTicket(c, { teamId: 3 })).toBe(false)
    expect(canUpdateTicket(c, { teamId: 3 })).toBe(false)
    expect(canViewTicket(c, { teamId: 4 })).toBe(false)
    expect(canViewTicket(c, { teamId: null })).toBe(false)
    expect(canAddNote(c, { teamId: 4 })).toBe(false)
    expect(canAdminister(c)).toBe(false)
  })

  it('keeps the owner role in owners’ hands', () => {
    expect(canAssignRole(actor('admin'), null, 'agent')).toBe(true)
    expect(canAssignRole(actor('admin'), null, 'owner')).toBe(false)
    expect(canAssignRole(actor('admin'), 'owner', 'agent')).toBe(false)
    expect(canAssignRole(actor('owner'), 'owner', 'admin')).toBe(true)
    expect(canAssignRole(actor('agent'), null, 'contributor')).toBe(false)
  })

  it('assigns tickets only to active support staff', () => {
    expect(canAssignTo({ role: 'agent', isActive: true })).toBe(true)
    expect(canAssignTo({ role: 'contributor', isActive: true })).toBe(false)
    expect(canAssignTo({ role: 'agent', isActive: false })).toBe(false)
  })
})
