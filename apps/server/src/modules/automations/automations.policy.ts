import type { Actor } from '../../platform/actor.ts'
import { canAdminister } from '../../platform/policy.ts'

/**
 * Automations change any ticket, email customers and call outside URLs as the help desk itself: only admins and
 * owners see, create, change, reorder or dry-run them.
 */
export const canManageAutomations = (a: Actor) => canAdminister(a)
