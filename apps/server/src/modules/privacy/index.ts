/** Privacy requests (issue 10): one contact's data export and erasure. */
export { privacyRoutes } from './privacy.routes.ts'
export { eraseContact } from './privacy.erase.ts'
