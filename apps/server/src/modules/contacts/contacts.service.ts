import type { ContactDto, CustomFieldValues } from '@allhands/contract'
import { sql } from 'kysely'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import { type Ctx, type Executor, inTransaction } from '../../platform/context.ts'
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts'
import { conflict, forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import { readJson, writeJson } from '../../platform/json.ts'
import { canEditContacts, canViewContacts } from '../../platform/policy.ts'
import { contactTsVector, indexContact, searchContactIds, unindexContact } from '../../platform/search.ts'
import type { Dialect } from '../../db/database.ts'
import { validateCustomFields } from '../custom-fields/custom-fields.service.ts'
import { findOrganizationByDomain } from '../organizations/organizations.service.ts'
import { reassessTickets } from '../risk/index.ts'

type ContactInput = { name: string; emails: string[]; organizationId?: number | null; notes?: string; customFields?: CustomFieldValues; vip?: boolean }

export async function presentContacts(db: Executor, ids: number[]): Promise<ContactDto[]> {
  if (!ids.length) return []
  const rows = await db
    .selectFrom('contacts')
    .leftJoin('organizations', 'organizations.id', 'contacts.organizationId')
    .select([
      'contacts.id',
      'contacts.name',
      'contacts.organizationId',
      'contacts.notes',
      'contacts.customFields',
      'contacts.vip',
      'contacts.createdAt',
      'organizations.name as organizationName',
    ])
    .where('contacts.id', 'in', ids)
    .execute()
  const identities = await db
    .selectFrom('contactIdentities')
    .select(['contactId', 'kind', 'value'])
    .where('contactId', 'in', ids)
    .where('kind', 'in', ['email', 'phone'])
    .orderBy('id')
    .execute()
  const counts = await db
    .selectFrom('tickets')
    .select(['requesterId', (eb) => eb.fn.countAll<number>().as('n')])
    .where('requesterId', 'in', ids)
    .groupBy('requesterId')
    .execute()
  const byId = new Map(rows.map((r) => [r.id, r]))
  return ids
    .map((id) => byId.get(id))
    .filter((r) => r !== undefined)
    .map((r) => ({
      id: r.id,
      name: r.name,
      emails: identities.filter((i) => i.contactId === r.id && i.kind === 'email').map((i) => i.value),
      phones: identities.filter((i) => i.contactId === r.id && i.kind === 'phone').map((i) => i.value),
      organizationId: r.organizationId,
      organizationName: r.organizationName ?? null,
      notes: r.notes,
      customFields: readJson(r.customFields, {}),
      vip: !!r.vip,
      ticketCount: Number(counts.find((c) => c.requesterId === r.id)?.n ?? 0),
      createdAt: r.createdAt,
    }))
}

/** A merged contact resolves to the one it was merged into. */
async function resolveContactId(db: Executor, id: number): Promise<number> {
  let current = id
  for (let i = 0; i < 10; i++) {
    const row = await db.selectFrom('contacts').select(['id', 'mergedIntoId']).where('id', '=', current).executeTakeFirst()
    if (!row) throw notFound('Contact', id)
    if (row.mergedIntoId === null) return row.id
    current = row.mergedIntoId
  }
  return current
}

export async function getContact(ctx: Ctx, actor: Actor, id: number): Promise<ContactDto> {
  if (!canViewContacts(actor)) throw forbidden('see contacts')
  const [contact] = await presentContacts(ctx.db, [await resolveContactId(ctx.db, id)])
  if (!contact) throw notFound('Contact', id)
  return contact
}

export async function listContacts(ctx: Ctx, actor: Actor, query: { q?: string; organization?: number; cursor?: string; limit?: number }) {
  if (!canViewContacts(actor)) throw forbidden('see contacts')
  const limit = query.limit ?? 50
  if (query.q) return { items: await presentContacts(ctx.db, await searchContactIds(ctx.db, ctx.dialect, query.q, limit)), nextCursor: null }
  const after = decodeCursor(query.cursor, 1)
  let q = ctx.db
    .selectFrom('contacts')
    .select('id')
    .where('mergedIntoId', 'is', null)
    .orderBy('id', 'desc')
    .limit(limit + 1)
  if (query.organization) q = q.where('organizationId', '=', query.organization)
  if (after) q = q.where('id', '<', Number(after[0]))
  const rows = await q.execute()
  const page = rows.slice(0, limit)
  return {
    items: await presentContacts(
      ctx.db,
      page.map((r) => r.id),
    ),
    nextCursor: rows.length > limit ? encodeCursor([page[page.length - 1]!.id]) : null,
  }
}

async function assertEmailsFree(db: Executor, emails: string[], exceptContactId?: number) {
  if (!emails.length) return
  const taken = await db.selectFrom('contactIdentities').select(['value', 'contactId']).where('kind', '=', 'email').where('value', 'in', emails).execute()
  const clash = taken.find((t) => t.contactId !== exceptContactId)
  if (clash) throw conflict(`${clash.value} already belongs to contact ${clash.contactId}`, { contactId: clash.contactId })
}

async function reindex(db: Executor, dialect: Dialect, id: number) {
  const [c] = await presentContacts(db, [id])
  if (c) await indexContact(db, dialect, id, c.name, c.emails)
}

/** Inserts a contact with its email identities; no permission check (callers decide). */
export async function insertContact(db: Executor, dialect: Dialect, input: ContactInput): Promise<number> {
  return (await insertContactRef(db, dialect, input, {})).id
}

/** `emailsChecked`: the caller has just found the addresses free, under the lock of findOrCreateContact. */
async function insertContactRef(db: Executor, dialect: Dialect, input: ContactInput, opts: { emailsChecked?: boolean }): Promise<ContactRef> {
  const emails = [...new Set(input.emails.map(emailIdentity))]
  if (!opts.emailsChecked) await assertEmailsFree(db, emails)
  const t = now()
  const organizationId = input.organizationId !== undefined ? input.organizationId : emails[0] ? await findOrganizationByDomain(db, emails[0]) : null
  const row = await db
    .insertInto('contacts')
    .values({
      name: input.name,
      organizationId,
      notes: input.notes ?? '',
      customFields: writeJson(input.customFields ?? {}),
      mergedIntoId: null,
      vip: input.vip ? 1 : 0,
      createdAt: t,
      updatedAt: t,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  if (emails.length)
    await db
      .insertInto('contactIdentities')
      .values(emails.map((value) => ({ contactId: row.id, kind: 'email', value, createdAt: t })))
      .execute()
  await indexContact(db, dialect, row.id, input.name, emails)
  return { id: row.id, name: input.name, organizationId }
}

/** What a new ticket needs of its requester. */
export interface ContactRef {
  id: number
  name: string
  organizationId: number | null
  /** Created by this call (findOrCreateContact), in the caller's transaction. */
  created?: boolean
}

/** The contact owning an email address, created on first contact (the requester of a new ticket). */
export async function findOrCreateContactByEmail(db: Executor, dialect: Dialect, email: string, name?: string, looked?: LookedUpContact): Promise<number> {
  return (await findOrCreateContact(db, dialect, email, name, looked)).id
}

/** An email address as contact identities keep it. */
export const emailIdentity = (email: string) => email.trim().toLowerCase()

/** The contact owning an email address (emailIdentity), as findOrCreateContact reads it: for a caller's own union. */
export function contactByEmail(db: Executor, email: string) {
  return db
    .selectFrom('contactIdentities')
    .innerJoin('contacts', 'contacts.id', 'contactIdentities.contactId')
    .select(['contacts.id', 'contacts.name', 'contacts.organizationId', 'contacts.mergedIntoId'])
    .where('contactIdentities.kind', '=', 'email')
    .where('contactIdentities.value', '=', emailIdentity(email))
}
export type ContactLookup = { id: number; name: string; organizationId: number | null; mergedIntoId: number | null }
/** What a caller's own read of contactByEmail found for an address (nothing: `found` undefined). */
export type LookedUpContact = { found: ContactLookup | undefined }

/**
 * findOrCreateContactByEmail with the contact's name and organization (read in the same query). `looked`: the caller
 * has just read contactByEmail for this address itself (in one round trip with other reads) and found this.
 */
export async function findOrCreateContact(db: Executor, dialect: Dialect, email: string, name?: string, looked?: LookedUpContact): Promise<ContactRef> {
  const value = emailIdentity(email)
  const find = () => contactByEmail(db, value).executeTakeFirst()
  let existing = looked ? looked.found : await find()
  const contactName = name?.trim() || value.split('@')[0] || value
  if (!existing && dialect === 'postgres') {
    const created = await insertContactForNewAddress(db, value, contactName)
    if (created) return created
    existing = await find()
  }
  if (existing?.mergedIntoId === null) return { id: existing.id, name: existing.name, organizationId: existing.organizationId }
  if (existing) {
    const id = await resolveContactId(db, existing.mergedIntoId)
    const row = await db.selectFrom('contacts').select(['id', 'name', 'organizationId']).where('id', '=', id).executeTakeFirstOrThrow()
    return row
  }
  // SQLite: one writer at a time, so nobody created the contact since the lookup.
  return { ...(await insertContactRef(db, dialect, { name: contactName, emails: [value] }, { emailsChecked: true })), created: true }
}

/**
 * PostgreSQL: the contact for an address nobody had a moment ago, with its organization (by the address's domain),
 * search document and identity, in one statement (a round trip, not six: most mail from a new sender opens a ticket).
 * Several first messages from one new address at once (concurrent mail, a burst of API calls): the identity's unique
 * key makes the later insert wait for the earlier transaction; when that one commits, the later identity is not
 * inserted, its contact row is deleted again and undefined tells the caller to find the other's contact.
 */
async function insertContactForNewAddress(db: Executor, value: string, name: string): Promise<ContactRef | undefined> {
  const t = now()
  const domain = value.split('@')[1] ?? null
  const { rows } = await sql<{ id: number; organizationId: number | null; claimed: number | null }>`
    WITH contact AS (
      INSERT INTO contacts (name, organization_id, notes, custom_fields, merged_into_id, vip, created_at, updated_at, search_vector)
      VALUES (${name}, (SELECT id FROM organizations WHERE domain = ${domain} ORDER BY id LIMIT 1), '', '{}', NULL, 0, ${t}, ${t}, ${contactTsVector(name, [value])})
      RETURNING id, organization_id
    ), identity AS (
      INSERT INTO contact_identities (contact_id, kind, value, created_at) SELECT id, 'email', ${value}, ${t} FROM contact
      ON CONFLICT (kind, value) DO NOTHING
      RETURNING contact_id
    )
    SELECT contact.id, contact.organization_id, identity.contact_id AS claimed FROM contact LEFT JOIN identity ON true`.execute(db)
  const row = rows[0]!
  if (row.claimed !== null) return { id: row.id, name, organizationId: row.organizationId, created: true }
  await db.deleteFrom('contacts').where('id', '=', row.id).execute()
  return undefined
}

export async function createContact(ctx: Ctx, actor: Actor, input: ContactInput): Promise<ContactDto> {
  if (!canEditContacts(actor)) throw forbidden('create contacts')
  const customFields = await validateCustomFields(ctx.db, 'contact', input.customFields)
  if (input.organizationId) await assertOrganization(ctx.db, input.organizationId)
  const id = await inTransaction(ctx, async (trx, emit) => {
    const contactId = await insertContact(trx, ctx.dialect, { ...input, customFields })
    emit({ name: 'contact.created', payload: { contactId } })
    return contactId
  })
  return getContact(ctx, actor, id)
}

async function assertOrganization(db: Executor, id: number) {
  if (!(await db.selectFrom('organizations').select('id').where('id', '=', id).executeTakeFirst())) throw unprocessable(`Organization ${id} does not exist`)
}

export async function updateContact(ctx: Ctx, actor: Actor, id: number, patch: Partial<ContactInput>): Promise<ContactDto> {
  if (!canEditContacts(actor)) throw forbidden('change contacts')
  const current = await getContact(ctx, actor, id)
  if (patch.organizationId) await assertOrganization(ctx.db, patch.organizationId)
  const customFields = patch.customFields ? { ...current.customFields, ...(await validateCustomFields(ctx.db, 'contact', patch.customFields)) } : undefined
  await ctx.db.transaction().execute(async (trx) => {
    const t = now()
    await trx
      .updateTable('contacts')
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.organizationId !== undefined ? { organizationId: patch.organizationId } : {}),
        ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
        ...(customFields ? { customFields: writeJson(customFields) } : {}),
        ...(patch.vip !== undefined ? { vip: patch.vip ? 1 : 0 } : {}),
        updatedAt: t,
      })
      .where('id', '=', current.id)
      .execute()
    if (patch.emails) {
      const emails = [...new Set(patch.emails.map(emailIdentity))]
      await assertEmailsFree(trx, emails, current.id)
      await trx.deleteFrom('contactIdentities').where('contactId', '=', current.id).where('kind', '=', 'email').execute()
      if (emails.length)
        await trx
          .insertInto('contactIdentities')
          .values(emails.map((value) => ({ contactId: current.id, kind: 'email', value, createdAt: t })))
          .execute()
    }
    if (patch.organizationId !== undefined)
      await trx.updateTable('tickets').set({ organizationId: patch.organizationId }).where('requesterId', '=', current.id).execute()
    await reindex(trx, ctx.dialect, current.id)
  })
  if (patch.vip !== undefined && patch.vip !== current.vip) await reassessOpenTicketsOf(ctx, 'requesterId', current.id)
  return getContact(ctx, actor, current.id)
}

/** A VIP flag or tier change shows on the person's (or organization's) waiting tickets at once. */
export async function reassessOpenTicketsOf(ctx: Ctx, column: 'requesterId' | 'organizationId', id: number): Promise<void> {
  const rows = await ctx.db
    .selectFrom('tickets')
    .select('id')
    .where(column, '=', id)
    .where('status', 'in', ['new', 'open', 'pending', 'on_hold'])
    .limit(500)
    .execute()
  await reassessTickets(
    ctx,
    rows.map((r) => r.id),
  )
}

/** Moves identities and tickets of one contact to another and leaves a redirect behind. */
export async function mergeContacts(ctx: Ctx, actor: Actor, fromId: number, intoId: number): Promise<ContactDto> {
  if (!canEditContacts(actor)) throw forbidden('merge contacts')
  const from = await resolveContactId(ctx.db, fromId)
  const into = await resolveContactId(ctx.db, intoId)
  if (from === into) throw unprocessable('A contact cannot be merged into itself')
  await ctx.db.transaction().execute(async (trx) => {
    const target = await trx.selectFrom('contacts').select(['organizationId', 'notes']).where('id', '=', into).executeTakeFirstOrThrow()
    const source = await trx.selectFrom('contacts').select(['organizationId', 'notes']).where('id', '=', from).executeTakeFirstOrThrow()
    await trx.updateTable('contactIdentities').set({ contactId: into }).where('contactId', '=', from).execute()
    await trx
      .updateTable('tickets')
      .set({ requesterId: into, organizationId: target.organizationId ?? source.organizationId })
      .where('requesterId', '=', from)
      .execute()
    await trx.updateTable('messages').set({ authorContactId: into }).where('authorContactId', '=', from).execute()
    await trx
      .updateTable('contacts')
      .set({
        organizationId: target.organizationId ?? source.organizationId,
        notes: [target.notes, source.notes].filter(Boolean).join('\n\n'),
        updatedAt: now(),
      })
      .where('id', '=', into)
      .execute()
    await trx.updateTable('contacts').set({ mergedIntoId: into, updatedAt: now() }).where('id', '=', from).execute()
    await unindexContact(trx, ctx.dialect, from)
    await reindex(trx, ctx.dialect, into)
  })
  return getContact(ctx, actor, into)
}
