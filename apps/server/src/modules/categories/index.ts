/** Ticket categories (admins), read by risk assessment, certifications and the rotation queue. */
export { categoriesRoutes } from './categories.routes.ts'
export { getCategory, listCategories } from './categories.service.ts'
