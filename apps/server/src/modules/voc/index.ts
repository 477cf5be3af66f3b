/** Voice of customer: pain points and feature requests linked to tickets, suggestions, and closing the loop. */
export { vocRoutes } from './voc.routes.ts'
export { computeVocSuggestionsJob } from './jobs/compute-voc-suggestions.ts'
export { seedVocDemo } from './voc.demo.ts'
