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

/**
 * Ride-along: anyone signed in may follow a support agent (a trainee learning beside a trained agent);
 * admins may also follow anyone (monitoring a contributor). Nobody follows themselves or an inactive person.
 */
export const canRideAlong = (a: Actor, followed: { id: number; role: Role; isActive: boolean }) =>
  followed.isActive && followed.id !== a.id && (isStaff(followed) || canAdminister(a))

/** Monitoring dashboard (live conversations, waiting customers, reviews, shifts): admins and full agents. */
export const canMonitor = (a: Actor) => canAdminister(a) || (a.role === 'agent' && a.trustLevel === 'agent')

/**
 * Expert consults: the asker, the people asked (the assignee, or any member of the team asked) and
 * whoever can see the ticket see a consult. Being consulted shows the question and its thread, never the
 * ticket's customer conversation (that stays with canViewTicket) and never gives reply rights.
 */
export type ConsultScope = { askedById: number; teamId: number | null; assigneeId: number | null; status: string; ticket: TicketScope }
export const isConsultee = (a: Pick<Actor, 'id' | 'teamIds'>, c: Pick<ConsultScope, 'teamId' | 'assigneeId'>) =>
  c.assigneeId === a.id || (c.teamId !== null && a.teamIds.includes(c.teamId))
export const canViewConsult = (a: Actor, c: ConsultScope) => a.id === c.askedById || isConsultee(a, c) || canViewTicket(a, c.ticket)
/** Asking needs the ticket in sight: a consult must not become a way to reach tickets one cannot see. */
export const canAskConsult = (a: Actor, t: TicketScope) => canViewTicket(a, t)
export const canPostInConsult = (a: Actor, c: ConsultScope) => c.status !== 'resolved' && canViewConsult(a, c)
export const canResolveConsult = (a: Actor, c: ConsultScope) =>
  c.status !== 'resolved' && (a.id === c.askedById || isConsultee(a, c) || canUpdateTicket(a, c.ticket))
/** Hand a consult to someone: the people asked, the asker, or support staff who can see the ticket. */
export const canAssignConsult = (a: Actor, c: ConsultScope) =>
  c.status !== 'resolved' && (a.id === c.askedById || isConsultee(a, c) || canUpdateTicket(a, c.ticket))
/** Who may take a consult: an active person; for a consult to a team, a member of that team. */
export const canTakeConsult = (assignee: { isActive: boolean; teamIds: number[] }, c: Pick<ConsultScope, 'teamId'>) =>
  assignee.isActive && (c.teamId === null || assignee.teamIds.includes(c.teamId))

/**
 * Why this person may not approve or reject a held reply on this ticket, or null when they may: a
 * reviewer is a full agent on staff, not the author, allowed to send on that ticket directly and cleared
 * for its risk (an agent set to low clearance does not vouch for replies on risky tickets).
 */
export function reviewRefusal(a: Actor, t: TicketScope, authorId: number): string | null {
  if (!canReviewReplies(a)) return 'Only support agents with full trust review replies'
  if (authorId === a.id) return 'You cannot review your own reply'
  if (!canSendDirectly(a, t)) return 'You cannot send replies on this ticket yourself'
  if (!withinClearance(a, t)) return `This ticket's risk (${t.riskLevel}) is above your clearance (${a.clearance})`
  return null
}
/** The author may take back their own held reply. */
export const canWithdrawReview = (a: Actor, authorId: number) => a.id === authorId
/** A held reply is seen by its author and by reviewers who can see the ticket; once approved (sent), by anyone who can see the ticket. */
export const canSeeReview = (a: Actor, t: TicketScope, r: { authorId: number; status: string }) =>
  a.id === r.authorId || (canViewTicket(a, t) && (canReviewReplies(a) || r.status === 'approved'))

/**
 * Safe routing. Risk rules and categories are workspace settings (admins). The rotation queue offers a
 * person unassigned tickets within their clearance; contributors must be on shift, allowed to reply
 * (not observers) and certified for the ticket's category (uncategorised tickets need no certificate).
 */
export const canManageRiskRules = (a: Actor) => canAdminister(a)
export const canManageCategories = (a: Actor) => canAdminister(a)
/** Why the queue offers this person nothing at all, or null when it may offer them tickets. */
export function queueRefusal(a: Pick<Actor, 'role' | 'onShiftUntil' | 'trustLevel'>): string | null {
  if (a.role === 'contributor' && a.onShiftUntil === null) return 'The queue offers tickets only while you are on shift'
  if (a.trustLevel === 'observer') return 'Observers do not take tickets; ask an admin to raise your trust level'
  return null
}
/** A holder still qualifies for a ticket: clearance at or above its risk and, for contributors, certified for its category. */
export const isClearedToHold = (a: Pick<Actor, 'role' | 'clearance' | 'certifiedCategoryIds'>, t: Pick<TicketScope, 'riskLevel' | 'categoryId'>) =>
  riskRank(t.riskLevel) <= riskRank(a.clearance) && (a.role !== 'contributor' || t.categoryId == null || a.certifiedCategoryIds.includes(t.categoryId))
export const canTakeFromQueue = (a: Actor, t: TicketScope) => queueRefusal(a) === null && t.assigneeId == null && isClearedToHold(a, t)
/** Handing a ticket back to support: its assignee, or support staff who may change it. */
export const canHandBack = (a: Actor, t: TicketScope) => (t.assigneeId != null && t.assigneeId === a.id) || canUpdateTicket(a, t)
export const canManageQueueSettings = (a: Actor) => canAdminister(a)

/** Training: full agents and admins author courses and grade practice replies; admins enrol others and manage certifications. */
export const canAuthorCourses = (a: Actor) => canReviewReplies(a)
/** Drafts stay with their authors until published. */
export const canViewCourse = (a: Actor, course: { published: number | boolean }) => !!course.published || canAuthorCourses(a)
export const canEnrollOthers = (a: Actor) => canAdminister(a)
/** Nobody grades their own practice reply. */
export const canGradePractice = (a: Actor, attempt: { userId: number }) => canReviewReplies(a) && attempt.userId !== a.id
/** One's own training is always visible; others' to admins and full agents (leads, graders). */
export const canViewTrainingOf = (a: Actor, userId: number) => a.id === userId || canAuthorCourses(a) || canAdminister(a)
export const canViewCohortTraining = (a: Actor) => canAuthorCourses(a) || canAdminister(a)
export const canManageCertifications = (a: Actor) => canAdminister(a)
/** Tone coach rule switches are workspace settings. */
export const canEditToneRules = (a: Actor) => canAdminister(a)

/**
 * Rotations and shifts. Admins run rotation programs and add or remove single shifts; a person starts
 * their own shift from 30 minutes before it begins and ends it (admins may end anyone's, to cut access
 * short); a shift is offered to a colleague by its holder (or an admin) before it starts; only the person
 * offered accepts; admins approve swaps when the rotation asks for it.
 */
export const SHIFT_EARLY_START_MS = 30 * 60_000
/** A shift started more than this after its planned start counts as late; ended this much early as ended early. */
export const SHIFT_GRACE_MS = 5 * 60_000
export type ShiftScope = { userId: number; startsAt: number; endsAt: number; startedAt: number | null; endedAt: number | null }
export const canManageRotations = (a: Actor) => canAdminister(a)
export const canViewRotationSummary = (a: Actor) => isStaff(a)
export const canStartShift = (a: Pick<Actor, 'id'>, s: ShiftScope, at: number) =>
  s.userId === a.id && s.startedAt === null && s.endedAt === null && at >= s.startsAt - SHIFT_EARLY_START_MS && at < s.endsAt
export const canEndShift = (a: Actor, s: ShiftScope, at: number) =>
  (s.userId === a.id || canAdminister(a)) && s.endedAt === null && at >= Math.min(s.startedAt ?? s.startsAt, s.startsAt) && at < s.endsAt
export const canOfferShiftSwap = (a: Actor, s: ShiftScope, at: number) =>
  (s.userId === a.id || canAdminister(a)) && s.startedAt === null && s.endedAt === null && s.startsAt > at
export const canAcceptShiftSwap = (a: Pick<Actor, 'id'>, swap: { toUserId: number; status: string }) => swap.toUserId === a.id && swap.status === 'offered'
export const canApproveShiftSwap = (a: Actor, swap: { status: string }) => canAdminister(a) && swap.status === 'awaiting_approval'
export const canCancelShiftSwap = (a: Actor, swap: { fromUserId: number; status: string }) =>
  (swap.fromUserId === a.id || canAdminister(a)) && (swap.status === 'offered' || swap.status === 'awaiting_approval')

/** How a shift went, from when it was started and ended against its planned times. */
export function shiftAttendance(s: ShiftScope, at: number): 'upcoming' | 'on_duty' | 'attended' | 'late' | 'ended_early' | 'missed' {
  const finished = s.endedAt !== null || at >= s.endsAt
  if (!finished) return s.startedAt !== null || at >= s.startsAt ? 'on_duty' : 'upcoming'
  if (s.startedAt === null) return 'missed'
  if (s.endedAt !== null && s.endedAt < s.endsAt - SHIFT_GRACE_MS) return 'ended_early'
  if (s.startedAt > s.startsAt + SHIFT_GRACE_MS) return 'late'
  return 'attended'
}
