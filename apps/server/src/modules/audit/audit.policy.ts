import type { Actor } from '../../platform/actor.ts'
import { canAdminister } from '../../platform/policy.ts'

/** The audit log names people and IPs: admins and owners read and export it. */
export const canReadAuditLog = (a: Actor) => canAdminister(a)
