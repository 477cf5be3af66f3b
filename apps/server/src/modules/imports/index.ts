/** Imports (issue 10): contacts and organizations from CSV, tickets from mbox/maildir and Zendesk/Freshdesk exports. */
export { importsRoutes } from './imports.routes.ts'
export { runImportJob } from './jobs/run-import.ts'
