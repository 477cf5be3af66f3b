/** Decision trees: guided help for customers (help center) and scripts agents run on tickets. */
export { decisionTreesRoutes } from './decision-trees.routes.ts'
export { decisionTreePages } from './decision-trees.pages.ts'
export { missingRequiredScript } from './decision-tree-runs.service.ts'
