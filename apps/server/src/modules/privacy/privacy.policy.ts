import type { Actor } from '../../platform/actor.ts'
import { canAdminister } from '../../platform/policy.ts'

/** A contact's data export and erasure act on everything about a person: admins and owners only. */
export const canHandlePrivacyRequests = (a: Actor) => canAdminister(a)
