import { type Static, Type } from 'typebox'
import { Id, Nullable, Timestamp } from './common.ts'
import { UserRef } from './people.ts'

/**
 * Live chat, agent side: a chat is a ticket on an inbox of type `chat`. These are the admin settings of a
 * chat inbox, agents' availability, the live visitor list, invites, transfers and supervision.
 * The visitor side (widget) speaks the protocol in chat-widget.ts.
 */

const Text = (max: number) => Type.String({ maxLength: max })

export const PreChatFieldSchema = Type.Object({
  key: Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z][a-z0-9_]*$' }),
  label: Type.String({ minLength: 1, maxLength: 120 }),
  type: Type.Union([Type.Literal('text'), Type.Literal('email'), Type.Literal('textarea')]),
  required: Type.Boolean(),
})

export const WidgetAppearanceSchema = Type.Object({
  color: Type.String({ pattern: '^#[0-9a-fA-F]{6}$' }),
  position: Type.Union([Type.Literal('right'), Type.Literal('left')]),
  title: Type.String({ minLength: 1, maxLength: 80 }),
  greeting: Text(500),
  avatarUrl: Nullable(Type.String({ maxLength: 2000, pattern: '^https?://' })),
  texts: Type.Record(Type.String({ maxLength: 40 }), Text(300)),
})

/** Settings of one chat inbox. The identity secret is shown to admins only (they paste it into their site's backend). */
export const ChatSettingsDto = Type.Object({
  inboxId: Id,
  appearance: WidgetAppearanceSchema,
  preChatFields: Type.Array(PreChatFieldSchema, { maxItems: 10 }),
  /** Sites allowed to embed the widget (origins like https://shop.example); empty = any. */
  allowedOrigins: Type.Array(Type.String({ maxLength: 300 }), { maxItems: 50 }),
  offlineFormEnabled: Type.Boolean(),
  transcriptsEnabled: Type.Boolean(),
  csatEnabled: Type.Boolean(),
  /** New chats go to available agents round-robin within the inbox's team (or everyone when it has none); `manual` leaves them waiting. */
  routing: Type.Union([Type.Literal('round_robin'), Type.Literal('manual')]),
  /** A published customer decision tree the widget offers ("Find an answer") before a chat starts; null = none. */
  widgetTreeId: Nullable(Id),
  identitySecret: Type.String(),
  embedSnippet: Type.String(),
})
export type ChatSettingsDto = Static<typeof ChatSettingsDto>

export const ChatSettingsInput = Type.Partial(
  Type.Object({
    appearance: WidgetAppearanceSchema,
    preChatFields: Type.Array(PreChatFieldSchema, { maxItems: 10 }),
    allowedOrigins: Type.Array(Type.String({ maxLength: 300 }), { maxItems: 50 }),
    offlineFormEnabled: Type.Boolean(),
    transcriptsEnabled: Type.Boolean(),
    csatEnabled: Type.Boolean(),
    routing: Type.Union([Type.Literal('round_robin'), Type.Literal('manual')]),
    widgetTreeId: Nullable(Id),
    /** true: replace the identity secret (sites signing with the old one stop verifying). */
    rotateIdentitySecret: Type.Boolean(),
  }),
)
export type ChatSettingsInput = Static<typeof ChatSettingsInput>

export const CHAT_AVAILABILITY = ['online', 'away', 'offline'] as const
export const ChatAvailabilitySchema = Type.Enum(CHAT_AVAILABILITY)
export type ChatAvailability = (typeof CHAT_AVAILABILITY)[number]

export const AgentChatStatusDto = Type.Object({
  user: UserRef,
  status: ChatAvailabilitySchema,
  capacity: Type.Integer({ minimum: 0, maximum: 50 }),
  activeChats: Type.Integer({ minimum: 0 }),
  updatedAt: Timestamp,
})
export type AgentChatStatusDto = Static<typeof AgentChatStatusDto>

export const SetChatStatusInput = Type.Object({
  status: ChatAvailabilitySchema,
  capacity: Type.Optional(Type.Integer({ minimum: 0, maximum: 50 })),
})
export type SetChatStatusInput = Static<typeof SetChatStatusInput>

export const CONVERSATION_STATUSES = ['waiting', 'active', 'ended'] as const
export const ConversationStatusSchema = Type.Enum(CONVERSATION_STATUSES)

/** A chat as the ticket view shows it (beside the conversation). */
export const ChatConversationDto = Type.Object({
  ticketId: Id,
  inboxId: Id,
  visitorId: Id,
  status: ConversationStatusSchema,
  agent: Nullable(UserRef),
  startedAt: Timestamp,
  endedAt: Nullable(Timestamp),
  /** Whether the visitor's widget is connected right now. */
  visitorOnline: Type.Boolean(),
  visitorTyping: Type.Boolean(),
  /** The newest agent message the visitor has read. */
  visitorReadUpTo: Nullable(Id),
  rating: Nullable(Type.Integer()),
  /** Leads watching or joined (supervision is audited and visible to the agent). */
  supervisors: Type.Array(Type.Object({ user: UserRef, mode: Type.Union([Type.Literal('watch'), Type.Literal('join')]), since: Timestamp })),
})
export type ChatConversationDto = Static<typeof ChatConversationDto>

/** A row of the chats list (`GET /api/v1/chat/conversations`): the conversation with what a list needs. */
export const ChatConversationListItem = Type.Intersect([
  ChatConversationDto,
  Type.Object({ subject: Type.String(), visitorName: Type.String(), lastMessageAt: Timestamp, preview: Type.String() }),
])
export type ChatConversationListItem = Static<typeof ChatConversationListItem>

/** A visitor on the site right now, as the live list shows them. */
export const LiveVisitorDto = Type.Object({
  id: Id,
  inboxId: Id,
  name: Type.String(),
  /** Known contact (verified identity or a chat that became a ticket). Unverified claims stay as `claimedEmail`. */
  contact: Nullable(Type.Object({ id: Id, name: Type.String() })),
  verified: Type.Boolean(),
  claimedEmail: Nullable(Type.String()),
  page: Type.Object({ url: Type.String(), title: Type.String() }),
  referrer: Type.String(),
  onSiteSince: Timestamp,
  onPageSince: Timestamp,
  pagesThisVisit: Type.Integer(),
  visitCount: Type.Integer(),
  returning: Type.Boolean(),
  timezone: Type.String(),
  /** Derived from the browser's time zone (no third-party geo service); '' when unknown. */
  country: Type.String(),
  language: Type.String(),
  chat: Nullable(Type.Object({ ticketId: Id, status: ConversationStatusSchema, agent: Nullable(UserRef) })),
  invite: Nullable(Type.Object({ id: Id, status: Type.Union([Type.Literal('sent'), Type.Literal('accepted'), Type.Literal('dismissed')]), at: Timestamp })),
})
export type LiveVisitorDto = Static<typeof LiveVisitorDto>

export const PageViewDto = Type.Object({
  id: Id,
  visitorId: Id,
  url: Type.String(),
  title: Type.String(),
  referrer: Type.String(),
  createdAt: Timestamp,
  /** Seconds on the page (null while the visitor is still there). */
  seconds: Nullable(Type.Integer()),
})
export type PageViewDto = Static<typeof PageViewDto>

export const InviteVisitorInput = Type.Object({ message: Type.String({ minLength: 1, maxLength: 500 }) })
export type InviteVisitorInput = Static<typeof InviteVisitorInput>

export const AutoInviteRuleDto = Type.Object({
  id: Id,
  inboxId: Id,
  name: Type.String({ minLength: 1, maxLength: 120 }),
  /** Glob over the page URL: `*` matches anything (e.g. `https://shop.example/pricing*`). */
  urlPattern: Type.String({ minLength: 1, maxLength: 500 }),
  minSecondsOnPage: Type.Integer({ minimum: 0, maximum: 3600 }),
  returningOnly: Type.Boolean(),
  message: Type.String({ minLength: 1, maxLength: 500 }),
  /** At most one invite from this rule per visitor in this many hours. */
  capHours: Type.Integer({ minimum: 1, maximum: 720 }),
  enabled: Type.Boolean(),
  createdAt: Timestamp,
})
export type AutoInviteRuleDto = Static<typeof AutoInviteRuleDto>
export const AutoInviteRuleInput = Type.Omit(AutoInviteRuleDto, ['id', 'inboxId', 'createdAt'])
export type AutoInviteRuleInput = Static<typeof AutoInviteRuleInput>

export const TransferChatInput = Type.Object({
  userId: Type.Optional(Id),
  teamId: Type.Optional(Id),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
})
export type TransferChatInput = Static<typeof TransferChatInput>

export const SuperviseChatInput = Type.Object({ mode: Type.Union([Type.Literal('watch'), Type.Literal('join'), Type.Literal('stop')]) })
export type SuperviseChatInput = Static<typeof SuperviseChatInput>

/** A whisper: a lead's note to the agent in a live chat, never shown to the visitor. */
export const WhisperInput = Type.Object({ body: Type.String({ minLength: 1, maxLength: 4000 }) })
export type WhisperInput = Static<typeof WhisperInput>
