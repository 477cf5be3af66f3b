import type { Actor } from '../../platform/actor.ts'

/** The live dashboard shows every waiting customer and held reply: support staff (agents, admins, owners), not contributors. */
export const canViewLiveDashboard = (a: Pick<Actor, 'role'>) => a.role === 'owner' || a.role === 'admin' || a.role === 'agent'
