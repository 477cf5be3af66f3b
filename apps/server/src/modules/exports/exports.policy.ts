import type { Actor } from '../../platform/actor.ts'
import { canAdminister } from '../../platform/policy.ts'

/** Exports carry every customer's data out of the help desk: admins and owners only. */
export const canExportData = (a: Actor) => canAdminister(a)
