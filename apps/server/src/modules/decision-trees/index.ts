/** Decision trees: guided help for customers (help center, chat widget) and scripts agents run on tickets. */
export { decisionTreesRoutes } from './decision-trees.routes.ts'
export { decisionTreePages } from './decision-trees.pages.ts'
export {
  answerWidgetRun,
  findOfferableTree,
  missingRequiredScript,
  recordWidgetRunTicket,
  resumeWidgetRun,
  startWidgetRun,
  widgetHandoff,
} from './decision-tree-runs.service.ts'
export { PUBLIC_ANSWER_LIMIT, PUBLIC_START_LIMIT } from './decision-trees.routes.ts'
