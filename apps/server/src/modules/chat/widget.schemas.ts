import {
  Id,
  Nullable,
  PreChatFieldSchema,
  Timestamp,
  WidgetAppearanceSchema,
  type WidgetConversation,
  type WidgetMessage,
  type WidgetSession,
  type WidgetSessionRequest,
  type WidgetTreeHandoff,
  type WidgetTreeResume,
} from '@allhands/contract'
import { type Static, Type } from 'typebox'

/**
 * TypeBox schemas of the widget's HTTP routes. The protocol's types live in packages/contract/src/chat-widget.ts
 * as plain interfaces (the widget bundle imports no runtime code); the checks at the bottom keep both in step.
 */

const AuthorKind = Type.Union([Type.Literal('visitor'), Type.Literal('agent'), Type.Literal('system')])

export const WidgetMessageSchema = Type.Object({
  id: Type.Integer(),
  clientId: Nullable(Type.String()),
  author: Type.Object({ kind: AuthorKind, name: Type.String(), avatarUrl: Nullable(Type.String()) }),
  text: Type.String(),
  attachments: Type.Array(Type.Object({ id: Id, filename: Type.String(), size: Type.Integer(), contentType: Type.String(), url: Type.String() })),
  createdAt: Timestamp,
})

export const WidgetConversationSchema = Type.Object({
  ticketId: Id,
  status: Type.Union([Type.Literal('waiting'), Type.Literal('active'), Type.Literal('ended')]),
  agent: Nullable(Type.Object({ name: Type.String(), avatarUrl: Nullable(Type.String()) })),
  agentReadUpTo: Nullable(Type.Integer()),
  rating: Nullable(Type.Integer()),
})

export const WidgetSessionRequestSchema = Type.Object({
  inboxId: Id,
  token: Type.Optional(Type.String({ maxLength: 200 })),
  identity: Type.Optional(
    Type.Object({
      userId: Type.String({ minLength: 1, maxLength: 200 }),
      email: Type.String({ maxLength: 320 }),
      name: Type.Optional(Type.String({ maxLength: 200 })),
      signature: Type.String({ maxLength: 200 }),
    }),
  ),
})

export const WidgetSessionSchema = Type.Object({
  token: Type.String(),
  visitorId: Id,
  appearance: WidgetAppearanceSchema,
  preChatFields: Type.Array(PreChatFieldSchema),
  online: Type.Boolean(),
  verified: Type.Boolean(),
  conversation: Nullable(WidgetConversationSchema),
  messages: Type.Array(WidgetMessageSchema),
  maxUploadBytes: Type.Integer(),
  tree: Nullable(Type.Object({ name: Type.String(), description: Type.String() })),
})

/** The offline form: checked field by field in the service so the answer lists every problem at once. */
export const OfflineMessageInput = Type.Object({
  token: Type.Optional(Type.String({ maxLength: 200 })),
  inboxId: Id,
  name: Type.String({ maxLength: 100_000 }),
  email: Type.String({ maxLength: 100_000 }),
  message: Type.String({ maxLength: 100_000 }),
  /** Honeypot: people leave it empty, bots fill it in. */
  website: Type.Optional(Type.String({ maxLength: 2000 })),
})
export type OfflineMessageInput = Static<typeof OfflineMessageInput>

export const TranscriptInput = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 200 }),
  email: Type.Optional(Type.String({ maxLength: 320 })),
})
export type TranscriptInput = Static<typeof TranscriptInput>

export const RatingInput = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 200 }),
  rating: Type.Integer({ minimum: 1, maximum: 5 }),
  comment: Type.Optional(Type.String({ maxLength: 2000 })),
})
export type RatingInput = Static<typeof RatingInput>

/** Guided help in the widget: the visitor token, and the run's own token once it has started. */
export const WidgetTreeStartInput = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) })
export type WidgetTreeStartInput = Static<typeof WidgetTreeStartInput>
export const WidgetTreeAnswerInput = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 200 }),
  run: Type.String({ minLength: 10, maxLength: 100 }),
  choice: Type.Optional(Type.Integer({ minimum: 0 })),
  value: Type.Optional(Type.String({ maxLength: 2000 })),
  resolved: Type.Optional(Type.Boolean()),
})
export type WidgetTreeAnswerInput = Static<typeof WidgetTreeAnswerInput>
export const WidgetTreeResumeInput = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 200 }),
  run: Type.String({ minLength: 10, maxLength: 100 }),
})
export type WidgetTreeResumeInput = Static<typeof WidgetTreeResumeInput>
export const WidgetTreeHandoffInput = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 200 }),
  run: Type.String({ minLength: 10, maxLength: 100 }),
  fields: Type.Optional(Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 1000 }))),
  name: Type.Optional(Type.String({ maxLength: 200 })),
  email: Type.Optional(Type.String({ maxLength: 320 })),
  message: Type.Optional(Type.String({ maxLength: 5000 })),
})
export type WidgetTreeHandoffInput = Static<typeof WidgetTreeHandoffInput>
export const WidgetTreeHandoffResult = Type.Object({
  mode: Type.Union([Type.Literal('chat'), Type.Literal('offline')]),
  ticketId: Id,
  message: Nullable(WidgetMessageSchema),
})

// Compile-time checks: the schemas describe exactly the contract's interfaces.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const sameMessage: Same<Static<typeof WidgetMessageSchema>, WidgetMessage> = true
const sameConversation: Same<Static<typeof WidgetConversationSchema>, WidgetConversation> = true
const sameSession: Same<Static<typeof WidgetSessionSchema>, WidgetSession> = true
const sameRequest: Same<Static<typeof WidgetSessionRequestSchema>, WidgetSessionRequest> = true
const sameHandoff: Same<WidgetTreeHandoffInput, WidgetTreeHandoff> = true
const sameResume: Same<WidgetTreeResumeInput, WidgetTreeResume> = true
void [sameMessage, sameConversation, sameSession, sameRequest, sameHandoff, sameResume]
