import type { Actor } from '../../platform/actor.ts'

/** Reports cover every ticket and every person: support staff (owners, admins, agents) only. */
export const canViewReports = (a: Pick<Actor, 'role'>) => a.role === 'owner' || a.role === 'admin' || a.role === 'agent'
