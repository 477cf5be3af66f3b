/** Graduated trust: held replies, their review, automatic promotion and review policies. */
export { reviewsRoutes } from './reviews.routes.ts'
export { heldAttachmentIds, holdReply, presentReviews, REVIEWS_ROOM, reviewEvent } from './reviews.hold.ts'
export { loadReviewPolicies, type ReviewPolicy } from './review-policies.service.ts'
export { seedReviewsDemo } from './reviews.demo.ts'
