import type { Actor } from '../../platform/actor.ts'
import { canAdminister } from '../../platform/policy.ts'

/**
 * Background jobs carry other modules' work (customer emails, survey sends, report updates): seeing their payloads and
 * errors and retrying or discarding them is for admins and owners only.
 */
export const canManageBackgroundJobs = (a: Actor) => canAdminister(a)
