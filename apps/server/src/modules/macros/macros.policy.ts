import type { MacroScope } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { canAdminister } from '../../platform/policy.ts'

/**
 * Who may do what with macros. A personal macro is its owner's alone (support staff only); shared macros are
 * written by admins and used by all support staff; rotation contributors create none and use only the shared
 * macros approved for them.
 */
export type MacroScopeOf = { scope: string; ownerId: number | null; approvedForContributors: number | boolean }

const isStaff = (a: Pick<Actor, 'role'>) => a.role === 'owner' || a.role === 'admin' || a.role === 'agent'

export const canCreateMacro = (a: Actor, scope: MacroScope) => (scope === 'shared' ? canAdminister(a) : isStaff(a))
/** Someone else's personal macro is not theirs to know about (404 rather than 403). */
export const isOthersPersonalMacro = (a: Pick<Actor, 'id'>, m: MacroScopeOf) => m.scope === 'personal' && m.ownerId !== a.id
export const canUseMacro = (a: Actor, m: MacroScopeOf) =>
  m.scope === 'personal' ? m.ownerId === a.id && isStaff(a) : isStaff(a) || (a.role === 'contributor' && !!m.approvedForContributors)
export const canEditMacro = (a: Actor, m: MacroScopeOf) => (m.scope === 'personal' ? m.ownerId === a.id && isStaff(a) : canAdminister(a))
