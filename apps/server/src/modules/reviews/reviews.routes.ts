import {
  ApproveReviewInput,
  CreateReviewPolicyInput,
  IdParams,
  Ok,
  Page,
  RejectReviewInput,
  ReviewDetailDto,
  ReviewDto,
  ReviewListQuery,
  ReviewPolicyDto,
  ReviewSummaryDto,
  UpdateReviewPolicyInput,
} from '@allhands/contract'
import { Type } from 'typebox'
import { actorOf, type App } from '../../platform/http.ts'
import { canReviewReplies } from '../../platform/policy.ts'
import { registerRoomGuard, type RoomGuard } from '../../platform/realtime.ts'
import { REVIEWS_ROOM } from './reviews.hold.ts'
import { approveReview, getReview, heldAttachmentForDownload, listReviews, rejectReview, reviewSummary, withdrawReview } from './reviews.service.ts'
import { createReviewPolicy, deleteReviewPolicy, listReviewPolicies, updateReviewPolicy } from './review-policies.service.ts'

/** Only reviewers hear the queue change live; authors hear about their own replies in their user room. */
const reviewsRoomGuard: RoomGuard = (_ctx, actor, room) => (room === REVIEWS_ROOM ? canReviewReplies(actor) : undefined)

/** Graduated trust: the review queue, decisions on held replies, and review policies. */
export async function reviewsRoutes(app: App) {
  const ctx = app.ctx
  registerRoomGuard(reviewsRoomGuard)
  const tags = ['reviews']

  app.get(
    '/reviews',
    {
      schema: {
        tags,
        description:
          'Held replies. Without author or ticketId: the reviewers’ queue (pending first, oldest first, with the SLA clock). author=me: my own held replies and their outcomes.',
        querystring: ReviewListQuery,
        response: { 200: Page(ReviewDto) },
      },
    },
    async (req) => listReviews(ctx, actorOf(req), req.query),
  )
  app.get('/reviews/summary', { schema: { tags, response: { 200: ReviewSummaryDto } } }, async (req) => reviewSummary(ctx, actorOf(req)))
  app.get('/reviews/:id', { schema: { tags, params: IdParams, response: { 200: ReviewDetailDto } } }, async (req) =>
    getReview(ctx, actorOf(req), req.params.id),
  )
  app.get(
    '/reviews/attachments/:id',
    {
      schema: {
        tags,
        description: 'A file attached to a held reply (not linked to a message until approved), for whoever may see that review.',
        params: IdParams,
      },
    },
    async (req, reply) => {
      const a = await heldAttachmentForDownload(ctx, actorOf(req), req.params.id)
      reply
        .header('Content-Type', 'application/octet-stream')
        .header('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(a.filename)}`)
        .header('X-Content-Type-Options', 'nosniff')
        .header('Content-Security-Policy', "sandbox; default-src 'none'")
        .header('Cache-Control', 'private, max-age=3600')
      return reply.send(ctx.blobs.stream(a.blobHash))
    },
  )
  app.post(
    '/reviews/:id/approve',
    {
      schema: {
        tags,
        description: 'Sends the held reply as its author, optionally edited (the edit and its diff are kept). 409 when already decided.',
        params: IdParams,
        body: ApproveReviewInput,
        response: { 200: ReviewDetailDto },
      },
      // Approving as written needs no body.
      preValidation: async (req) => {
        if (req.body === undefined || req.body === null) req.body = {}
      },
    },
    async (req) => approveReview(ctx, actorOf(req), req.params.id, req.body),
  )
  app.post(
    '/reviews/:id/reject',
    {
      schema: {
        tags,
        description: 'Returns the held reply to its author with coaching feedback; nothing is sent.',
        params: IdParams,
        body: RejectReviewInput,
        response: { 200: ReviewDetailDto },
      },
    },
    async (req) => rejectReview(ctx, actorOf(req), req.params.id, req.body.feedback),
  )
  app.post(
    '/reviews/:id/withdraw',
    { schema: { tags, description: 'The author takes back a reply still waiting for review.', params: IdParams, response: { 200: ReviewDetailDto } } },
    async (req) => withdrawReview(ctx, actorOf(req), req.params.id),
  )

  app.get('/review-policies', { schema: { tags, response: { 200: Type.Array(ReviewPolicyDto) } } }, async () => listReviewPolicies(ctx))
  app.post('/review-policies', { schema: { tags, body: CreateReviewPolicyInput, response: { 201: ReviewPolicyDto } } }, async (req, reply) =>
    reply.code(201).send(await createReviewPolicy(ctx, actorOf(req), req.body)),
  )
  app.patch('/review-policies/:id', { schema: { tags, params: IdParams, body: UpdateReviewPolicyInput, response: { 200: ReviewPolicyDto } } }, async (req) =>
    updateReviewPolicy(ctx, actorOf(req), req.params.id, req.body),
  )
  app.delete('/review-policies/:id', { schema: { tags, params: IdParams, response: { 200: Ok } } }, async (req) => {
    await deleteReviewPolicy(ctx, actorOf(req), req.params.id)
    return { ok: true }
  })
}
