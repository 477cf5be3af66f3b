import type { Actor } from '../../platform/actor.ts'
import { canAdminister } from '../../platform/policy.ts'

/** A chat inbox's widget settings (allowed origins, identity secret) are an admin's: the secret vouches for customers. */
export const canManageChatSettings = (a: Actor) => canAdminister(a)
