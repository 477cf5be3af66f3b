/** Data exports (issue 10): tickets and contacts as CSV/JSON, and the files of contacts' privacy data exports. */
export { exportsRoutes } from './exports.routes.ts'
export { writeExportJob } from './jobs/write-export.ts'
export { getExport, queueExport } from './exports.service.ts'
