import { CompiledQuery, sql } from 'kysely'
import type { Database, Dialect } from '../../db/database.ts'
import type { Executor } from '../../platform/context.ts'
import { normalizeBody } from '../../platform/sanitize.ts'
import type { GenTicket } from './generate.ts'

/**
 * Batched inserts for demo and benchmark data, search index included, on both dialects.
 * Rows carry explicit ids (so messages can point at their ticket without a round trip per row);
 * on PostgreSQL the serial sequences are moved past them afterwards by finishBulkLoad().
 */

/** Next free id per table; advanced as rows are written. */
export interface IdCursor {
  organization: number
  contact: number
  identity: number
  ticket: number
  message: number
}

export async function nextIds(db: Executor): Promise<IdCursor> {
  const max = async (table: 'organizations' | 'contacts' | 'contactIdentities' | 'tickets' | 'messages') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.max<number>('id').as('m'))
          .executeTakeFirst()
      )?.m ?? 0,
    ) + 1
  return {
    organization: await max('organizations'),
    contact: await max('contacts'),
    identity: await max('contactIdentities'),
    ticket: await max('tickets'),
    message: await max('messages'),
  }
}

/** Parameters per statement stay well under SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMS = 30_000

/** Multi-row INSERT: `rowSql` is one row's VALUES tuple with `?` placeholders (renumbered to $n on PostgreSQL). */
async function insertMany(db: Executor, dialect: Dialect, head: string, rowSql: string, rows: unknown[][]): Promise<void> {
  if (!rows.length) return
  const perStatement = Math.max(1, Math.min(1000, Math.floor(MAX_PARAMS / rows[0]!.length)))
  for (let i = 0; i < rows.length; i += perStatement) {
    const part = rows.slice(i, i + perStatement)
    let text = `${head} VALUES ${part.map(() => rowSql).join(', ')}`
    if (dialect === 'postgres') {
      let n = 0
      text = text.replace(/\?/g, () => `$${++n}`)
    }
    await db.executeQuery(CompiledQuery.raw(text, part.flat()))
  }
}

const json = (dialect: Dialect) => (dialect === 'postgres' ? '?::jsonb' : '?')

export interface OrganizationRow {
  name: string
  domain: string
  customFields: Record<string, unknown>
  createdAt: number
}

export async function insertOrganizations(database: Database, ids: IdCursor, orgs: OrganizationRow[]): Promise<number[]> {
  const { dialect } = database
  const assigned = orgs.map(() => ids.organization++)
  await database.db.transaction().execute(async (trx) => {
    const rows = orgs.map((o, i) => [assigned[i], o.name, o.domain, '', JSON.stringify(o.customFields), o.createdAt, o.createdAt])
    await insertMany(
      trx,
      dialect,
      'INSERT INTO organizations (id, name, domain, notes, custom_fields, created_at, updated_at)',
      `(?, ?, ?, ?, ${json(dialect)}, ?, ?)`,
      rows,
    )
    if (dialect === 'sqlite') {
      await insertMany(
        trx,
        dialect,
        'INSERT INTO organizations_fts (rowid, name, domain)',
        '(?, ?, ?)',
        orgs.map((o, i) => [assigned[i], o.name, o.domain]),
      )
    }
  })
  return assigned
}

export interface ContactRow {
  name: string
  email: string
  organizationId: number | null
  customFields: Record<string, unknown>
  createdAt: number
}

/** Contacts with one email identity each; indexed like platform/search.ts indexContact. */
export async function insertContacts(database: Database, ids: IdCursor, contacts: ContactRow[]): Promise<number[]> {
  const { dialect } = database
  const assigned = contacts.map(() => ids.contact++)
  await database.db.transaction().execute(async (trx) => {
    const searchable = (c: ContactRow) => `${c.email} ${c.email.replace(/[@.]/g, ' ')}`
    if (dialect === 'postgres') {
      const rows = contacts.map((c, i) => [
        assigned[i],
        c.name,
        c.organizationId,
        '',
        JSON.stringify(c.customFields),
        c.createdAt,
        c.createdAt,
        c.name,
        searchable(c),
      ])
      const row = `(?, ?, ?, ?, ?::jsonb, ?, ?, setweight(to_tsvector('simple', ?), 'A') || to_tsvector('simple', ?))`
      await insertMany(trx, dialect, 'INSERT INTO contacts (id, name, organization_id, notes, custom_fields, created_at, updated_at, search_vector)', row, rows)
    } else {
      const rows = contacts.map((c, i) => [assigned[i], c.name, c.organizationId, '', JSON.stringify(c.customFields), c.createdAt, c.createdAt])
      await insertMany(
        trx,
        dialect,
        'INSERT INTO contacts (id, name, organization_id, notes, custom_fields, created_at, updated_at)',
        '(?, ?, ?, ?, ?, ?, ?)',
        rows,
      )
      await insertMany(
        trx,
        dialect,
        'INSERT INTO contacts_fts (rowid, name, identities)',
        '(?, ?, ?)',
        contacts.map((c, i) => [assigned[i], c.name, c.email]),
      )
    }
    const identities = contacts.map((c, i) => [ids.identity++, assigned[i], 'email', c.email.toLowerCase(), c.createdAt])
    await insertMany(trx, dialect, 'INSERT INTO contact_identities (id, contact_id, kind, value, created_at)', '(?, ?, ?, ?, ?)', identities)
  })
  return assigned
}

const DIRECTION = { customer: 'inbound', reply: 'outbound', note: 'internal', event: 'internal' } as const

const REVIEW_WAIT_MS = 25 * 60_000
const REVIEW_REASON = 'Your replies are reviewed before sending'

/**
 * Tickets with their messages, tags, followers, approved reviews and search document, in one transaction.
 * Activity columns (last message, count, preview) are derived from the messages as insertMessage would leave them.
 */
export async function insertTickets(database: Database, ids: IdCursor, tickets: GenTicket[]): Promise<{ ticketIds: number[]; messages: number }> {
  const { dialect } = database
  const ticketRows: unknown[][] = []
  const messageRows: unknown[][] = []
  const ftsRows: unknown[][] = []
  const tagRows: unknown[][] = []
  const followerRows: unknown[][] = []
  const reviewRows: unknown[][] = []
  const ticketIds: number[] = []
  for (const t of tickets) {
    const ticketId = ids.ticket++
    ticketIds.push(ticketId)
    const ordered = [...t.messages].sort((a, b) => a.createdAt - b.createdAt)
    let last: { id: number; at: number; text: string } | null = null
    let count = 0
    const texts: string[] = []
    for (const m of ordered) {
      const id = ids.message++
      const { html, text } = m.kind === 'event' ? { html: '', text: '' } : normalizeBody(m.text)
      messageRows.push([
        id,
        ticketId,
        m.kind,
        DIRECTION[m.kind],
        m.authorUserId,
        m.authorContactId,
        text,
        text,
        html,
        m.event ? JSON.stringify(m.event) : null,
        m.createdAt,
      ])
      // An approved held reply: the review row points at the message it became, as approving one leaves it.
      if (m.reviewerId !== undefined && m.authorUserId !== null) {
        const asked = m.createdAt - REVIEW_WAIT_MS
        reviewRows.push([ticketId, m.authorUserId, 'approved', html, text, '[]', REVIEW_REASON, m.reviewerId, html, id, asked, m.createdAt, 0, text])
      }
      if (m.kind !== 'event') {
        last = { id, at: m.createdAt, text }
        count++
        texts.push(text)
      }
    }
    const body = texts.join('\n')
    const row = [
      ticketId,
      t.subject,
      t.status,
      t.priority,
      t.inboxId,
      t.requesterId,
      t.organizationId,
      t.assigneeId,
      t.teamId,
      JSON.stringify(t.customFields),
      t.firstResponseAt,
      t.solvedAt,
      last?.at ?? t.createdAt,
      last?.id ?? null,
      count,
      (last?.text ?? '').slice(0, 200),
      t.createdAt,
      t.updatedAt,
    ]
    if (dialect === 'postgres') row.push(t.subject, t.requesterName, body)
    else ftsRows.push([ticketId, t.subject, `${t.requesterName}\n${body}`])
    ticketRows.push(row)
    for (const tag of t.tags) tagRows.push([ticketId, tag])
    for (const userId of t.followerIds) followerRows.push([ticketId, userId])
  }
  const columns =
    'id, subject, status, priority, inbox_id, requester_id, organization_id, assignee_id, team_id, custom_fields, first_response_at, solved_at, last_message_at, last_message_id, message_count, preview, created_at, updated_at'
  const base = `?, ?, ?, ?, ?, ?, ?, ?, ?, ${json(dialect)}, ?, ?, ?, ?, ?, ?, ?, ?`
  await database.db.transaction().execute(async (trx) => {
    if (dialect === 'postgres') {
      // The tsvector is built by the server from the same text the app would index, in the INSERT itself: no second write of the row.
      const vector = `setweight(to_tsvector('simple', ?), 'A') || setweight(to_tsvector('simple', ?), 'B') || to_tsvector('simple', ?)`
      await insertMany(trx, dialect, `INSERT INTO tickets (${columns}, search_vector)`, `(${base}, ${vector})`, ticketRows)
    } else {
      await insertMany(trx, dialect, `INSERT INTO tickets (${columns})`, `(${base})`, ticketRows)
      await insertMany(trx, dialect, 'INSERT INTO tickets_fts (rowid, subject, body)', '(?, ?, ?)', ftsRows)
    }
    const messageColumns = 'id, ticket_id, kind, direction, author_user_id, author_contact_id, text, full_text, html, event, created_at'
    await insertMany(trx, dialect, `INSERT INTO messages (${messageColumns})`, `(?, ?, ?, ?, ?, ?, ?, ?, ?, ${json(dialect)}, ?)`, messageRows)
    await insertMany(trx, dialect, 'INSERT INTO ticket_tags (ticket_id, tag)', '(?, ?)', tagRows)
    await insertMany(trx, dialect, 'INSERT INTO ticket_followers (ticket_id, user_id)', '(?, ?)', followerRows)
    await insertMany(
      trx,
      dialect,
      'INSERT INTO reply_reviews (ticket_id, author_id, status, html, text, attachment_ids, reason, reviewer_id, final_html, message_id, created_at, decided_at, edit_ratio, final_text)',
      `(?, ?, ?, ?, ?, ${json(dialect)}, ?, ?, ?, ?, ?, ?, ?, ?)`,
      reviewRows,
    )
  })
  return { ticketIds, messages: messageRows.length }
}

/**
 * After a bulk load on PostgreSQL: move each serial past the explicit ids so the app's next INSERT works, and refresh
 * planner statistics and the visibility map now instead of whenever autovacuum gets to it (without them a fresh table is
 * planned as nearly empty, and capped counts read every row instead of the index alone).
 */
export async function finishBulkLoad(database: Database): Promise<void> {
  if (database.dialect !== 'postgres') return
  for (const table of ['organizations', 'contacts', 'contact_identities', 'tickets', 'messages']) {
    await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), GREATEST((SELECT max(id) FROM ${sql.table(table)}), 1))`.execute(database.db)
  }
  await sql`VACUUM ANALYZE organizations, contacts, contact_identities, tickets, messages, ticket_tags, ticket_followers`.execute(database.db)
}
