import { randomBytes } from 'node:crypto'
import { type ChatSettingsDto, type ChatSettingsInput, DEFAULT_WIDGET_TEXTS, type WidgetTextKey } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { now } from '../../platform/clock.ts'
import { badRequest, forbidden, notFound } from '../../platform/errors.ts'
import { readJson, writeJson } from '../../platform/json.ts'
import { findOfferableTree } from '../decision-trees/index.ts'
import { canManageChatSettings } from './chat.policy.ts'

type TextKey = WidgetTextKey

/** What inboxes.chat_settings holds: the admin's choices (missing ones take the defaults) and the identity secret. */
type StoredChatSettings = Partial<Omit<ChatSettingsDto, 'inboxId' | 'embedSnippet'>>

export type ChatSettings = Omit<ChatSettingsDto, 'inboxId' | 'embedSnippet'>

export const DEFAULT_CHAT_SETTINGS: Omit<ChatSettings, 'identitySecret'> = {
  appearance: {
    color: '#228be6',
    position: 'right',
    title: 'Chat with us',
    greeting: 'Hi! How can we help you today?',
    avatarUrl: null,
    texts: DEFAULT_WIDGET_TEXTS,
  },
  preChatFields: [
    { key: 'name', label: 'Name', type: 'text', required: true },
    { key: 'email', label: 'Email', type: 'email', required: false },
  ],
  allowedOrigins: [],
  offlineFormEnabled: true,
  transcriptsEnabled: true,
  csatEnabled: true,
  routing: 'round_robin',
  widgetTreeId: null,
}

const newIdentitySecret = () => randomBytes(32).toString('hex')

/** The chat inbox row; a missing inbox or one of another type is a 404 (its id says nothing about chat). */
export async function getChatInbox(db: Executor, inboxId: number) {
  const inbox = await db.selectFrom('inboxes').select(['id', 'name', 'type', 'teamId', 'chatSettings']).where('id', '=', inboxId).executeTakeFirst()
  if (inbox?.type !== 'chat') throw notFound('Chat inbox', inboxId)
  return inbox
}

function withDefaults(stored: StoredChatSettings, identitySecret: string): ChatSettings {
  const d = DEFAULT_CHAT_SETTINGS
  return {
    appearance: { ...d.appearance, ...stored.appearance, texts: { ...d.appearance.texts, ...stored.appearance?.texts } },
    preChatFields: stored.preChatFields ?? d.preChatFields,
    allowedOrigins: stored.allowedOrigins ?? d.allowedOrigins,
    offlineFormEnabled: stored.offlineFormEnabled ?? d.offlineFormEnabled,
    transcriptsEnabled: stored.transcriptsEnabled ?? d.transcriptsEnabled,
    csatEnabled: stored.csatEnabled ?? d.csatEnabled,
    routing: stored.routing ?? d.routing,
    widgetTreeId: stored.widgetTreeId ?? d.widgetTreeId,
    identitySecret,
  }
}

/** The chat settings of an inbox with defaults filled in; the identity secret is created on first read. */
export async function readChatSettings(db: Executor, inboxId: number): Promise<ChatSettings> {
  const inbox = await getChatInbox(db, inboxId)
  const stored = readJson<StoredChatSettings>(inbox.chatSettings, {})
  let secret = stored.identitySecret
  if (!secret) {
    secret = newIdentitySecret()
    await db
      .updateTable('inboxes')
      .set({ chatSettings: writeJson({ ...stored, identitySecret: secret }) })
      .where('id', '=', inboxId)
      .execute()
  }
  return withDefaults(stored, secret)
}

// Widget sockets and sessions read an inbox's settings on every connect: a few seconds of staleness on other
// nodes is fine, and this node forgets its copy as soon as an admin saves.
const CACHE_MS = 5_000
const caches = new WeakMap<Ctx, Map<number, { at: number; settings: ChatSettings }>>()

/** readChatSettings through a short per-app cache (the hot path of widget sessions and sockets). */
export async function cachedChatSettings(ctx: Ctx, inboxId: number): Promise<ChatSettings> {
  let cache = caches.get(ctx)
  if (!cache) {
    cache = new Map()
    caches.set(ctx, cache)
  }
  const hit = cache.get(inboxId)
  if (hit && now() - hit.at < CACHE_MS) return hit.settings
  const settings = await readChatSettings(ctx.db, inboxId)
  cache.set(inboxId, { at: now(), settings })
  if (cache.size > 1000) cache.delete(cache.keys().next().value!)
  return settings
}

export function presentChatSettings(publicUrl: string, inboxId: number, s: ChatSettings): ChatSettingsDto {
  return { inboxId, ...s, embedSnippet: `<script src="${publicUrl}/widget.js" data-inbox="${inboxId}" async></script>` }
}

/** `https://Shop.example:443/` → `https://shop.example`; null when it is not an http(s) origin. */
export function normalizeOrigin(value: string): string | null {
  try {
    const url = new URL(value.trim())
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null
    if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) return null
    return url.origin
  } catch {
    return null
  }
}

/** Whether a browser on this origin may use the inbox's widget: any when the list is empty, otherwise listed ones only. */
export function isOriginAllowed(settings: Pick<ChatSettings, 'allowedOrigins'>, origin: string | undefined): boolean {
  if (!settings.allowedOrigins.length) return true
  if (!origin) return false
  const normalized = normalizeOrigin(origin)
  return normalized !== null && settings.allowedOrigins.includes(normalized)
}

export async function getChatSettings(ctx: Ctx, actor: Actor, inboxId: number): Promise<ChatSettingsDto> {
  if (!canManageChatSettings(actor)) throw forbidden('manage chat inboxes')
  return presentChatSettings(ctx.config.publicUrl, inboxId, await readChatSettings(ctx.db, inboxId))
}

/** Admins change a chat inbox's widget; origins, the secret's rotation and the privacy-relevant switches are audited. */
export async function updateChatSettings(ctx: Ctx, actor: Actor, inboxId: number, input: ChatSettingsInput): Promise<ChatSettingsDto> {
  if (!canManageChatSettings(actor)) throw forbidden('manage chat inboxes')
  const problems: string[] = []
  const origins: string[] = []
  for (const o of input.allowedOrigins ?? []) {
    const n = normalizeOrigin(o)
    if (n) origins.push(n)
    else problems.push(`allowedOrigins: "${o}" is not an origin like https://shop.example`)
  }
  const keys = (input.preChatFields ?? []).map((f) => f.key)
  const dup = keys.find((k, i) => keys.indexOf(k) !== i)
  if (dup) problems.push(`preChatFields: the key "${dup}" is used twice`)
  for (const k of Object.keys(input.appearance?.texts ?? {}))
    if (!/^[a-zA-Z][a-zA-Z0-9]{0,39}$/.test(k)) problems.push(`appearance.texts: "${k}" is not a text key (letters and digits)`)
  if (Object.keys(input.appearance?.texts ?? {}).length > 100) problems.push('appearance.texts: at most 100 texts')
  if (input.widgetTreeId && !(await findOfferableTree(ctx.db, input.widgetTreeId)))
    problems.push(`widgetTreeId: decision tree ${input.widgetTreeId} is not a published tree for customers (audience public or both)`)
  if (problems.length) throw badRequest(`Please check the chat settings: ${problems.join('; ')}`, problems)

  await ctx.db.transaction().execute(async (trx) => {
    const inbox = await getChatInbox(trx, inboxId)
    const stored = readJson<StoredChatSettings>(inbox.chatSettings, {})
    const next: StoredChatSettings = { ...stored }
    if (input.appearance) {
      // Texts equal to the default are not stored, so a later change of the default wording reaches them.
      const texts = Object.fromEntries(Object.entries(input.appearance.texts).filter(([k, v]) => DEFAULT_WIDGET_TEXTS[k as TextKey] !== v))
      next.appearance = { ...input.appearance, texts }
    }
    if (input.preChatFields) next.preChatFields = input.preChatFields
    if (input.allowedOrigins) next.allowedOrigins = [...new Set(origins)]
    for (const k of ['offlineFormEnabled', 'transcriptsEnabled', 'csatEnabled', 'routing', 'widgetTreeId'] as const)
      if (input[k] !== undefined) (next as any)[k] = input[k]
    if (input.rotateIdentitySecret || !next.identitySecret) next.identitySecret = newIdentitySecret()
    await trx
      .updateTable('inboxes')
      .set({ chatSettings: writeJson(next) })
      .where('id', '=', inboxId)
      .execute()
    const before = withDefaults(stored, stored.identitySecret ?? '')
    const changed: Record<string, unknown> = {}
    if (input.allowedOrigins && before.allowedOrigins.join() !== next.allowedOrigins!.join()) changed.allowedOrigins = next.allowedOrigins
    if (input.rotateIdentitySecret) changed.identitySecretRotated = true
    for (const k of ['offlineFormEnabled', 'transcriptsEnabled', 'csatEnabled', 'routing', 'widgetTreeId'] as const)
      if (input[k] !== undefined && input[k] !== before[k]) changed[k] = input[k]
    if (Object.keys(changed).length)
      await recordAudit(trx, { actorId: actor.id, action: 'chat.settings_changed', targetType: 'inbox', targetId: inboxId, data: changed })
  })
  caches.get(ctx)?.delete(inboxId)
  return getChatSettings(ctx, actor, inboxId)
}
