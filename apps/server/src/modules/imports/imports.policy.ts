import type { Actor } from '../../platform/actor.ts'
import { canAdminister } from '../../platform/policy.ts'

/** Imports create and change contacts, organizations and tickets in bulk: only admins and owners run them. */
export const canManageImports = (a: Actor) => canAdminister(a)
