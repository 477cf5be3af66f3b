import type { Role, TrustLevel } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { canAdminister } from '../../platform/policy.ts'

/**
 * Who may do live-chat work. A live chat cannot wait for a review, so chat work (availability, taking,
 * transferring and ending chats, the visitor list, invites) belongs to the support staff; contributors
 * answer through the review-safe paths and only read a chat beside a ticket they can see.
 */
const CHAT_ROLES: readonly Role[] = ['owner', 'admin', 'agent']

export const canWorkChats = (a: Pick<Actor, 'role'>) => CHAT_ROLES.includes(a.role)

/** Being given chats (going online, accepting, routing, transfers): active support staff who may reply to customers (not observers). */
export const canTakeChats = (u: { role: Role | string; isActive: boolean | number; trustLevel: TrustLevel | string }) =>
  !!u.isActive && CHAT_ROLES.includes(u.role as Role) && u.trustLevel !== 'observer'

/** Auto-invite rules are inbox settings. */
export const canManageInviteRules = (a: Actor) => canAdminister(a)

/** Watching, joining and whispering into someone else's live chat: admins and owners (the leads). */
export const canSuperviseChats = (a: Actor) => canAdminister(a)
