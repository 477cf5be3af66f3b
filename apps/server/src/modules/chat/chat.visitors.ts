import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { WidgetIdentity, WidgetSession, WidgetSessionRequest } from '@allhands/contract'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { sha256 } from '../../platform/crypto.ts'
import { forbidden } from '../../platform/errors.ts'
import { agentsAvailableFor } from '../chat-desk/availability.ts'
import { findOrCreateContactByEmail } from '../contacts/contacts.service.ts'
import { findOfferableTree } from '../decision-trees/index.ts'
import { latestConversationOf, widgetConversation } from './chat.conversations.ts'
import { cachedChatSettings, isOriginAllowed } from './chat.settings.ts'
import { listWidgetMessages } from './widget.messages.ts'

/** A browser quiet for longer than this starts a new visit (visit_count + 1). */
export const NEW_VISIT_AFTER_MS = 30 * 60_000
/** A visitor token unused for this long is forgotten: the browser starts over as a new visitor. */
export const VISITOR_TOKEN_TTL_MS = 180 * 24 * 3_600_000
/** Messages a session carries of its conversation (older ones stay in the ticket). */
const SESSION_MESSAGES = 100

export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** The token a widget keeps in localStorage: 32 random bytes, base64url; only its SHA-256 is stored. */
export const newVisitorToken = () => randomBytes(32).toString('base64url')
export const visitorTokenHash = (token: string) => sha256(token)

export async function findVisitorByToken(db: Executor, token: string | undefined) {
  if (!token || token.length > 200) return undefined
  const visitor = await db.selectFrom('chatVisitors').selectAll().where('tokenHash', '=', visitorTokenHash(token)).executeTakeFirst()
  if (!visitor || visitor.lastSeenAt < now() - VISITOR_TOKEN_TTL_MS) return undefined
  return visitor
}
export type VisitorRow = NonNullable<Awaited<ReturnType<typeof findVisitorByToken>>>

/** The hex HMAC-SHA256 the site's backend computes over `${userId}:${email}` with the inbox's identity secret. */
export const identitySignature = (secret: string, userId: string, email: string) => createHmac('sha256', secret).update(`${userId}:${email}`).digest('hex')

/** The identity when its signature is right; anything else (missing, malformed, forged) is null and proves nothing. */
export function verifiedIdentity(secret: string, identity: WidgetIdentity | undefined): { userId: string; email: string; name: string | null } | null {
  if (!identity || typeof identity.signature !== 'string' || !/^[0-9a-f]{64}$/i.test(identity.signature)) return null
  const email = identity.email.trim().toLowerCase()
  if (!identity.userId || !EMAIL.test(email)) return null
  const expected = Buffer.from(identitySignature(secret, identity.userId, identity.email), 'hex')
  const given = Buffer.from(identity.signature, 'hex')
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null
  return { userId: identity.userId, email, name: identity.name?.trim() || null }
}

/** Marks the visitor seen; after half an hour of quiet that is a new visit. Returns the row as it is now. */
export async function touchVisitor(db: Executor, visitor: VisitorRow): Promise<VisitorRow> {
  const t = now()
  const newVisit = visitor.lastSeenAt < t - NEW_VISIT_AFTER_MS
  const changes = newVisit ? { lastSeenAt: t, visitCount: visitor.visitCount + 1, visitStartedAt: t } : { lastSeenAt: t }
  await db.updateTable('chatVisitors').set(changes).where('id', '=', visitor.id).execute()
  return { ...visitor, ...changes }
}

/** How agents and the widget name a visitor: their contact, else what they typed in the pre-chat form. */
export async function visitorName(db: Executor, visitor: Pick<VisitorRow, 'id' | 'contactId' | 'claimedName'>): Promise<string> {
  if (visitor.contactId) {
    const contact = await db.selectFrom('contacts').select('name').where('id', '=', visitor.contactId).executeTakeFirst()
    if (contact) return contact.name
  }
  return visitor.claimedName || `Visitor ${visitor.id}`
}

/**
 * Starts or resumes a widget session. A token of another inbox, an unknown or an expired one starts a new
 * visitor. A valid signed identity links the visitor to the contact with that email; a forged one is ignored.
 * A verified visitor is only resumed by the same signed user: someone else on the same browser (or the same
 * person signed out) starts over, so nobody reads another person's chat.
 */
export async function startWidgetSession(ctx: Ctx, input: WidgetSessionRequest, origin: string | undefined): Promise<WidgetSession> {
  const settings = await cachedChatSettings(ctx, input.inboxId)
  if (!isOriginAllowed(settings, origin)) throw forbidden('use this chat from this site', 'its origin is not in the inbox’s allowed origins')
  const identity = verifiedIdentity(settings.identitySecret, input.identity)
  const t = now()

  const visitor = await ctx.db.transaction().execute(async (trx) => {
    let existing = await findVisitorByToken(trx, input.token)
    if (existing && existing.inboxId !== input.inboxId) existing = undefined
    if (existing?.verified && existing.externalId !== identity?.userId) existing = undefined
    const contactId = identity ? await findOrCreateContactByEmail(trx, ctx.dialect, identity.email, identity.name ?? undefined) : null
    if (existing) {
      const touched = await touchVisitor(trx, existing)
      if (!identity) return { row: touched, token: input.token! }
      await trx.updateTable('chatVisitors').set({ verified: 1, externalId: identity.userId, contactId }).where('id', '=', existing.id).execute()
      return { row: { ...touched, verified: 1, externalId: identity.userId, contactId }, token: input.token! }
    }
    const token = newVisitorToken()
    const row = await trx
      .insertInto('chatVisitors')
      .values({
        inboxId: input.inboxId,
        tokenHash: visitorTokenHash(token),
        contactId,
        verified: identity ? 1 : 0,
        externalId: identity?.userId ?? null,
        claimedName: null,
        claimedEmail: null,
        visitCount: 1,
        visitStartedAt: t,
        createdAt: t,
        lastSeenAt: t,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    return { row, token }
  })

  const conversation = await latestConversationOf(ctx.db, visitor.row.id)
  return {
    token: visitor.token,
    visitorId: visitor.row.id,
    appearance: settings.appearance,
    preChatFields: settings.preChatFields,
    online: await agentsAvailableFor(ctx.db, input.inboxId),
    verified: !!visitor.row.verified,
    conversation: conversation ? await widgetConversation(ctx.db, conversation) : null,
    messages: conversation ? await listWidgetMessages(ctx, conversation.ticketId, { limit: SESSION_MESSAGES }) : [],
    maxUploadBytes: ctx.config.attachmentLimit,
    tree: await offeredTree(ctx, settings.widgetTreeId),
  }
}

/** The guided help the widget offers: the inbox's tree while it stays published for customers (else none). */
async function offeredTree(ctx: Ctx, treeId: number | null): Promise<WidgetSession['tree']> {
  const tree = treeId ? await findOfferableTree(ctx.db, treeId) : undefined
  return tree ? { name: tree.name, description: tree.description } : null
}
