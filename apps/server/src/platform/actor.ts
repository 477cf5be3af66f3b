import type { Role } from '@allhands/contract'

/** The signed-in person a request acts for. */
export interface Actor {
  id: number
  name: string
  email: string
  role: Role
  teamIds: number[]
}
