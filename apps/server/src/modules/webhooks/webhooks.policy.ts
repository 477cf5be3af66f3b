import type { Actor } from '../../platform/actor.ts'
import { canAdminister } from '../../platform/policy.ts'

/**
 * Webhooks send ticket, message and contact data out of the help desk and hold signing secrets: only admins and
 * owners see, create, change, test or redeliver them.
 */
export const canManageWebhooks = (a: Actor) => canAdminister(a)
