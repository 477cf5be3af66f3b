import type { Actor } from '../../platform/actor.ts'
import { canAdminister } from '../../platform/policy.ts'

/**
 * Who may do what with surveys. Customers answer on public pages by token; inside the app, support staff
 * read ratings and results, admins configure and send surveys.
 */
const isStaff = (a: Actor) => a.role === 'owner' || a.role === 'admin' || a.role === 'agent'

/** Ratings, comments and survey results: support staff (contributors see a ticket's own rating with the ticket). */
export const canViewSurveyResults = (a: Actor) => isStaff(a)
/** CSAT settings, custom surveys and sending them to a segment: admins; audited where it changes settings. */
export const canManageSurveys = (a: Actor) => canAdminister(a)
/** "Why did you buy?" invitations come from a shop or billing system through an agent's or admin's API token. */
export const canInviteToPurchaseSurvey = (a: Actor) => isStaff(a)
