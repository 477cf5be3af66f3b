/** Satisfaction surveys: CSAT after each solve, custom surveys, and the "why did you buy?" survey. */
export { surveysRoutes } from './surveys.routes.ts'
export { surveyPages } from './surveys.pages.routes.ts'
export { scheduleCsatSurveysJob } from './jobs/schedule-csat-surveys.ts'
export { sendCsatSurveyJob } from './jobs/send-csat-survey.ts'
export { sendSurveyInvitationJob } from './jobs/send-survey-invitation.ts'
export { csatForTickets } from './csat.stats.ts'
export { seedSurveysDemo } from './surveys.demo.ts'
