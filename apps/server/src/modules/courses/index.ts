/** Training and certification: the routes plugin, the anonymizer and the certification step others may reuse. */
export { anonymizeText } from './courses.anonymize.ts'
export { certifyCompletion, TRAINING_ROOM } from './courses.certify.ts'
export { seedCoursesDemo } from './courses.demo.ts'
export { coursesRoutes } from './courses.routes.ts'
