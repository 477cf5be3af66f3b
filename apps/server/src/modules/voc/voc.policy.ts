import type { Actor } from '../../platform/actor.ts'

/**
 * Who may do what on the voice-of-customer board. Everyone signed in hears customers: contributors see
 * the board and link tickets they can see; support staff run it (items, statuses, suggestions, closing
 * the loop); only admins delete an item.
 */
const isStaff = (a: Pick<Actor, 'role'>) => a.role === 'owner' || a.role === 'admin' || a.role === 'agent'

export const canViewVoc = (a: Pick<Actor, 'role'>) => isStaff(a) || a.role === 'contributor'
/** Create and edit items, change their status, accept or dismiss suggestions, prepare and send the loop. */
export const canManageVoc = (a: Pick<Actor, 'role'>) => isStaff(a)
export const canDeleteVocItem = (a: Pick<Actor, 'role'>) => a.role === 'owner' || a.role === 'admin'
/** Linking needs the ticket in sight too (checked with canViewTicket by the caller). */
export const canLinkToVoc = (a: Pick<Actor, 'role'>) => canViewVoc(a)
/** Staff unlink anything; a contributor only what they linked themselves. */
export const canUnlinkFromVoc = (a: Pick<Actor, 'id' | 'role'>, link: { linkedById: number | null }) => isStaff(a) || link.linkedById === a.id
export const canChangeVocSettings = (a: Pick<Actor, 'role'>) => a.role === 'owner' || a.role === 'admin'
