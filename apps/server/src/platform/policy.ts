import { RISK_LEVELS, type ReplyDecisionDto, type RiskLevel, type Role } from '@allhands/contract'
import type { Actor } from './actor.ts'

/**
 * Who may do what: the one place role and trust rules live. Pure functions over the actor and the
 * target, called by every service before it acts. The UI reads the same answers from the API but
 * never decides.
 */
export type TicketScope = {
  teamId: number | null
  assigneeId?: number | null
  riskLevel?: string
  categoryId?: number | null
}

const isStaff = (a: Pick<Actor, 'role'>) => a.role === 'owner' || a.role === 'admin' || a.role === 'agent'

export const canAdminister = (a: Actor) => a.role === 'owner' || a.role === 'admin'

export const riskRank = (level: string | undefined) => Math.max(0, RISK_LEVELS.indexOf((level ?? 'low') as RiskLevel))
export const withinClearance = (a: Actor, t: TicketScope) => riskRank(t.riskLevel) <= riskRank(a.clearance)
export const isCertifiedFor = (a: Actor, t: TicketScope) => t.categoryId == null || a.certifiedCategoryIds.includes(t.categoryId)
export const isOnShift = (a: Actor) => a.onShiftUntil !== null

/** Support staff see every ticket; contributors those of their teams and those handed to them. */
export const canViewTicket = (a: Pick<Actor, 'id' | 'role' | 'teamIds'>, t: TicketScope) =>
  isStaff(a) || (t.teamId !== null && a.teamIds.includes(t.teamId)) || (t.assigneeId != null && t.assigneeId === a.id)

/**
 * How a customer reply by this person on this ticket goes out: sent, held for review, or refused.
 * Contributors need a shift, clearance for the ticket's risk and a certification for its category;
 * then everyone's trust level decides whether the reply is held.
 */
export function replyDecision(a: Actor, t: TicketScope): ReplyDecisionDto {
  if (!canViewTicket(a, t)) return { mode: 'deny', reason: 'You cannot see this ticket' }
  if (a.role === 'contributor') {
    if (!isOnShift(a)) return { mode: 'deny', reason: 'Contributors reply to customers only while on shift' }
    if (!withinClearance(a, t)) return { mode: 'deny', reason: `This ticket's risk (${t.riskLevel}) is above your clearance (${a.clearance})` }
    if (!isCertifiedFor(a, t)) return { mode: 'deny', reason: "You are not certified for this ticket's category" }
  }
  if (a.trustLevel === 'observer') return { mode: 'deny', reason: 'Observers can add notes but not reply to customers' }
  if (a.shiftReviewRequired && a.trustLevel !== 'agent') return { mode: 'review', reason: 'Replies during this shift are reviewed before sending' }
  if (a.trustLevel === 'reviewed') return { mode: 'review', reason: 'Your replies are reviewed before sending' }
  if (a.trustLevel === 'trusted' && (riskRank(t.riskLevel) > 0 || !isCertifiedFor(a, t) || t.categoryId == null))
    return { mode: 'review', reason: 'Replies on tickets beyond low-risk certified categories are reviewed' }
  return { mode: 'send', reason: 'Replies go out directly' }
}

export const canReplyToTicket = (a: Actor, t: TicketScope) => replyDecision(a, t).mode !== 'deny'
/** Sending without review: needed to approve someone else's held reply. */
export const canSendDirectly = (a: Actor, t: TicketScope) => replyDecision(a, t).mode === 'send'
export const canReviewReplies = (a: Actor) => isStaff(a) && a.trustLevel === 'agent'
export const canAddNote = (a: Actor, t: TicketScope) => canViewTicket(a, t)
export const canFollowTicket = (a: Actor, t: TicketScope) => canViewTicket(a, t)
export const canUpdateTicket = (a: Actor, t: TicketScope) => isStaff(a) && canViewTicket(a, t)
export const canCreateTicket = (a: Actor) => isStaff(a)
export const canMergeTickets = (a: Actor) => isStaff(a)
export const canBulkUpdateTickets = (a: Actor) => isStaff(a)

export const canViewContacts = (a: Actor) => isStaff(a) || a.role === 'contributor'
export const canEditContacts = (a: Actor) => isStaff(a)

export const canUploadAttachment = (a: Actor) => isStaff(a) || a.role === 'contributor'

/** Only an owner may create, promote to or demote from owner. */
export function canAssignRole(a: Actor, from: Role | null, to: Role): boolean {
  if (!canAdminister(a)) return false
  if (to === 'owner' || from === 'owner') return a.role === 'owner'
  return true
}

/** Support staff take any ticket; contributors only while on shift (the rotation queue checks clearance). */
export const canAssignTo = (assignee: { role: Role; isActive: boolean }) => assignee.isActive && assignee.role !== 'contributor'
