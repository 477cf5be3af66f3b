import type { Role } from '@allhands/contract'
import type { Actor } from './actor.ts'

/**
 * Who may do what: the one place role rules live. Pure functions over the actor and the target,
 * called by every service before it acts. The UI reads the same answers from /auth/me but never decides.
 */
type TicketScope = { teamId: number | null }

const isStaff = (a: Actor) => a.role === 'owner' || a.role === 'admin' || a.role === 'agent'

export const canAdminister = (a: Actor) => a.role === 'owner' || a.role === 'admin'

/** Support staff see every ticket; contributors only those of teams they belong to. */
export const canViewTicket = (a: Actor, t: TicketScope) => isStaff(a) || (t.teamId !== null && a.teamIds.includes(t.teamId))
export const canReplyToTicket = (a: Actor, t: TicketScope) => isStaff(a) && canViewTicket(a, t)
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

export const canAssignTo = (assignee: { role: Role; isActive: boolean }) => assignee.isActive && assignee.role !== 'contributor'
