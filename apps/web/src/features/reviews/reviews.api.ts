import type {
  AuditEntryDto,
  ComposeInput,
  CreateReviewPolicyInput,
  MessageDto,
  PageOf,
  PendingReviewDto,
  ReplyDecisionDto,
  ReviewDetailDto,
  ReviewDto,
  ReviewPolicyDto,
  ReviewStatus,
  ReviewSummaryDto,
  UpdateReviewPolicyInput,
} from '@allhands/contract'
import { request } from '../../lib/api.ts'
import { keys as coreKeys, queryClient } from '../../lib/queries.ts'

export type ReviewListFilter = { status?: ReviewStatus; author?: 'me'; ticketId?: number; cursor?: string; limit?: number }
export type AuditFilter = { action?: string; targetType?: string; targetId?: number; cursor?: string }

/** Query keys of the reviews feature; every key starts with 'reviews' so one invalidation refreshes them all. */
export const reviewKeys = {
  all: ['reviews'] as const,
  list: (f: ReviewListFilter) => ['reviews', 'list', f] as const,
  detail: (id: number) => ['reviews', 'detail', id] as const,
  summary: ['reviews', 'summary'] as const,
  ticket: (ticketId: number) => ['reviews', 'ticket', ticketId] as const,
  decision: (ticketId: number) => ['reviews', 'decision', ticketId] as const,
  policies: ['review-policies'] as const,
  audit: (f: AuditFilter) => ['audit-log', f] as const,
}

export const reviewsApi = {
  list: (f: ReviewListFilter) => request<PageOf<ReviewDto>>('GET', '/reviews', undefined, f),
  detail: (id: number) => request<ReviewDetailDto>('GET', `/reviews/${id}`),
  summary: () => request<ReviewSummaryDto>('GET', '/reviews/summary'),
  approve: (id: number, html?: string) => request<ReviewDetailDto>('POST', `/reviews/${id}/approve`, html !== undefined ? { html } : {}),
  reject: (id: number, feedback: string) => request<ReviewDetailDto>('POST', `/reviews/${id}/reject`, { feedback }),
  withdraw: (id: number) => request<ReviewDetailDto>('POST', `/reviews/${id}/withdraw`, {}),
  replyDecision: (ticketId: number) => request<ReplyDecisionDto>('GET', `/tickets/${ticketId}/reply-decision`),
  /** A reply is sent (201, the message) or held for review (202, pending_review). */
  reply: (ticketId: number, input: ComposeInput) => request<MessageDto | PendingReviewDto>('POST', `/tickets/${ticketId}/replies`, input),
  policies: () => request<ReviewPolicyDto[]>('GET', '/review-policies'),
  createPolicy: (input: CreateReviewPolicyInput) => request<ReviewPolicyDto>('POST', '/review-policies', input),
  updatePolicy: (id: number, patch: UpdateReviewPolicyInput) => request<ReviewPolicyDto>('PATCH', `/review-policies/${id}`, patch),
  deletePolicy: (id: number) => request<{ ok: boolean }>('DELETE', `/review-policies/${id}`),
  auditLog: (f: AuditFilter) => request<PageOf<AuditEntryDto>>('GET', '/audit-log', undefined, f),
}

export const isPendingReview = (r: MessageDto | PendingReviewDto): r is PendingReviewDto => 'status' in r && r.status === 'pending_review'

/** After a decision: the review lists, the ticket's conversation and the author's notifications may all have changed. */
export function refreshAfterReview(ticketId: number) {
  void queryClient.invalidateQueries({ queryKey: reviewKeys.all })
  void queryClient.invalidateQueries({ queryKey: coreKeys.messages(ticketId) })
  void queryClient.invalidateQueries({ queryKey: coreKeys.ticket(ticketId) })
}
