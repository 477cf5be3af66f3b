import type { Actor } from '../../platform/actor.ts'
import { canAdminister } from '../../platform/policy.ts'

/** Admins and owners sign other people out (lost device, leaver). */
export const canRevokeUserSessions = (a: Actor) => canAdminister(a)
/** Admins and owners decide which roles must use two-factor authentication. */
export const canManageSecuritySettings = (a: Actor) => canAdminister(a)
/** Admins and owners configure single sign-on (who may sign in, with which role). */
export const canManageSso = (a: Actor) => canAdminister(a)
