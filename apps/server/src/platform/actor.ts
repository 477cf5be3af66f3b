import type { RiskLevel, Role, TrustLevel } from '@allhands/contract'

/** The signed-in person a request acts for, with what governs their customer-facing rights. */
export interface Actor {
  id: number
  name: string
  email: string
  role: Role
  teamIds: number[]
  trustLevel: TrustLevel
  clearance: RiskLevel
  certifiedCategoryIds: number[]
  /** End of the shift the person is on now (started, not ended), or null when off shift. */
  onShiftUntil: number | null
  /** The current shift holds every reply for review (all-hands windows). */
  shiftReviewRequired: boolean
}
