/** The tone coach: routes, and the pure rule engine for anyone who wants to check text. */
export { checkTone } from './tone.rules.ts'
export { toneRoutes } from './tone.routes.ts'
