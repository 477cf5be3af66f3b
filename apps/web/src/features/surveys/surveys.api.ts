import type {
  CsatRequestDto,
  CsatResponsesQuery,
  CsatSettingsDto,
  CsatSummaryDto,
  PageOf,
  PurchaseReasonDto,
  PurchaseReasonSummaryDto,
  SendSurveyResult,
  SurveyDto,
  SurveyInput,
  SurveyPatch,
  SurveyResultsDto,
  SurveySegment,
} from '@allhands/contract'
import { request } from '../../lib/api.ts'
import { keys } from '../../lib/queries.ts'

export const surveysApi = {
  csatSettings: () => request<CsatSettingsDto>('GET', '/surveys/csat/settings'),
  updateCsatSettings: (input: CsatSettingsDto) => request<CsatSettingsDto>('PUT', '/surveys/csat/settings', input),
  csatResponses: (query: CsatResponsesQuery) => request<PageOf<CsatRequestDto>>('GET', '/surveys/csat/responses', undefined, query),
  csatSummary: (query: { from?: number; to?: number }) => request<CsatSummaryDto>('GET', '/surveys/csat/summary', undefined, query),
  ticketCsat: (ticketId: number) => request<{ items: CsatRequestDto[] }>('GET', `/tickets/${ticketId}/csat`),
  list: () => request<PageOf<SurveyDto>>('GET', '/surveys', undefined, { limit: 100 }),
  get: (id: number) => request<SurveyDto>('GET', `/surveys/${id}`),
  create: (input: SurveyInput) => request<SurveyDto>('POST', '/surveys', input),
  update: (id: number, patch: SurveyPatch) => request<SurveyDto>('PATCH', `/surveys/${id}`, patch),
  remove: (id: number) => request<{ ok: boolean }>('DELETE', `/surveys/${id}`),
  send: (id: number, segment: SurveySegment) => request<SendSurveyResult>('POST', `/surveys/${id}/send`, segment),
  results: (id: number) => request<SurveyResultsDto>('GET', `/surveys/${id}/results`),
  purchaseSummary: () => request<PurchaseReasonSummaryDto>('GET', '/surveys/purchase-reason/summary'),
  setPurchaseCategories: (categories: string[]) => request<PurchaseReasonSummaryDto>('PUT', '/surveys/purchase-reason/categories', { categories }),
  contactPurchaseReasons: (contactId: number) => request<{ items: PurchaseReasonDto[] }>('GET', `/contacts/${contactId}/purchase-reasons`),
}

export const csvExportUrl = (surveyId: number) => `/api/v1/surveys/${surveyId}/responses.csv`

/** Query keys: everything under `surveys` refreshes together after a change made here. */
export const surveyKeys = {
  all: ['surveys'] as const,
  csatSettings: ['surveys', 'csat-settings'] as const,
  csatResponses: (query: CsatResponsesQuery) => ['surveys', 'csat-responses', query] as const,
  csatSummary: (query: { from?: number; to?: number }) => ['surveys', 'csat-summary', query] as const,
  list: ['surveys', 'list'] as const,
  results: (id: number) => ['surveys', 'results', id] as const,
  purchase: ['surveys', 'purchase'] as const,
  /** Under the ticket's key, so the ticket's realtime updates (a rating arrived) refresh it. */
  ticketCsat: (ticketId: number) => [...keys.ticket(ticketId), 'csat'] as const,
  contactPurchase: (contactId: number) => [...keys.contact(contactId), 'purchase-reasons'] as const,
}

/** What a customer clicked, for people: "Good", "4 / 5". */
export function ratingText(r: Pick<CsatRequestDto, 'rating' | 'scale' | 'score'>): string {
  if (r.score === null) return '—'
  if (r.scale === '5') return `${r.score} / 5`
  return r.rating === 'good' ? 'Good' : r.rating === 'okay' ? 'Okay' : 'Bad'
}

export const ratingColor = (score: number | null) => (score === null ? 'gray' : score >= 4 ? 'green' : score === 3 ? 'yellow' : 'red')

export const SKIP_REASON: Record<string, string> = {
  no_email: 'no email address',
  bouncing: 'address bouncing',
  automated_address: 'automated address',
  merged: 'ticket merged',
  reopened: 'reopened before sending',
  no_outbound_email: 'no outgoing mail configured',
  survey_closed: 'survey closed',
}

export const STATUS_TEXT: Record<CsatRequestDto['status'], string> = {
  scheduled: 'Scheduled',
  sent: 'Sent, waiting',
  skipped: 'Not sent',
  rated: 'Rated',
  expired: 'Expired unanswered',
}

export const percent = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)} %`)
