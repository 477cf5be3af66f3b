import { describe, expect, it } from 'vitest'
import type { Actor } from './actor.ts'
import {
  canAddNote,
  canAdminister,
  canAssignRole,
  canAssignTo,
  canFollowTicket,
  canReplyToTicket,
  canReviewReplies,
  canUpdateTicket,
  canViewTicket,
  replyDecision,
} from './policy.ts'

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
const onShift = { onShiftUntil: Date.now() + 3600_000 }

describe('policy', () => {
  it('lets support staff see and work every ticket', () => {
    for (const role of ['owner', 'admin', 'agent'] as const) {
      expect(canViewTicket(actor(role), { teamId: null })).toBe(true)
      expect(canReplyToTicket(actor(role), { teamId: 7, riskLevel: 'high' })).toBe(true)
      expect(replyDecision(actor(role), { teamId: 7, riskLevel: 'high' }).mode).toBe('send')
      expect(canUpdateTicket(actor(role), { teamId: 7 })).toBe(true)
    }
  })

  it('limits a contributor off shift to notes and follows on their teams’ tickets', () => {
    const c = actor('contributor', { teamIds: [3] })
    expect(canViewTicket(c, { teamId: 3 })).toBe(true)
    expect(canAddNote(c, { teamId: 3 })).toBe(true)
    expect(canFollowTicket(c, { teamId: 3 })).toBe(true)
    expect(canReplyToTicket(c, { teamId: 3 })).toBe(false)
    expect(replyDecision(c, { teamId: 3 }).reason).toMatch(/on shift/)
    expect(canUpdateTicket(c, { teamId: 3 })).toBe(false)
    expect(canViewTicket(c, { teamId: 4 })).toBe(false)
    expect(canViewTicket(c, { teamId: null })).toBe(false)
    expect(canAddNote(c, { teamId: 4 })).toBe(false)
    expect(canAdminister(c)).toBe(false)
  })

  it('lets a contributor see a ticket handed to them, and nobody else’s', () => {
    const c = actor('contributor')
    expect(canViewTicket(c, { teamId: null, assigneeId: 1 })).toBe(true)
    expect(canViewTicket(c, { teamId: null, assigneeId: 2 })).toBe(false)
  })

  it('holds an on-shift contributor’s reply for review within clearance and certification, and refuses beyond', () => {
    const c = actor('contributor', { ...onShift, certifiedCategoryIds: [5] })
    const mine = { teamId: null, assigneeId: 1 }
    expect(replyDecision(c, { ...mine, riskLevel: 'low' }).mode).toBe('review')
    expect(replyDecision(c, { ...mine, riskLevel: 'medium' })).toMatchObject({ mode: 'deny', reason: expect.stringMatching(/clearance/) })
    expect(replyDecision(c, { ...mine, riskLevel: 'low', categoryId: 6 })).toMatchObject({ mode: 'deny', reason: expect.stringMatching(/certified/) })
    expect(replyDecision(c, { ...mine, riskLevel: 'low', categoryId: 5 }).mode).toBe('review')
    expect(replyDecision(actor('contributor', { ...onShift, trustLevel: 'observer' }), mine).mode).toBe('deny')
  })

  it('sends a trusted person’s replies on low-risk certified tickets and reviews the rest', () => {
    const t = actor('contributor', { ...onShift, trustLevel: 'trusted', clearance: 'medium', certifiedCategoryIds: [5] })
    const mine = { teamId: null, assigneeId: 1 }
    expect(replyDecision(t, { ...mine, riskLevel: 'low', categoryId: 5 }).mode).toBe('send')
    expect(replyDecision(t, { ...mine, riskLevel: 'medium', categoryId: 5 }).mode).toBe('review')
    expect(replyDecision(t, { ...mine, riskLevel: 'low', categoryId: null }).mode).toBe('review')
    expect(replyDecision({ ...t, shiftReviewRequired: true }, { ...mine, riskLevel: 'low', categoryId: 5 }).mode).toBe('review')
  })

  it('can put support staff in review, and lets only full agents review', () => {
    const newHire = actor('agent', { trustLevel: 'reviewed' })
    expect(replyDecision(newHire, { teamId: null, riskLevel: 'high' }).mode).toBe('review')
    expect(canReviewReplies(newHire)).toBe(false)
    expect(canReviewReplies(actor('agent'))).toBe(true)
    expect(canReviewReplies(actor('contributor', { trustLevel: 'agent' }))).toBe(false)
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
