import type { Priority as TicketPriority, TicketStatus } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import { type Ctx, inTransaction } from '../../platform/context.ts'
import { AppError, unprocessable } from '../../platform/errors.ts'
import { escapeHtml, htmlToText, sanitizeRichText } from '../../platform/sanitize.ts'
import { createContact, updateContact } from '../contacts/contacts.service.ts'
import { createOrganization } from '../organizations/organizations.service.ts'
import { insertMessage, type MessageContent } from '../tickets/messages.service.ts'
import { openTicket } from '../tickets/tickets.service.ts'
import { findExternalId, findExternalRow, type ImportRow, rememberExternalId } from './imports.queries.ts'
import { type ImportProcessor, importActor, type Outcome, RowError, readSource, type Unit } from './imports.source.ts'

/** Records of a Zendesk or Freshdesk export in one shape: organizations first, then people, then tickets. */
type Org = { type: 'organization'; ext: string; name: string; domain: string | null; notes: string }
type Person = { type: 'user'; ext: string; name: string; email: string | null; otherEmails: string[]; agent: boolean; orgExt: string | null; notes: string }
type Comment = { ext: string; authorExt: string | null; html: string | null; text: string | null; public: boolean; createdAt: number | null }
type Ticket = {
  type: 'ticket'
  ext: string
  subject: string
  status: TicketStatus
  priority: TicketPriority
  requesterExt: string | null
  tags: string[]
  createdAt: number | null
  updatedAt: number | null
  comments: Comment[]
}
type HelpdeskRecord = Org | Person | Ticket

const obj = (v: unknown): Record<string, any> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, any>) : {})
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])
const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null)
const idOf = (v: unknown): string | null => (typeof v === 'number' || (typeof v === 'string' && v !== '') ? String(v) : null)
const time = (v: unknown): number | null => {
  const t = typeof v === 'string' || typeof v === 'number' ? new Date(v).getTime() : Number.NaN
  return Number.isFinite(t) && t > 0 ? t : null
}

const ZENDESK_STATUS: Record<string, TicketStatus> = { new: 'new', open: 'open', pending: 'pending', hold: 'on_hold', solved: 'solved', closed: 'closed' }
const FRESHDESK_STATUS: Record<string, TicketStatus> = { '2': 'open', '3': 'pending', '4': 'solved', '5': 'closed', '6': 'on_hold', '7': 'on_hold' }
const FRESHDESK_PRIORITY: Record<string, TicketPriority> = { '1': 'low', '2': 'normal', '3': 'high', '4': 'urgent' }
const PRIORITIES: readonly string[] = ['low', 'normal', 'high', 'urgent']

/** Zendesk: `{organizations, users, tickets}` (tickets carry `comments`), or one ticket per line (NDJSON). */
function zendeskRecords(doc: Record<string, any>): HelpdeskRecord[] {
  const out: HelpdeskRecord[] = []
  for (const o of arr(doc.organizations).map(obj))
    out.push({
      type: 'organization',
      ext: idOf(o.id) ?? '',
      name: str(o.name) ?? '',
      domain: str(arr(o.domain_names)[0]),
      notes: str(o.notes) ?? str(o.details) ?? '',
    })
  for (const u of arr(doc.users).map(obj))
    out.push({
      type: 'user',
      ext: idOf(u.id) ?? '',
      name: str(u.name) ?? '',
      email: str(u.email),
      otherEmails: [],
      agent: u.role === 'agent' || u.role === 'admin',
      orgExt: idOf(u.organization_id),
      notes: str(u.notes) ?? '',
    })
  for (const t of arr(doc.tickets).map(obj))
    out.push({
      type: 'ticket',
      ext: idOf(t.id) ?? '',
      subject: str(t.subject) ?? str(t.raw_subject) ?? '',
      status: ZENDESK_STATUS[String(t.status)] ?? 'open',
      priority: PRIORITIES.includes(t.priority) ? t.priority : 'normal',
      requesterExt: idOf(t.requester_id),
      tags: arr(t.tags).filter((x): x is string => typeof x === 'string'),
      createdAt: time(t.created_at),
      updatedAt: time(t.updated_at),
      comments: arr(t.comments)
        .map(obj)
        .map((c) => ({
          ext: idOf(c.id) ?? '',
          authorExt: idOf(c.author_id),
          html: str(c.html_body),
          text: str(c.plain_body) ?? str(c.body),
          public: c.public !== false,
          createdAt: time(c.created_at),
        })),
    })
  return out
}

/** Freshdesk: `{companies, contacts, agents, tickets}` (tickets carry `conversations`; the description is the first message). */
function freshdeskRecords(doc: Record<string, any>): HelpdeskRecord[] {
  const out: HelpdeskRecord[] = []
  for (const c of arr(doc.companies).map(obj))
    out.push({
      type: 'organization',
      ext: idOf(c.id) ?? '',
      name: str(c.name) ?? '',
      domain: str(arr(c.domains)[0]),
      notes: str(c.description) ?? str(c.note) ?? '',
    })
  for (const a of arr(doc.agents).map(obj)) {
    const contact = obj(a.contact)
    out.push({
      type: 'user',
      ext: idOf(a.id) ?? '',
      name: str(contact.name) ?? '',
      email: str(contact.email),
      otherEmails: [],
      agent: true,
      orgExt: null,
      notes: '',
    })
  }
  for (const c of arr(doc.contacts).map(obj))
    out.push({
      type: 'user',
      ext: idOf(c.id) ?? '',
      name: str(c.name) ?? '',
      email: str(c.email),
      otherEmails: arr(c.other_emails).filter((x): x is string => typeof x === 'string'),
      agent: false,
      orgExt: idOf(c.company_id),
      notes: str(c.description) ?? '',
    })
  for (const t of arr(doc.tickets).map(obj)) {
    const first: Comment = {
      ext: `ticket-${idOf(t.id)}`,
      authorExt: idOf(t.requester_id),
      html: str(t.description),
      text: str(t.description_text),
      public: true,
      createdAt: time(t.created_at),
    }
    out.push({
      type: 'ticket',
      ext: idOf(t.id) ?? '',
      subject: str(t.subject) ?? '',
      status: FRESHDESK_STATUS[String(t.status)] ?? 'open',
      priority: FRESHDESK_PRIORITY[String(t.priority)] ?? 'normal',
      requesterExt: idOf(t.requester_id),
      tags: arr(t.tags).filter((x): x is string => typeof x === 'string'),
      createdAt: time(t.created_at),
      updatedAt: time(t.updated_at),
      comments: [
        first,
        ...arr(t.conversations)
          .map(obj)
          .map((c) => ({
            ext: idOf(c.id) ?? '',
            authorExt: idOf(c.user_id),
            html: str(c.body),
            text: str(c.body_text),
            public: c.private !== true,
            createdAt: time(c.created_at),
          })),
      ],
    })
  }
  return out
}

/** Parses the export; a line-per-record file (NDJSON) is read line by line, a broken line becoming a row error. */
async function* readHelpdesk(ctx: Ctx, imp: ImportRow): AsyncGenerator<Unit<HelpdeskRecord>> {
  const text = (await readSource(ctx, imp)).toString('utf8').replace(/^\uFEFF/, '')
  const toRecords = imp.kind === 'freshdesk' ? freshdeskRecords : zendeskRecords
  let index = 0
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    const lines = text.split('\n').filter((l) => l.trim())
    if (lines.length < 2) throw unprocessable('The file is not valid JSON')
    // NDJSON: each line a ticket (Zendesk's incremental export) or a {users|organizations|tickets: […]} chunk.
    for (const line of lines) {
      let value: unknown
      try {
        value = JSON.parse(line)
      } catch (err) {
        yield { index: ++index, error: new RowError(null, `Not valid JSON: ${err instanceof Error ? err.message : String(err)}`) }
        continue
      }
      const o = obj(value)
      const records = o.tickets || o.users || o.organizations || o.contacts || o.companies || o.agents ? toRecords(o) : toRecords({ tickets: [o] })
      for (const r of records) yield { index: ++index, value: r }
    }
    return
  }
  const root = Array.isArray(doc) ? { tickets: doc } : obj(doc)
  for (const r of toRecords(root)) yield { index: ++index, value: r }
}

type HelpdeskState = { actor: Actor; source: string; inboxId: number }

const sourceOf = (imp: ImportRow) => imp.kind

async function guard<T>(field: string | null, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (err) {
    if (err instanceof AppError && err.status < 500) throw new RowError(field, err.message)
    throw err
  }
}

async function importOrg(ctx: Ctx, s: HelpdeskState, o: Org): Promise<Outcome> {
  if (!o.ext) throw new RowError('id', 'The organization has no id')
  if (!o.name.trim()) throw new RowError('name', 'The organization has no name')
  if (await findExternalId(ctx.db, s.source, 'organization', o.ext)) return { result: 'skipped' }
  const domain = o.domain?.toLowerCase().trim() || null
  const existing = await ctx.db
    .selectFrom('organizations')
    .select('id')
    .where(domain ? 'domain' : 'name', '=', domain ?? o.name.trim())
    .orderBy('id')
    .limit(1)
    .executeTakeFirst()
  const id =
    existing?.id ??
    (await guard(null, () => createOrganization(ctx, s.actor, { name: o.name.trim().slice(0, 200), domain, notes: o.notes.slice(0, 10_000) }))).id
  await rememberExternalId(ctx.db, s.source, 'organization', o.ext, id, now())
  return existing ? { result: 'updated' } : { result: 'imported', report: { organizations: 1 } }
}

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/

async function importPerson(ctx: Ctx, s: HelpdeskState, u: Person): Promise<Outcome> {
  if (!u.ext) throw new RowError('id', 'The user has no id')
  const email = u.email?.trim().toLowerCase() || null
  if (email && !EMAIL.test(email)) throw new RowError('email', `"${email.slice(0, 80)}" is not a valid email address`)
  if (u.agent) {
    // Agents are matched to people who already have an account here; the others' comments keep their name only.
    const user = email ? await ctx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst() : undefined
    await rememberExternalId(ctx.db, s.source, 'agent', u.ext, user?.id ?? null, now(), u.name.trim().slice(0, 120) || email || 'Imported agent')
    return user ? { result: 'updated', report: { matchedAgents: 1 } } : { result: 'skipped', report: { unmatchedAgents: 1 } }
  }
  if (!email) throw new RowError('email', 'The user has no email address')
  const orgId = u.orgExt ? await findExternalId(ctx.db, s.source, 'organization', u.orgExt) : undefined
  const others = u.otherEmails.map((e) => e.trim().toLowerCase()).filter((e) => EMAIL.test(e) && e !== email)
  const owner = await ctx.db.selectFrom('contactIdentities').select('contactId').where('kind', '=', 'email').where('value', '=', email).executeTakeFirst()
  let contactId: number
  let outcome: Outcome
  if (owner) {
    contactId = owner.contactId
    if (orgId) await guard(null, () => updateContact(ctx, s.actor, contactId, { organizationId: orgId }))
    outcome = { result: 'updated' }
  } else {
    const free = others.length
      ? (await ctx.db.selectFrom('contactIdentities').select('value').where('kind', '=', 'email').where('value', 'in', others).execute()).map((r) => r.value)
      : []
    contactId = (
      await guard(null, () =>
        createContact(ctx, s.actor, {
          name: u.name.trim().slice(0, 200) || email.split('@')[0]!,
          emails: [email, ...others.filter((e) => !free.includes(e))],
          ...(orgId ? { organizationId: orgId } : {}),
          notes: u.notes.slice(0, 10_000),
        }),
      )
    ).id
    outcome = { result: 'imported', report: { contacts: 1 } }
  }
  await rememberExternalId(ctx.db, s.source, 'contact', u.ext, contactId, now())
  return outcome
}

function contentOf(c: Comment): MessageContent {
  const rawHtml = c.html?.trim() || ''
  const html = rawHtml
    ? sanitizeRichText(rawHtml)
    : (c.text ?? '')
        .split(/\n{2,}/)
        .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
        .join('')
  const text = (c.text?.trim() || htmlToText(rawHtml)).slice(0, 200_000)
  return { html, text, fullText: text }
}

async function importTicket(ctx: Ctx, s: HelpdeskState, t: Ticket): Promise<Outcome> {
  if (!t.ext) throw new RowError('id', 'The ticket has no id')
  const existing = await findExternalId(ctx.db, s.source, 'ticket', t.ext)
  if (existing && (await ctx.db.selectFrom('tickets').select('id').where('id', '=', existing).executeTakeFirst())) return { result: 'skipped' }
  const comments = t.comments.filter((c) => (c.text ?? c.html ?? '').trim())
  if (!comments.length) throw new RowError('comments', 'The ticket has no comments to import')
  if (!t.requesterExt) throw new RowError('requester_id', 'The ticket has no requester')
  const requesterId = await findExternalId(ctx.db, s.source, 'contact', t.requesterExt)
  if (!requesterId) throw new RowError('requester_id', `The requester ${t.requesterExt} is not among the imported users`)
  const author = async (c: Comment) => {
    if (!c.authorExt) return { kind: 'agent' as const, userId: null, name: 'Imported agent' }
    const contactId = await findExternalId(ctx.db, s.source, 'contact', c.authorExt)
    if (contactId) return { kind: 'customer' as const, contactId }
    const agent = await findExternalRow(ctx.db, s.source, 'agent', c.authorExt)
    return { kind: 'agent' as const, userId: agent?.localId ?? null, name: agent?.label ?? 'Imported agent' }
  }
  const label = s.source === 'zendesk' ? 'Zendesk' : 'Freshdesk'
  const resolved = await Promise.all(comments.map(async (c) => ({ c, by: await author(c) })))
  const created = t.createdAt ?? comments[0]!.createdAt ?? now()
  let messages = 0
  await inTransaction(ctx, async (trx, emit) => {
    const first = resolved[0]!
    const { ticketId, messageId } = await openTicket(trx, ctx, emit, {
      subject: (t.subject.trim() || '(no subject)').slice(0, 300),
      inboxId: s.inboxId,
      requesterId,
      content: contentOf(first.c),
      status: t.status,
      priority: t.priority,
      tags: t.tags.map((x) => x.slice(0, 60)).slice(0, 50),
      uploaderId: null,
      actorId: null,
      emailMeta: { notes: [`Imported from ${label} ticket ${t.ext}`] },
    })
    messages++
    let last = { at: first.c.createdAt ?? created, id: messageId }
    await trx.updateTable('messages').set({ createdAt: last.at }).where('id', '=', messageId).execute()
    let firstResponseAt: number | null = null
    for (const { c, by } of resolved.slice(1)) {
      const at = c.createdAt ?? last.at
      const content = contentOf(c)
      const kind = !c.public ? 'note' : by.kind === 'customer' ? 'customer' : 'reply'
      const m = await insertMessage(trx, {
        ticketId,
        kind,
        content,
        authorUserId: by.kind === 'agent' ? by.userId : null,
        authorContactId: by.kind === 'customer' ? by.contactId : null,
        uploaderId: null,
        deliveryStatus: kind === 'reply' ? 'sent' : null,
        emailMeta:
          by.kind === 'agent' && by.userId === null
            ? { from: by.name, notes: [`Written by ${by.name} in ${label} (no matching user here)`] }
            : { notes: [`Imported from ${label}`] },
        createdAt: at,
      })
      if (kind === 'reply' && firstResponseAt === null) firstResponseAt = at
      last = { at, id: m.id }
      messages++
    }
    const solved = t.status === 'solved' || t.status === 'closed'
    await trx
      .updateTable('tickets')
      .set({
        createdAt: created,
        lastMessageAt: last.at,
        updatedAt: t.updatedAt ?? last.at,
        firstResponseAt,
        solvedAt: solved ? (t.updatedAt ?? last.at) : null,
      })
      .where('id', '=', ticketId)
      .execute()
    if (solved) {
      // A ticket solved in the other help desk is history: the satisfaction survey scheduler makes one request per
      // (ticket, solve) and skips solves that have one, so a skipped request keeps it from mailing the customer.
      const t0 = now()
      await trx
        .insertInto('csatRequests')
        .values({
          ticketId,
          contactId: requesterId,
          email: null,
          solvedAt: t.updatedAt ?? last.at,
          tokenHash: null,
          status: 'skipped',
          skipReason: 'imported',
          scale: '5',
          sendAt: t0,
          sentAt: null,
          expiresAt: t0,
          ratedAt: null,
          score: null,
          comment: null,
          createdAt: t0,
        })
        .onConflict((oc) => oc.columns(['ticketId', 'solvedAt']).doNothing())
        .execute()
    }
    await rememberExternalId(trx, s.source, 'ticket', t.ext, ticketId, now())
  })
  return { result: 'imported', report: { tickets: 1, messages } }
}

export const helpdeskProcessor: ImportProcessor<HelpdeskRecord, HelpdeskState> = {
  read: readHelpdesk,
  async prepare(ctx, imp) {
    const inbox = imp.inboxId ? await ctx.db.selectFrom('inboxes').select('id').where('id', '=', imp.inboxId).executeTakeFirst() : undefined
    if (!inbox) throw unprocessable('Choose the inbox the imported tickets go to')
    return { actor: await importActor(ctx, imp), source: sourceOf(imp), inboxId: inbox.id }
  },
  process(ctx, _imp, s, unit) {
    const r = unit.value
    return r.type === 'organization' ? importOrg(ctx, s, r) : r.type === 'user' ? importPerson(ctx, s, r) : importTicket(ctx, s, r)
  },
}
