import { AUTO_REPLY_DEFAULT_HOURS, type EmailSettingsDto, type EmailSettingsInput, type InboxDto, type InboxType } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { cachedValue, keyedCache } from '../../platform/cache.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { conflict, forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import { readJson, writeJson } from '../../platform/json.ts'
import { canAdminister } from '../../platform/policy.ts'

/** Stored email settings; passwords are kept here and never leave the server. */
export type StoredEmailSettings = Required<Pick<EmailSettingsInput, 'addresses'>> & {
  displayName: string
  signature: string
  imap: EmailSettingsInput['imap'] | null
  smtp: EmailSettingsInput['smtp'] | null
}

type InboxRow = { id: number; name: string; type: string; teamId: number | null; autoReply: unknown; emailSettings: unknown; createdAt: number }

export const readEmailSettings = (row: { emailSettings: unknown }): StoredEmailSettings | null => readJson<StoredEmailSettings | null>(row.emailSettings, null)

type ImapStatus = EmailSettingsDto['imapStatus']

function presentEmail(s: StoredEmailSettings | null, imapStatus: ImapStatus): EmailSettingsDto | null {
  if (!s) return null
  const hide = <T extends { password?: string }>(v: T | null | undefined) => {
    if (!v) return null
    const { password, ...rest } = v
    return { ...rest, hasPassword: !!password }
  }
  return {
    addresses: s.addresses,
    displayName: s.displayName,
    signature: s.signature,
    imap: hide(s.imap),
    smtp: hide(s.smtp),
    imapStatus: s.imap ? imapStatus : null,
  }
}

const present = (r: InboxRow, imapStatus: ImapStatus = null): InboxDto => ({
  id: r.id,
  name: r.name,
  type: r.type as InboxType,
  teamId: r.teamId,
  autoReply: { onceEveryHours: AUTO_REPLY_DEFAULT_HOURS, ...readJson(r.autoReply, { enabled: false, subject: '', body: '' }) },
  email: presentEmail(readEmailSettings(r), imapStatus),
  createdAt: r.createdAt,
})

async function imapStatuses(db: Executor): Promise<Map<number, NonNullable<ImapStatus>>> {
  const rows = await db.selectFrom('imapState').select(['inboxId', 'status', 'lastError', 'lastRunAt', 'lastSuccessAt', 'importedCount']).execute()
  return new Map(rows.map(({ inboxId, ...status }) => [inboxId, status]))
}

export async function listInboxes(db: Executor): Promise<InboxDto[]> {
  const statuses = await imapStatuses(db)
  return (await db.selectFrom('inboxes').selectAll().orderBy('id').execute()).map((r) => present(r, statuses.get(r.id) ?? null))
}

export async function findInboxRow(db: Executor, id: number) {
  return db.selectFrom('inboxes').selectAll().where('id', '=', id).executeTakeFirst()
}

/** What mail handling reads of an inbox (not the chat settings, which the chat module writes on its own). */
export type InboxSnapshot = InboxRow

/**
 * Every inbound email reads its inbox and every address we receive mail at: cached per app and dropped (here and on
 * the other nodes) by every change to inboxes below. The TTL covers a missed cluster message and inboxes the demo
 * seed writes directly.
 */
const inboxSnapshots = keyedCache<number, InboxSnapshot | null>('inbox-snapshots', { ttlMs: 60_000, maxEntries: 1000 })
const addressBook = cachedValue<ReadonlyMap<string, number>>('inbox-addresses', { ttlMs: 60_000 })

/** The inbox as mail handling needs it (cached; see above); undefined when there is none. Outside transactions only. */
export async function findInboxSnapshot(ctx: Ctx, id: number): Promise<InboxSnapshot | undefined> {
  const row = await inboxSnapshots.get(ctx, id, async () => {
    const found = await ctx.db
      .selectFrom('inboxes')
      .select(['id', 'name', 'type', 'teamId', 'autoReply', 'emailSettings', 'createdAt'])
      .where('id', '=', id)
      .executeTakeFirst()
    return found ?? null
  })
  return row ?? undefined
}

/** Every address our email inboxes receive at, with its inbox (cached; see above). Outside transactions only. */
export function inboxAddressBook(ctx: Ctx): Promise<ReadonlyMap<string, number>> {
  return addressBook.get(ctx, async () => {
    const rows = await ctx.db.selectFrom('inboxAddresses').select(['address', 'inboxId']).execute()
    return new Map(rows.map((r) => [r.address, r.inboxId]))
  })
}

/** Call after committing a change to an inbox (its row or its addresses). */
function inboxChanged(ctx: Ctx, id: number): void {
  inboxSnapshots.invalidate(ctx, id)
  addressBook.invalidate(ctx)
}

export async function getInbox(db: Executor, id: number): Promise<InboxDto> {
  const row = await findInboxRow(db, id)
  if (!row) throw notFound('Inbox', id)
  return present(row, (await imapStatuses(db)).get(id) ?? null)
}

async function assertTeam(db: Executor, teamId: number | null | undefined) {
  if (teamId == null) return
  if (!(await db.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst())) throw unprocessable(`Team ${teamId} does not exist`)
}

/** Merges new email settings over the stored ones (a blank password keeps the stored one) and claims the addresses. */
async function saveEmailSettings(db: Executor, inboxId: number, input: EmailSettingsInput, previous: StoredEmailSettings | null): Promise<StoredEmailSettings> {
  const addresses = [...new Set(input.addresses.map((a) => a.trim().toLowerCase()))]
  const taken = await db.selectFrom('inboxAddresses').select(['address', 'inboxId']).where('address', 'in', addresses).where('inboxId', '!=', inboxId).execute()
  if (taken.length) throw conflict(`${taken[0]!.address} already belongs to inbox ${taken[0]!.inboxId}`)
  const keepPassword = <T extends { password?: string }>(next: T | null | undefined, prev: T | null | undefined): T | null => {
    if (!next) return next === undefined ? (prev ?? null) : null
    return { ...next, password: next.password || prev?.password }
  }
  const stored: StoredEmailSettings = {
    addresses,
    displayName: input.displayName ?? previous?.displayName ?? '',
    signature: input.signature ?? previous?.signature ?? '',
    imap: keepPassword(input.imap, previous?.imap),
    smtp: keepPassword(input.smtp, previous?.smtp),
  }
  await db.deleteFrom('inboxAddresses').where('inboxId', '=', inboxId).execute()
  await db
    .insertInto('inboxAddresses')
    .values(addresses.map((address) => ({ address, inboxId })))
    .execute()
  await db
    .updateTable('inboxes')
    .set({ emailSettings: writeJson(stored) })
    .where('id', '=', inboxId)
    .execute()
  return stored
}

export async function createInbox(
  ctx: Ctx,
  actor: Actor,
  input: { name: string; type?: 'api' | 'web_form' | 'email' | 'chat'; teamId?: number | null; email?: EmailSettingsInput },
): Promise<InboxDto> {
  if (!canAdminister(actor)) throw forbidden('create inboxes')
  const type = input.type ?? (input.email ? 'email' : 'api')
  if (type === 'email' && !input.email) throw unprocessable('An email inbox needs email settings with at least one address')
  await assertTeam(ctx.db, input.teamId)
  const id = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('inboxes')
      .values({
        name: input.name,
        type,
        teamId: input.teamId ?? null,
        autoReply: writeJson({ enabled: false, subject: '', body: '' }),
        emailSettings: null,
        createdAt: now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    if (input.email) await saveEmailSettings(trx, row.id, input.email, null)
    return row.id
  })
  inboxChanged(ctx, id)
  return getInbox(ctx.db, id)
}

export async function updateInbox(
  ctx: Ctx,
  actor: Actor,
  id: number,
  patch: { name?: string; teamId?: number | null; autoReply?: InboxDto['autoReply']; email?: EmailSettingsInput },
): Promise<InboxDto> {
  if (!canAdminister(actor)) throw forbidden('change inboxes')
  const row = await findInboxRow(ctx.db, id)
  if (!row) throw notFound('Inbox', id)
  if (patch.email && row.type !== 'email') throw unprocessable('Only email inboxes have email settings')
  await assertTeam(ctx.db, patch.teamId)
  const fields = {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.teamId !== undefined ? { teamId: patch.teamId } : {}),
    ...(patch.autoReply !== undefined ? { autoReply: writeJson(patch.autoReply) } : {}),
  }
  await ctx.db.transaction().execute(async (trx) => {
    // A patch of the email settings alone changes no column here (an empty SET is a syntax error).
    if (Object.keys(fields).length) await trx.updateTable('inboxes').set(fields).where('id', '=', id).execute()
    if (patch.email) await saveEmailSettings(trx, id, patch.email, readEmailSettings(row))
  })
  inboxChanged(ctx, id)
  return getInbox(ctx.db, id)
}
