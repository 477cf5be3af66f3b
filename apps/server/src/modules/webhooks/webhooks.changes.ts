import type { Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { now } from '../../platform/clock.ts'
import type { Executor } from '../../platform/context.ts'
import { readJson } from '../../platform/json.ts'

/**
 * Since when the kept ticket states are current: set each time some enabled webhook starts wanting `ticket.updated`
 * while none did, since states kept before such a pause would report stale `from` values.
 */
const TRACKING_SINCE_KEY = 'webhooks.ticketStatesSince'

export async function ticketTrackingSince(db: Executor): Promise<number> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', TRACKING_SINCE_KEY).executeTakeFirst()
  return readJson<number>(row?.value ?? null, 0)
}

/** Marks the kept states as outdated from now (in the transaction that turns `ticket.updated` tracking back on). */
export async function restartTicketTracking(db: Executor): Promise<void> {
  const value = JSON.stringify(now())
  await db
    .insertInto('settings')
    .values({ key: TRACKING_SINCE_KEY, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute()
}

/** The fields whose change makes a `ticket.updated` webhook event. */
export type TicketState = { status: string; priority: string; assigneeId: number | null; teamId: number | null; tags: string[] }
type Change<T> = { from: T; to: T }
export type TicketChanges = {
  status?: Change<string>
  priority?: Change<string>
  assigneeId?: Change<number | null>
  teamId?: Change<number | null>
  tags?: { added: string[]; removed: string[] }
}

async function readStates(trx: Transaction<DB>, ids: number[]): Promise<Map<number, TicketState>> {
  const rows = await trx.selectFrom('tickets').select(['id', 'status', 'priority', 'assigneeId', 'teamId']).where('id', 'in', ids).execute()
  const tags = await trx.selectFrom('ticketTags').select(['ticketId', 'tag']).where('ticketId', 'in', ids).orderBy('tag').execute()
  return new Map(
    rows.map((r) => [
      r.id,
      {
        status: r.status,
        priority: r.priority,
        assigneeId: r.assigneeId,
        teamId: r.teamId,
        tags: tags.filter((t) => t.ticketId === r.id).map((t) => t.tag),
      },
    ]),
  )
}

export function diffStates(before: TicketState, after: TicketState): TicketChanges {
  const changes: TicketChanges = {}
  if (before.status !== after.status) changes.status = { from: before.status, to: after.status }
  if (before.priority !== after.priority) changes.priority = { from: before.priority, to: after.priority }
  if (before.assigneeId !== after.assigneeId) changes.assigneeId = { from: before.assigneeId, to: after.assigneeId }
  if (before.teamId !== after.teamId) changes.teamId = { from: before.teamId, to: after.teamId }
  const added = after.tags.filter((t) => !before.tags.includes(t))
  const removed = before.tags.filter((t) => !after.tags.includes(t))
  if (added.length || removed.length) changes.tags = { added, removed }
  return changes
}

type HistoryEvent = { type?: string; from?: unknown; to?: unknown; added?: string[]; removed?: string[] }

/**
 * A ticket's state before this transaction, for a ticket first seen now (it predates the subscription): undone from
 * the history lines the transaction wrote (status, priority, assignee, team and tag changes), newest first.
 */
function undoHistory(after: TicketState, history: HistoryEvent[]): TicketState {
  const before = { ...after, tags: [...after.tags] }
  for (const e of history) {
    if (e.type === 'status_changed' && typeof e.from === 'string') before.status = e.from
    else if (e.type === 'priority_changed' && typeof e.from === 'string') before.priority = e.from
    else if (e.type === 'assigned') before.assigneeId = typeof e.from === 'number' ? e.from : null
    else if (e.type === 'team_changed') before.teamId = typeof e.from === 'number' ? e.from : null
    else if (e.type === 'tags_changed') before.tags = [...before.tags.filter((t) => !(e.added ?? []).includes(t)), ...(e.removed ?? [])].sort()
  }
  return before
}

/**
 * What changed on these tickets in this transaction, against the state last seen for each (kept in
 * webhook_ticket_states while a `ticket.updated` webhook exists). Every path that changes a ticket is covered, the
 * history-less ones too (a first reply taking an unassigned ticket). Tickets created in the transaction get their
 * first state recorded and report no change.
 */
export async function trackTicketChanges(
  trx: Transaction<DB>,
  touched: number[],
  created: number[],
  tx: { startedAt: number; trackingSince: number },
): Promise<Map<number, TicketChanges>> {
  const ids = [...new Set([...touched, ...created])]
  const out = new Map<number, TicketChanges>()
  if (!ids.length) return out
  const current = await readStates(trx, ids)
  const stored = new Map(
    (await trx.selectFrom('webhookTicketStates').select(['ticketId', 'state', 'updatedAt']).where('ticketId', 'in', ids).execute()).map((r) => [
      r.ticketId,
      r.updatedAt > tx.trackingSince ? readJson<TicketState | null>(r.state, null) : null,
    ]),
  )
  const unseen = touched.filter((id) => !stored.get(id) && !created.includes(id))
  const history = unseen.length
    ? await trx
        .selectFrom('messages')
        .select(['ticketId', 'event'])
        .where('ticketId', 'in', unseen)
        .where('kind', '=', 'event')
        .where('createdAt', '>=', tx.startedAt)
        .orderBy('id', 'desc')
        .execute()
    : []
  const writes: { ticketId: number; state: string; updatedAt: number }[] = []
  for (const id of ids) {
    const after = current.get(id)
    if (!after) continue
    const known = stored.get(id)
    if (created.includes(id)) {
      if (!known) writes.push({ ticketId: id, state: JSON.stringify(after), updatedAt: now() })
      continue
    }
    const before =
      known ??
      undoHistory(
        after,
        history.filter((h) => h.ticketId === id).map((h) => readJson<HistoryEvent>(h.event, {})),
      )
    const changes = diffStates(before, after)
    if (Object.keys(changes).length) out.set(id, changes)
    if (!known || Object.keys(changes).length) writes.push({ ticketId: id, state: JSON.stringify(after), updatedAt: now() })
  }
  if (writes.length)
    await trx
      .insertInto('webhookTicketStates')
      .values(writes)
      .onConflict((oc) => oc.column('ticketId').doUpdateSet((eb) => ({ state: eb.ref('excluded.state'), updatedAt: eb.ref('excluded.updatedAt') })))
      .execute()
  return out
}
