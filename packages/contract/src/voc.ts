import { type Static, Type } from 'typebox'
import { CursorQuery, Id, Nullable, Timestamp } from './common.ts'

/**
 * Voice of customer: pain points and feature requests, each backed by the tickets (and survey answers)
 * where customers raised it, with their words quoted. Shipping an item closes the loop with them.
 */
export const VOC_KINDS = ['pain_point', 'feature_request'] as const
export type VocKind = (typeof VOC_KINDS)[number]
export const VOC_STATUSES = ['new', 'planned', 'in_progress', 'shipped', 'declined'] as const
export type VocStatus = (typeof VOC_STATUSES)[number]
export const VOC_SORTS = ['customers', 'last_seen', 'created'] as const
export type VocSort = (typeof VOC_SORTS)[number]
export const VOC_NOTIFICATION_STATUSES = ['prepared', 'sending', 'sent', 'held', 'failed'] as const
export type VocNotificationStatus = (typeof VOC_NOTIFICATION_STATUSES)[number]
/** The realtime room where every item change is announced (payload: itemId, ticketIds, contactIds). */
export const VOC_ROOM = 'voc'

const Person = Type.Object({ id: Id, name: Type.String() })
const Title = Type.String({ minLength: 1, maxLength: 200 })
const Description = Type.String({ maxLength: 20000, description: 'Plain text or HTML (sanitized)' })
const TrackerUrl = Nullable(Type.String({ maxLength: 2000, description: 'An http(s) link to the issue in the product tracker' }))
const Quote = Type.String({ maxLength: 2000 })

export const VocItemDto = Type.Object({
  id: Id,
  kind: Type.Enum(VOC_KINDS),
  title: Type.String(),
  descriptionHtml: Type.String(),
  descriptionText: Type.String(),
  status: Type.Enum(VOC_STATUSES),
  trackerUrl: Nullable(Type.String()),
  createdBy: Nullable(Person),
  /** Linked tickets and survey answers. */
  linkCount: Type.Integer({ minimum: 0 }),
  /** Distinct customers (contacts) and organizations behind the links. */
  customerCount: Type.Integer({ minimum: 0 }),
  organizationCount: Type.Integer({ minimum: 0 }),
  /** When customers raised it, first and most recently (the linked tickets' creation times). */
  firstSeenAt: Nullable(Timestamp),
  lastSeenAt: Nullable(Timestamp),
  shippedAt: Nullable(Timestamp),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type VocItemDto = Static<typeof VocItemDto>

export const VocItemListQuery = Type.Object({
  status: Type.Optional(Type.Enum(VOC_STATUSES)),
  kind: Type.Optional(Type.Enum(VOC_KINDS)),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Words of the title' })),
  sort: Type.Optional(Type.Enum(VOC_SORTS, { description: 'customers (most affected first, default), last_seen, created' })),
  ...CursorQuery,
})
export type VocItemListQuery = Static<typeof VocItemListQuery>

export const VocStatusCounts = Type.Object({
  new: Type.Integer(),
  planned: Type.Integer(),
  in_progress: Type.Integer(),
  shipped: Type.Integer(),
  declined: Type.Integer(),
})
export const VocItemPage = Type.Object({
  items: Type.Array(VocItemDto),
  nextCursor: Nullable(Type.String()),
  /** Items per status for the same kind and title filter (not the status filter). */
  counts: VocStatusCounts,
})
export type VocItemPage = Static<typeof VocItemPage>

export const CreateVocItemInput = Type.Object({
  kind: Type.Enum(VOC_KINDS),
  title: Title,
  description: Type.Optional(Description),
  trackerUrl: Type.Optional(TrackerUrl),
  status: Type.Optional(Type.Enum(VOC_STATUSES)),
})
export type CreateVocItemInput = Static<typeof CreateVocItemInput>

export const UpdateVocItemInput = Type.Object(
  {
    kind: Type.Optional(Type.Enum(VOC_KINDS)),
    title: Type.Optional(Title),
    description: Type.Optional(Description),
    trackerUrl: Type.Optional(TrackerUrl),
    status: Type.Optional(Type.Enum(VOC_STATUSES)),
  },
  { minProperties: 1 },
)
export type UpdateVocItemInput = Static<typeof UpdateVocItemInput>

export const VocLinkDto = Type.Object({
  id: Id,
  itemId: Id,
  /** The ticket, when the person asking may see it; otherwise only that a ticket is there. */
  ticket: Nullable(Type.Object({ id: Id, number: Id, subject: Type.String(), status: Type.String() })),
  surveyResponseId: Nullable(Id),
  contact: Nullable(Person),
  organization: Nullable(Person),
  /** The customer's words (stored as text), hidden with the ticket from people who may not see it. */
  quote: Nullable(Type.String()),
  linkedBy: Nullable(Person),
  seenAt: Timestamp,
  createdAt: Timestamp,
})
export type VocLinkDto = Static<typeof VocLinkDto>

export const CreateVocLinkInput = Type.Object({
  ticketId: Type.Optional(Id),
  surveyResponseId: Type.Optional(Id),
  quote: Type.Optional(Quote),
})
export type CreateVocLinkInput = Static<typeof CreateVocLinkInput>

export const VocStatusChangeDto = Type.Object({
  id: Id,
  from: Nullable(Type.Enum(VOC_STATUSES)),
  to: Type.Enum(VOC_STATUSES),
  actor: Nullable(Person),
  createdAt: Timestamp,
})
export type VocStatusChangeDto = Static<typeof VocStatusChangeDto>

export const VocNotificationDto = Type.Object({
  id: Id,
  itemId: Id,
  itemTitle: Type.String(),
  contact: Person,
  ticket: Type.Object({ id: Id, number: Id, subject: Type.String() }),
  body: Type.String(),
  status: Type.Enum(VOC_NOTIFICATION_STATUSES),
  /** The reply that went out (sent), or the review holding it (held). */
  messageId: Nullable(Id),
  reviewId: Nullable(Id),
  error: Nullable(Type.String()),
  sentBy: Nullable(Person),
  sentAt: Nullable(Timestamp),
  createdAt: Timestamp,
})
export type VocNotificationDto = Static<typeof VocNotificationDto>

export const UpdateVocNotificationInput = Type.Object({ body: Type.String({ minLength: 1, maxLength: 20000 }) })
export type UpdateVocNotificationInput = Static<typeof UpdateVocNotificationInput>

export const VocCount = Type.Object({ id: Id, name: Type.String(), links: Type.Integer({ minimum: 1 }) })
export type VocCount = Static<typeof VocCount>

export const VocItemDetailDto = Type.Object({
  item: VocItemDto,
  /** The most recent 200 links. */
  links: Type.Array(VocLinkDto),
  customers: Type.Array(VocCount),
  organizations: Type.Array(VocCount),
  /** Links per week (by when the customer raised it), the last 12 weeks, oldest first. */
  trend: Type.Array(Type.Object({ weekStart: Timestamp, links: Type.Integer({ minimum: 0 }) })),
  history: Type.Array(VocStatusChangeDto),
  /** Close-the-loop replies prepared when the item shipped (for people who may send them). */
  notifications: Type.Array(VocNotificationDto),
  canManage: Type.Boolean(),
  canDelete: Type.Boolean(),
})
export type VocItemDetailDto = Static<typeof VocItemDetailDto>

/** An item linked to a ticket, for the ticket's side panel. */
export const VocTicketItemDto = Type.Object({ linkId: Id, item: VocItemDto, quote: Nullable(Type.String()), canUnlink: Type.Boolean() })
export type VocTicketItemDto = Static<typeof VocTicketItemDto>

export const VocContactDto = Type.Object({
  items: Type.Array(Type.Object({ item: VocItemDto, links: Type.Integer({ minimum: 1 }) })),
  notifications: Type.Array(VocNotificationDto),
})
export type VocContactDto = Static<typeof VocContactDto>

export const VocSuggestionDto = Type.Object({
  id: Id,
  kind: Type.Enum(['new_item', 'link_item']),
  /** For link_item: the existing item the tickets resemble. */
  item: Nullable(Type.Object({ id: Id, title: Type.String(), status: Type.Enum(VOC_STATUSES) })),
  /** For new_item: a title from the cluster's top terms. */
  title: Type.String(),
  terms: Type.Array(Type.String()),
  score: Type.Number(),
  tickets: Type.Array(Type.Object({ id: Id, number: Id, subject: Type.String() })),
  createdAt: Timestamp,
})
export type VocSuggestionDto = Static<typeof VocSuggestionDto>

export const VocSuggestionsDto = Type.Object({
  items: Type.Array(VocSuggestionDto),
  computedAt: Nullable(Timestamp),
  /** How many recent tickets the last run compared. */
  ticketsCompared: Type.Integer({ minimum: 0 }),
})
export type VocSuggestionsDto = Static<typeof VocSuggestionsDto>

export const AcceptVocSuggestionInput = Type.Object({
  title: Type.Optional(Title),
  kind: Type.Optional(Type.Enum(VOC_KINDS)),
})
export type AcceptVocSuggestionInput = Static<typeof AcceptVocSuggestionInput>

export const VocSettingsDto = Type.Object({
  /** Close-the-loop template; placeholders {{requester.firstName}}, {{item.title}}, {{ticket.number}}, {{agent.name}}. */
  shippedTemplate: Type.String({ minLength: 1, maxLength: 5000 }),
})
export type VocSettingsDto = Static<typeof VocSettingsDto>
