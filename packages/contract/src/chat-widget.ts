/**
 * The live-chat widget's protocol: what a visitor's browser and the server say to each other.
 * Types plus the widget's English texts, and nothing else: the widget bundle imports this file directly
 * (`@allhands/contract/chat-widget`), never the contract index with its schemas.
 *
 * Flow: the widget calls `POST /api/v1/widget/sessions` (public, rate-limited) with the inbox id and, if it
 * has one, the visitor token kept in localStorage; the answer carries the token (new or the same), the
 * widget settings and the open conversation. It then opens `GET /api/v1/widget/ws?token=<visitorToken>`.
 * Files go through `POST /api/v1/widget/uploads` (multipart, header `X-Visitor-Token: <visitorToken>`;
 * `Authorization: Bearer` is reserved for agents' API tokens).
 */

/** A signed identity the site's backend vouches for: `signature = hex(HMAC-SHA256(inbox identity secret, `${userId}:${email}`))`. */
export interface WidgetIdentity {
  userId: string
  email: string
  name?: string
  signature: string
}

export interface WidgetSessionRequest {
  inboxId: number
  /** The token from a previous session of this browser; a missing, unknown or expired one starts a new visitor. */
  token?: string
  identity?: WidgetIdentity
}

export interface PreChatField {
  key: string
  label: string
  type: 'text' | 'email' | 'textarea'
  required: boolean
}

/** How the widget looks and speaks; every text can be overridden per inbox (translation). */
export interface WidgetAppearance {
  color: string
  position: 'right' | 'left'
  title: string
  greeting: string
  avatarUrl: string | null
  /** Texts shown by the widget, keyed by WIDGET_TEXT_KEYS; missing keys fall back to English defaults. */
  texts: Record<string, string>
}

/** English texts of the widget; an inbox overrides any of them in `appearance.texts` (its translation). */
export const DEFAULT_WIDGET_TEXTS = {
  launcherLabel: 'Chat with us',
  closeLabel: 'Close chat',
  inputPlaceholder: 'Type your message…',
  send: 'Send',
  attach: 'Attach a file',
  startChat: 'Start chat',
  offlineTitle: 'We are away right now',
  offlineIntro: 'Leave us a message and we will reply by email.',
  offlineSent: 'Thank you! We got your message and will reply by email.',
  waiting: 'Waiting for an agent…',
  agentJoined: '{name} joined the chat',
  ended: 'This chat has ended.',
  rateTitle: 'How was this chat?',
  rateThanks: 'Thank you for your feedback!',
  transcript: 'Email me the transcript',
  transcriptSent: 'The transcript is on its way to your inbox.',
  read: 'Read',
  typing: '{name} is typing…',
  reconnecting: 'Connection lost. Reconnecting…',
  inviteAccept: 'Chat now',
  inviteDismiss: 'No thanks',
} as const satisfies Record<string, string>
export type WidgetTextKey = keyof typeof DEFAULT_WIDGET_TEXTS
export const WIDGET_TEXT_KEYS = Object.keys(DEFAULT_WIDGET_TEXTS) as WidgetTextKey[]

export interface WidgetMessage {
  id: number
  /** The widget's own id for a message it sent, so a resend after reconnecting is recognised. */
  clientId: string | null
  author: { kind: 'visitor' | 'agent' | 'system'; name: string; avatarUrl: string | null }
  /** Plain text (agent replies are converted from their HTML). Shown as text, never as HTML. */
  text: string
  attachments: { id: number; filename: string; size: number; contentType: string; url: string }[]
  createdAt: number
}

export type ConversationStatus = 'waiting' | 'active' | 'ended'

export interface WidgetConversation {
  ticketId: number
  status: ConversationStatus
  agent: { name: string; avatarUrl: string | null } | null
  /** The newest of the visitor's messages the agent side has read (read receipts). */
  agentReadUpTo: number | null
  /** Set once the visitor rated this chat. */
  rating: number | null
}

export interface WidgetSession {
  token: string
  visitorId: number
  appearance: WidgetAppearance
  preChatFields: PreChatField[]
  /** Someone can answer now; when false the widget shows the offline form. */
  online: boolean
  /** The identity the widget proved with a signature (unverified claims are never echoed as verified). */
  verified: boolean
  conversation: WidgetConversation | null
  messages: WidgetMessage[]
  maxUploadBytes: number
  /** The guided help (decision tree) the widget offers before a chat, if the inbox has one published. */
  tree: { name: string; description: string } | null
}

/** One step of a widget tree run, as `POST /widget/tree/start`, `/widget/tree/answer` and `/widget/tree/resume` return it. */
export interface WidgetTreeRun {
  token: string
  treeName: string
  status: 'active' | 'ended'
  outcome: 'resolved' | 'ticket' | null
  step: {
    nodeId: string
    type: string
    title: string
    /** Sanitized HTML; the widget shows its text only (it never parses HTML). */
    html: string
    choices: { index: number; label: string }[]
    input: { kind: 'text' | 'email'; variable: string } | null
    action: { kind: string; articleUrl?: string; articleTitle?: string } | null
    terminal: boolean
  } | null
  ticketId: number | null
}

/** `POST /widget/tree/resume`: where a run stands after a reload (a `WidgetTreeRun`); finished or handed-over runs are refused. */
export interface WidgetTreeResume {
  token: string
  run: string
}

/** `POST /widget/tree/handoff`: the run ended unresolved; a chat (someone is online) or an offline ticket starts. */
export interface WidgetTreeHandoff {
  token: string
  run: string
  /** Pre-chat answers, for a chat. */
  fields?: Record<string, string>
  /** For an offline ticket: who to answer by email, and anything they add. */
  name?: string
  email?: string
  message?: string
}

/** Visitor → server on the widget socket. */
export type VisitorClientMessage =
  /** Sent on connect and on every navigation (also pushState). */
  | { type: 'page'; url: string; title: string; referrer: string; timezone: string; language: string }
  /** A chat message; `fields` (pre-chat form answers) only with the first message of a conversation. */
  | { type: 'message'; clientId: string; text: string; fields?: Record<string, string> }
  | { type: 'typing'; typing: boolean }
  /** The visitor has seen the agent's messages up to this id. */
  | { type: 'read'; upTo: number }
  /** After a reconnect: every message newer than this id is sent again. */
  | { type: 'sync'; after: number }
  | { type: 'invite'; inviteId: number; action: 'accept' | 'dismiss' }
  | { type: 'ping' }

/** Server → visitor on the widget socket. */
export type VisitorServerMessage =
  | { type: 'ready'; online: boolean; conversation: WidgetConversation | null }
  | { type: 'message'; message: WidgetMessage }
  /** The message with this client id is stored (sent again for a duplicate resend, with the same id). */
  | { type: 'ack'; clientId: string; messageId: number; createdAt: number }
  | { type: 'typing'; name: string; typing: boolean }
  | { type: 'read'; upTo: number }
  | { type: 'conversation'; conversation: WidgetConversation }
  | { type: 'invite'; inviteId: number; message: string; agent: { name: string; avatarUrl: string | null } | null }
  | { type: 'online'; online: boolean }
  | { type: 'error'; message: string; clientId?: string }
  | { type: 'pong' }
