/** Macros: saved replies with placeholders and ticket actions, personal or shared. */
export { macrosRoutes } from './macros.routes.ts'
