import type { ContactExportFilters, TicketExportFilters } from '@allhands/contract'
import type { Executor } from '../../platform/context.ts'
import type { Cell } from '../reports/reports.csv.ts'

/**
 * The rows of a tickets or contacts export, read in keyset batches by id (the primary key), so each batch costs the
 * same at the first and the millionth row. A row is a flat record: the CSV writes its values in column order, the
 * JSON writes it as an object (lists stay arrays there).
 */
export type ExportRow = Record<string, Cell | string[]>

const iso = (t: number | string | null) => (t === null ? null : new Date(Number(t)).toISOString())

export const TICKET_COLUMNS = [
  'id',
  'subject',
  'status',
  'priority',
  'inbox_id',
  'inbox',
  'requester_id',
  'requester_name',
  'requester_email',
  'organization_id',
  'organization',
  'assignee_id',
  'assignee',
  'team_id',
  'team',
  'tags',
  'message_count',
  'merged_into_id',
  'created_at',
  'updated_at',
  'first_response_at',
  'solved_at',
]

export const CONTACT_COLUMNS = ['id', 'name', 'emails', 'organization_id', 'organization', 'vip', 'notes', 'ticket_count', 'created_at', 'updated_at']

/** How many rows the filters match (for the progress bar; counted once when the export starts). */
export async function countExportRows(db: Executor, kind: 'tickets' | 'contacts', filters: TicketExportFilters | ContactExportFilters): Promise<number> {
  const row =
    kind === 'tickets'
      ? await ticketQuery(db, filters as TicketExportFilters)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirst()
      : await contactQuery(db, filters as ContactExportFilters)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirst()
  return Number(row?.n ?? 0)
}

function ticketQuery(db: Executor, f: TicketExportFilters) {
  let q = db.selectFrom('tickets')
  if (f.status?.length) q = q.where('tickets.status', 'in', f.status)
  if (f.inboxId !== undefined) q = q.where('tickets.inboxId', '=', f.inboxId)
  if (f.createdFrom !== undefined) q = q.where('tickets.createdAt', '>=', f.createdFrom)
  if (f.createdTo !== undefined) q = q.where('tickets.createdAt', '<', f.createdTo)
  return q
}

function contactQuery(db: Executor, f: ContactExportFilters) {
  let q = db.selectFrom('contacts').where('contacts.mergedIntoId', 'is', null)
  if (f.organizationId !== undefined) q = q.where('contacts.organizationId', '=', f.organizationId)
  if (f.createdFrom !== undefined) q = q.where('contacts.createdAt', '>=', f.createdFrom)
  if (f.createdTo !== undefined) q = q.where('contacts.createdAt', '<', f.createdTo)
  return q
}

async function emailsOf(db: Executor, contactIds: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>()
  if (!contactIds.length) return out
  const rows = await db
    .selectFrom('contactIdentities')
    .select(['contactId', 'value'])
    .where('contactId', 'in', contactIds)
    .where('kind', '=', 'email')
    .orderBy('id')
    .execute()
  for (const r of rows) out.set(r.contactId, [...(out.get(r.contactId) ?? []), r.value])
  return out
}

/** The next batch of tickets after `afterId`, with names and tags resolved. */
export async function ticketBatch(db: Executor, f: TicketExportFilters, afterId: number, limit: number): Promise<{ rows: ExportRow[]; lastId: number | null }> {
  const tickets = await ticketQuery(db, f)
    .leftJoin('inboxes', 'inboxes.id', 'tickets.inboxId')
    .leftJoin('contacts', 'contacts.id', 'tickets.requesterId')
    .leftJoin('organizations', 'organizations.id', 'tickets.organizationId')
    .leftJoin('users', 'users.id', 'tickets.assigneeId')
    .leftJoin('teams', 'teams.id', 'tickets.teamId')
    .select([
      'tickets.id',
      'tickets.subject',
      'tickets.status',
      'tickets.priority',
      'tickets.inboxId',
      'inboxes.name as inboxName',
      'tickets.requesterId',
      'contacts.name as requesterName',
      'tickets.organizationId',
      'organizations.name as organizationName',
      'tickets.assigneeId',
      'users.name as assigneeName',
      'tickets.teamId',
      'teams.name as teamName',
      'tickets.messageCount',
      'tickets.mergedIntoId',
      'tickets.createdAt',
      'tickets.updatedAt',
      'tickets.firstResponseAt',
      'tickets.solvedAt',
    ])
    .where('tickets.id', '>', afterId)
    .orderBy('tickets.id')
    .limit(limit)
    .execute()
  if (!tickets.length) return { rows: [], lastId: null }
  const ids = tickets.map((t) => t.id)
  const tags = await db.selectFrom('ticketTags').select(['ticketId', 'tag']).where('ticketId', 'in', ids).orderBy('tag').execute()
  const tagsOf = new Map<number, string[]>()
  for (const t of tags) tagsOf.set(t.ticketId, [...(tagsOf.get(t.ticketId) ?? []), t.tag])
  const emails = await emailsOf(db, [...new Set(tickets.map((t) => t.requesterId))])
  const rows = tickets.map((t) => ({
    id: t.id,
    subject: t.subject,
    status: t.status,
    priority: t.priority,
    inbox_id: t.inboxId,
    inbox: t.inboxName,
    requester_id: t.requesterId,
    requester_name: t.requesterName,
    requester_email: emails.get(t.requesterId)?.[0] ?? null,
    organization_id: t.organizationId,
    organization: t.organizationName,
    assignee_id: t.assigneeId,
    assignee: t.assigneeName,
    team_id: t.teamId,
    team: t.teamName,
    tags: tagsOf.get(t.id) ?? [],
    message_count: Number(t.messageCount),
    merged_into_id: t.mergedIntoId,
    created_at: iso(t.createdAt),
    updated_at: iso(t.updatedAt),
    first_response_at: iso(t.firstResponseAt),
    solved_at: iso(t.solvedAt),
  }))
  return { rows, lastId: ids.at(-1)! }
}

/** The next batch of contacts (merged ones left out: they live on in the contact they were merged into). */
export async function contactBatch(
  db: Executor,
  f: ContactExportFilters,
  afterId: number,
  limit: number,
): Promise<{ rows: ExportRow[]; lastId: number | null }> {
  const contacts = await contactQuery(db, f)
    .leftJoin('organizations', 'organizations.id', 'contacts.organizationId')
    .select([
      'contacts.id',
      'contacts.name',
      'contacts.organizationId',
      'organizations.name as organizationName',
      'contacts.vip',
      'contacts.notes',
      'contacts.createdAt',
      'contacts.updatedAt',
    ])
    .where('contacts.id', '>', afterId)
    .orderBy('contacts.id')
    .limit(limit)
    .execute()
  if (!contacts.length) return { rows: [], lastId: null }
  const ids = contacts.map((c) => c.id)
  const emails = await emailsOf(db, ids)
  const counts = await db
    .selectFrom('tickets')
    .select(['requesterId', (eb) => eb.fn.countAll<number>().as('n')])
    .where('requesterId', 'in', ids)
    .groupBy('requesterId')
    .execute()
  const countOf = new Map(counts.map((c) => [c.requesterId, Number(c.n)]))
  const rows = contacts.map((c) => ({
    id: c.id,
    name: c.name,
    emails: emails.get(c.id) ?? [],
    organization_id: c.organizationId,
    organization: c.organizationName,
    vip: !!c.vip,
    notes: c.notes,
    ticket_count: countOf.get(c.id) ?? 0,
    created_at: iso(c.createdAt),
    updated_at: iso(c.updatedAt),
  }))
  return { rows, lastId: ids.at(-1)! }
}
