import type { Actor } from '../../platform/actor.ts'
import { canAdminister } from '../../platform/policy.ts'

/**
 * Who may do what with decision trees. Support staff (agents and admins) write, publish and analyse trees; rotation
 * contributors only run published agent scripts on tickets they can see; admins decide which categories require a
 * script. A run belongs to the person who started it.
 */
const isStaff = (a: Pick<Actor, 'role'>) => a.role === 'owner' || a.role === 'admin' || a.role === 'agent'

export const canEditDecisionTrees = (a: Actor) => isStaff(a)
export const canViewDecisionTreeAnalytics = (a: Actor) => isStaff(a)
export const canManageScriptRequirements = (a: Actor) => canAdminister(a)
/** Contributors see the published scripts meant for agents (to run them), staff every tree. */
export const canSeeDecisionTree = (a: Actor, t: { audience: string; publishedVersionId: number | null }) =>
  isStaff(a) || (t.publishedVersionId !== null && t.audience !== 'public')
export const isScriptAudience = (audience: string) => audience === 'agents' || audience === 'both'
export const isPublicAudience = (audience: string) => audience === 'public' || audience === 'both'
export const canAnswerRun = (a: Pick<Actor, 'id'>, run: { userId: number | null }) => run.userId === a.id
/** Only rotation contributors are held to a category's required script. */
export const isHeldToScripts = (a: Pick<Actor, 'role'>) => a.role === 'contributor'
