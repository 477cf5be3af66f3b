import type { BulkUpdateInput, CreateTicketInput, PageOf, Role, TicketDto, TicketFilters, TicketListQuery, UpdateTicketInput } from '@allhands/contract'
import type { Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import { type Ctx, type Executor, inTransaction } from '../../platform/context.ts'
import type { Write } from '../../platform/folded-writes.ts'
import { afterCursor, decodeCursor, encodeCursor } from '../../platform/cursor.ts'
import { AppError, forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import { readJson, stripUndefined, writeJson } from '../../platform/json.ts'
import { canAssignTo, canBulkUpdateTickets, canCreateTicket, canFollowTicket, canMergeTickets, canUpdateTicket, canViewTicket } from '../../platform/policy.ts'
import type { DomainEvent } from '../../platform/realtime.ts'
import { indexNewTicket, mergeTicketText, newTicketSearchValues, searchTicketIds, setTicketSubject } from '../../platform/search.ts'
import { findOrCreateContactByEmail } from '../contacts/contacts.service.ts'
import { validateCustomFields } from '../custom-fields/custom-fields.service.ts'
import { addEventMessage, contentFromBody, insertMessage, type MessageContent, messagePreview, notify } from './messages.service.ts'
import { queueEvent } from '../queue/index.ts'
import { reassessAfterTicketChange } from '../risk/index.ts'
import { notificationEvent, ticketEvent } from './tickets.events.ts'
import { applyTicketFilters, findTicketRow, presentTickets, type TicketRow, tagsOf } from './tickets.queries.ts'
import { resolveViewFilters } from './views.service.ts'

/** The ticket row, after checking the actor may see it. */
export async function getVisibleTicket(db: Executor, actor: Actor, id: number): Promise<TicketRow> {
  const ticket = await findTicketRow(db, id)
  if (!ticket) throw notFound('Ticket', id)
  if (!canViewTicket(actor, ticket)) throw forbidden('see this ticket')
  return ticket
}

export async function getTicket(ctx: Ctx, actor: Actor, id: number): Promise<TicketDto> {
  await getVisibleTicket(ctx.db, actor, id)
  return (await presentTickets(ctx.db, [id]))[0]!
}

/** One page of the inbox: filters (or a view), newest activity first, keyset-paginated. */
export async function listTickets(ctx: Ctx, actor: Actor, query: TicketListQuery): Promise<PageOf<TicketDto>> {
  const limit = query.limit ?? 50
  const filters = query.view
    ? { ...(await resolveViewFilters(ctx, actor, query.view)), ...stripUndefined({ ...query, view: undefined, cursor: undefined, limit: undefined }) }
    : query
  if (filters.q) {
    // Search ranks by relevance; filters narrow the ranked set. One page only.
    const ranked = await searchTicketIds(ctx.db, ctx.dialect, filters.q, { limit: 500, statuses: filters.status?.split(',') })
    if (!ranked.length) return { items: [], nextCursor: null }
    const visible = await applyTicketFilters(ctx.db.selectFrom('tickets').select(['tickets.id', 'tickets.updatedAt']), ctx.dialect, actor, {
      ...filters,
      q: undefined,
    })
      .where('tickets.id', 'in', ranked)
      .execute()
    const allowed = new Set(visible.map((r) => r.id))
    return { items: await presentTickets(ctx.db, ranked.filter((id) => allowed.has(id)).slice(0, limit)), nextCursor: null }
  }
  const after = decodeCursor(query.cursor, 2)
  const newestFirst = (f: TicketFilters) => {
    let q = applyTicketFilters(ctx.db.selectFrom('tickets').select(['tickets.id', 'tickets.updatedAt']), ctx.dialect, actor, f)
    if (after) {
      const [updatedAt, id] = after.map(Number) as [number, number]
      q = q.where((eb) => afterCursor(eb, 'tickets.updatedAt', 'tickets.id', 'desc', updatedAt, id))
    }
    return q
      .orderBy('tickets.updatedAt', 'desc')
      .orderBy('tickets.id', 'desc')
      .limit(limit + 1)
  }
  // With several statuses, each one reads its own index in order and the pages are merged, instead of
  // sorting every matching ticket: the cost stays that of one page however large the backlog grows.
  const statuses = filters.status?.split(',').filter(Boolean) ?? []
  const branches = statuses.length > 1 ? statuses.map((status) => ctx.db.selectFrom(newestFirst({ ...filters, status }).as('b')).selectAll()) : []
  const rows = branches.length
    ? await ctx.db
        .selectFrom(
          branches
            .slice(1)
            .reduce((all, b) => all.unionAll(b), branches[0]!)
            .as('merged'),
        )
        .selectAll()
        .orderBy('merged.updatedAt', 'desc')
        .orderBy('merged.id', 'desc')
        .limit(limit + 1)
        .execute()
    : await newestFirst(filters).execute()
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  return {
    items: await presentTickets(
      ctx.db,
      page.map((r) => r.id),
    ),
    nextCursor: rows.length > limit && last ? encodeCursor([last.updatedAt, last.id]) : null,
  }
}

async function assertAssignable(db: Executor, assigneeId: number | null | undefined, teamId: number | null | undefined) {
  if (assigneeId != null) {
    const user = await db.selectFrom('users').select(['role', 'isActive']).where('id', '=', assigneeId).executeTakeFirst()
    if (!user) throw unprocessable(`User ${assigneeId} does not exist`)
    if (!canAssignTo({ role: user.role as Role, isActive: !!user.isActive })) throw unprocessable(`User ${assigneeId} cannot be assigned tickets`)
  }
  if (teamId != null && !(await db.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst()))
    throw unprocessable(`Team ${teamId} does not exist`)
}

async function setTags(trx: Executor, ticketId: number, tags: string[]) {
  await trx.deleteFrom('ticketTags').where('ticketId', '=', ticketId).execute()
  const unique = [...new Set(tags.map((t) => t.toLowerCase()))]
  if (unique.length)
    await trx
      .insertInto('ticketTags')
      .values(unique.map((tag) => ({ ticketId, tag })))
      .execute()
}

/** Everything needed to open a ticket inside a transaction, whichever channel it came from. */
export interface NewTicket {
  subject: string
  inboxId: number
  requesterId: number
  content: MessageContent
  status?: CreateTicketInput['status']
  priority?: CreateTicketInput['priority']
  tags?: string[]
  assigneeId?: number | null
  teamId?: number | null
  customFields?: Record<string, unknown>
  attachmentIds?: number[]
  uploaderId: number | null
  actorId: number | null
  followUpOfId?: number | null
  emailMeta?: Record<string, unknown> | null
  /** When the conversation really started (imported history); now by default. */
  createdAt?: number
  /** The inbox's team when the caller already read the inbox (email ingest keeps it cached): saves reading it again. */
  inboxTeamId?: number | null
  /**
   * The requester's name and organization when the caller already has them (findOrCreateContact): saves a read.
   * `created`: the caller created the contact just now, in this transaction (it has no tickets or messages yet).
   */
  requester?: { name: string; organizationId: number | null; created?: boolean }
  /**
   * The new ticket's last writes (its risk and first message id) are added here instead of run: for a caller that
   * runs them with the last statement of its transaction, before anything reads the ticket (email routing).
   */
  deferWritesInto?: (Write | null)[]
}

/** Inserts a ticket with its first customer message and search document; emits ticket.created. */
export async function openTicket(
  trx: Transaction<DB>,
  ctx: Ctx,
  emit: (e: DomainEvent) => void,
  n: NewTicket,
): Promise<{ ticketId: number; messageId: number }> {
  const inbox =
    n.inboxTeamId !== undefined
      ? { id: n.inboxId, teamId: n.inboxTeamId }
      : await trx.selectFrom('inboxes').select(['id', 'teamId']).where('id', '=', n.inboxId).executeTakeFirst()
  if (!inbox) throw unprocessable(`Inbox ${n.inboxId} does not exist`)
  const requester = n.requester ?? (await trx.selectFrom('contacts').select(['name', 'organizationId']).where('id', '=', n.requesterId).executeTakeFirst())
  if (!requester) throw unprocessable(`Contact ${n.requesterId} does not exist`)
  const t = n.createdAt ?? now()
  const teamId = n.teamId !== undefined ? n.teamId : inbox.teamId
  const searchDocument = { subject: n.subject, requester: requester.name, body: n.content.text }
  // Everything of the new row the risk assessment reads: the first message's insert needs no read-back of it.
  const fresh = {
    subject: n.subject,
    status: n.status ?? (n.assigneeId ? 'open' : 'new'),
    priority: n.priority ?? 'normal',
    requesterId: n.requesterId,
    organizationId: requester.organizationId,
    assigneeId: n.assigneeId ?? null,
    teamId,
    mergedIntoId: null,
    firstResponseAt: null,
    categoryId: null,
    riskLevel: 'low',
    riskReasons: null,
    // Already as its first message leaves it (insertMessage's newTicket), but for that message's id.
    messageCount: 1,
    createdAt: t,
  }
  const row = await trx
    .insertInto('tickets')
    .values({
      ...fresh,
      inboxId: inbox.id,
      customFields: writeJson(n.customFields ?? {}),
      followUpOfId: n.followUpOfId ?? null,
      solvedAt: null,
      lastMessageAt: t,
      lastMessageId: null,
      preview: messagePreview(n.content.text),
      updatedAt: t,
      ...newTicketSearchValues(ctx.dialect, searchDocument),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  if (n.tags?.length) await setTags(trx, row.id, n.tags)
  const message = await insertMessage(trx, {
    ticketId: row.id,
    kind: 'customer',
    content: n.content,
    authorContactId: n.requesterId,
    attachmentIds: n.attachmentIds,
    uploaderId: n.uploaderId,
    emailMeta: n.emailMeta,
    createdAt: t,
    newTicket: { id: row.id, ...fresh },
    deferWritesInto: n.deferWritesInto,
    requesterIsNew: n.requester?.created === true,
  })
  await indexNewTicket(trx, ctx.dialect, row.id, searchDocument)
  if (n.followUpOfId) await addEventMessage(trx, row.id, null, { type: 'follow_up_of', ticketId: n.followUpOfId })
  emit(ticketEvent('ticket.created', { id: row.id, teamId }))
  if (!n.assigneeId) emit(queueEvent(row.id))
  if (n.assigneeId && n.assigneeId !== n.actorId) {
    const notificationId = await notify(trx, {
      userId: n.assigneeId,
      kind: 'assigned',
      ticketId: row.id,
      actorId: n.actorId,
      title: `You were assigned #${row.id}: ${n.subject}`,
    })
    emit(notificationEvent(n.assigneeId, notificationId))
  }
  return { ticketId: row.id, messageId: message.id }
}

/** Opens a ticket on behalf of a customer (API, web form) or by an agent. The body becomes the first customer message. */
export async function createTicket(ctx: Ctx, actor: Actor | null, input: CreateTicketInput, opts: { bodyFormat?: 'auto' | 'text' } = {}): Promise<TicketDto> {
  if (actor && !canCreateTicket(actor)) throw forbidden('create tickets')
  if (!input.requesterId && !input.requester) throw unprocessable('Give requesterId or requester {email, name}')
  await assertAssignable(ctx.db, input.assigneeId, input.teamId)
  const customFields = await validateCustomFields(ctx.db, 'ticket', input.customFields)
  const { ticketId } = await inTransaction(ctx, async (trx, emit) => {
    const inboxId = input.inboxId ?? (await trx.selectFrom('inboxes').select('id').orderBy('id').limit(1).executeTakeFirst())?.id
    if (!inboxId) throw unprocessable('Create an inbox first')
    let requesterId = input.requesterId
    if (requesterId) {
      if (!(await trx.selectFrom('contacts').select('id').where('id', '=', requesterId).executeTakeFirst()))
        throw unprocessable(`Contact ${requesterId} does not exist`)
    } else requesterId = await findOrCreateContactByEmail(trx, ctx.dialect, input.requester!.email, input.requester!.name)
    return openTicket(trx, ctx, emit, {
      subject: input.subject,
      inboxId,
      requesterId,
      content: contentFromBody(input.body, opts.bodyFormat),
      status: input.status,
      priority: input.priority,
      tags: input.tags,
      assigneeId: input.assigneeId,
      teamId: input.teamId,
      customFields,
      attachmentIds: input.attachmentIds,
      uploaderId: actor?.id ?? null,
      actorId: actor?.id ?? null,
    })
  })
  return (await presentTickets(ctx.db, [ticketId]))[0]!
}

/** Applies field changes inside a transaction, writing one system event per change. */
async function applyTicketChanges(
  trx: Transaction<DB>,
  ctx: Ctx,
  actor: Actor,
  ticket: TicketRow,
  changes: UpdateTicketInput,
  emit: (e: DomainEvent) => void,
): Promise<void> {
  const t = now()
  const set: Partial<TicketRow> = {}
  const events: Record<string, unknown>[] = []
  if (changes.subject !== undefined && changes.subject !== ticket.subject) {
    set.subject = changes.subject
    events.push({ type: 'subject_changed', from: ticket.subject, to: changes.subject })
    await setTicketSubject(trx, ctx.dialect, ticket.id, ticket.subject, changes.subject)
  }
  if (changes.status !== undefined && changes.status !== ticket.status) {
    set.status = changes.status
    set.solvedAt = changes.status === 'solved' || changes.status === 'closed' ? (ticket.solvedAt ?? t) : null
    events.push({ type: 'status_changed', from: ticket.status, to: changes.status })
  }
  if (changes.priority !== undefined && changes.priority !== ticket.priority) {
    set.priority = changes.priority
    events.push({ type: 'priority_changed', from: ticket.priority, to: changes.priority })
  }
  if (changes.assigneeId !== undefined && changes.assigneeId !== ticket.assigneeId) {
    set.assigneeId = changes.assigneeId
    const names = changes.assigneeId ? await trx.selectFrom('users').select('name').where('id', '=', changes.assigneeId).executeTakeFirst() : undefined
    events.push({ type: 'assigned', from: ticket.assigneeId, to: changes.assigneeId, toName: names?.name ?? null })
    if (ticket.status === 'new' && set.status === undefined && changes.assigneeId) set.status = 'open'
    if (changes.assigneeId && changes.assigneeId !== actor.id) {
      const n = await notify(trx, {
        userId: changes.assigneeId,
        kind: 'assigned',
        ticketId: ticket.id,
        actorId: actor.id,
        title: `${actor.name} assigned you #${ticket.id}: ${ticket.subject}`,
      })
      emit(notificationEvent(changes.assigneeId, n))
    }
  }
  if (changes.teamId !== undefined && changes.teamId !== ticket.teamId) {
    set.teamId = changes.teamId
    const team = changes.teamId ? await trx.selectFrom('teams').select('name').where('id', '=', changes.teamId).executeTakeFirst() : undefined
    events.push({ type: 'team_changed', from: ticket.teamId, to: changes.teamId, toName: team?.name ?? null })
  }
  if (changes.tags !== undefined) {
    const before = await tagsOf(trx, ticket.id)
    const after = [...new Set(changes.tags.map((x) => x.toLowerCase()))].sort()
    if (before.join(',') !== after.join(',')) {
      await setTags(trx, ticket.id, after)
      events.push({ type: 'tags_changed', added: after.filter((x) => !before.includes(x)), removed: before.filter((x) => !after.includes(x)) })
    }
  }
  if (changes.categoryId !== undefined && changes.categoryId !== ticket.categoryId) {
    const category = changes.categoryId ? await trx.selectFrom('categories').select('name').where('id', '=', changes.categoryId).executeTakeFirst() : undefined
    if (changes.categoryId && !category) throw unprocessable(`Category ${changes.categoryId} does not exist`)
    set.categoryId = changes.categoryId
    events.push({ type: 'category_changed', from: ticket.categoryId, to: changes.categoryId, toName: category?.name ?? null })
  }
  if (changes.customFields !== undefined) {
    const merged = { ...readJson<Record<string, unknown>>(ticket.customFields, {}), ...(await validateCustomFields(trx, 'ticket', changes.customFields)) }
    set.customFields = writeJson(merged)
    events.push({ type: 'fields_changed', keys: Object.keys(changes.customFields) })
  }
  if (!events.length) return
  await trx
    .updateTable('tickets')
    .set({ ...set, updatedAt: t })
    .where('id', '=', ticket.id)
    .execute()
  for (const event of events) await addEventMessage(trx, ticket.id, actor.id, event)
  // Priority and category feed the risk rules and who may hold the ticket.
  if (set.priority !== undefined || set.categoryId !== undefined) await reassessAfterTicketChange(trx, ticket.id)
  emit(ticketEvent('ticket.updated', { id: ticket.id, teamId: set.teamId !== undefined ? set.teamId : ticket.teamId }, { previousTeamId: ticket.teamId }))
}

export async function updateTicket(ctx: Ctx, actor: Actor, id: number, changes: UpdateTicketInput): Promise<TicketDto> {
  await assertAssignable(ctx.db, changes.assigneeId, changes.teamId)
  await inTransaction(ctx, async (trx, emit) => {
    const ticket = await getVisibleTicket(trx, actor, id)
    if (!canUpdateTicket(actor, ticket)) throw forbidden('change this ticket')
    if (ticket.mergedIntoId) throw unprocessable(`Ticket ${id} was merged into #${ticket.mergedIntoId}`)
    await applyTicketChanges(trx, ctx, actor, ticket, changes, emit)
  })
  return getTicket(ctx, actor, id)
}

/** Applies the same change to many tickets; each one succeeds or fails on its own. */
export async function bulkUpdateTickets(ctx: Ctx, actor: Actor, input: BulkUpdateInput) {
  if (!canBulkUpdateTickets(actor)) throw forbidden('change tickets in bulk')
  const { addTags, removeTags, ...fields } = input.changes
  await assertAssignable(ctx.db, fields.assigneeId, fields.teamId)
  const updated: number[] = []
  const failed: { id: number; code: string; message: string }[] = []
  for (const id of [...new Set(input.ticketIds)]) {
    try {
      await inTransaction(ctx, async (trx, emit) => {
        const ticket = await getVisibleTicket(trx, actor, id)
        if (!canUpdateTicket(actor, ticket)) throw forbidden('change this ticket')
        if (ticket.mergedIntoId) throw unprocessable(`Ticket ${id} was merged`)
        let tags: string[] | undefined
        if (addTags?.length || removeTags?.length) {
          const current = await tagsOf(trx, id)
          const remove = new Set((removeTags ?? []).map((x) => x.toLowerCase()))
          tags = [...new Set([...current, ...(addTags ?? []).map((x) => x.toLowerCase())])].filter((x) => !remove.has(x))
        }
        await applyTicketChanges(trx, ctx, actor, ticket, { ...fields, ...(tags ? { tags } : {}) }, emit)
      })
      updated.push(id)
    } catch (err) {
      if (!(err instanceof AppError)) throw err
      failed.push({ id, code: err.code, message: err.message })
    }
  }
  return { updated, failed }
}

/** Moves every message, tag and follower of one ticket into another; the source stays as a closed redirect. */
export async function mergeTickets(ctx: Ctx, actor: Actor, fromId: number, intoId: number): Promise<TicketDto> {
  if (!canMergeTickets(actor)) throw forbidden('merge tickets')
  if (fromId === intoId) throw unprocessable('A ticket cannot be merged into itself')
  await inTransaction(ctx, async (trx, emit) => {
    const from = await getVisibleTicket(trx, actor, fromId)
    const into = await getVisibleTicket(trx, actor, intoId)
    if (!canUpdateTicket(actor, from) || !canUpdateTicket(actor, into)) throw forbidden('merge these tickets')
    if (from.mergedIntoId) throw unprocessable(`Ticket ${fromId} was already merged into #${from.mergedIntoId}`)
    if (into.mergedIntoId) throw unprocessable(`Ticket ${intoId} was merged into #${into.mergedIntoId}; merge into that one`)
    const t = now()
    await trx.updateTable('messages').set({ ticketId: intoId }).where('ticketId', '=', fromId).execute()
    const tags = [...new Set([...(await tagsOf(trx, fromId)), ...(await tagsOf(trx, intoId))])]
    await setTags(trx, intoId, tags)
    const followers = await trx.selectFrom('ticketFollowers').select('userId').where('ticketId', 'in', [fromId, intoId]).execute()
    await trx.deleteFrom('ticketFollowers').where('ticketId', 'in', [fromId, intoId]).execute()
    const followerIds = [...new Set(followers.map((f) => f.userId))]
    if (followerIds.length)
      await trx
        .insertInto('ticketFollowers')
        .values(followerIds.map((userId) => ({ ticketId: intoId, userId })))
        .execute()
    await mergeTicketText(trx, ctx.dialect, fromId, intoId)
    const last = await trx
      .selectFrom('messages')
      .select(['id', 'createdAt'])
      .where('ticketId', '=', intoId)
      .where('kind', '!=', 'event')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst()
    const count = await trx
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('ticketId', '=', intoId)
      .where('kind', '!=', 'event')
      .executeTakeFirstOrThrow()
    await trx
      .updateTable('tickets')
      .set({
        messageCount: Number(count.n),
        lastMessageId: last?.id ?? null,
        lastMessageAt: last?.createdAt ?? into.lastMessageAt,
        firstResponseAt: [from.firstResponseAt, into.firstResponseAt].filter((v): v is number => v !== null).sort()[0] ?? null,
        updatedAt: t,
      })
      .where('id', '=', intoId)
      .execute()
    await trx
      .updateTable('tickets')
      .set({ mergedIntoId: intoId, status: 'closed', solvedAt: from.solvedAt ?? t, messageCount: 0, lastMessageId: null, updatedAt: t })
      .where('id', '=', fromId)
      .execute()
    await addEventMessage(trx, intoId, actor.id, { type: 'merged_in', from: fromId, fromSubject: from.subject })
    await addEventMessage(trx, fromId, actor.id, { type: 'merged_into', into: intoId })
    emit(ticketEvent('ticket.merged', from, { intoTicketId: intoId }))
    emit(ticketEvent('ticket.updated', into))
  })
  return getTicket(ctx, actor, intoId)
}

export async function setFollowing(ctx: Ctx, actor: Actor, id: number, follow: boolean): Promise<TicketDto> {
  await inTransaction(ctx, async (trx, emit) => {
    const ticket = await getVisibleTicket(trx, actor, id)
    if (!canFollowTicket(actor, ticket)) throw forbidden('follow this ticket')
    await trx.deleteFrom('ticketFollowers').where('ticketId', '=', id).where('userId', '=', actor.id).execute()
    if (follow) await trx.insertInto('ticketFollowers').values({ ticketId: id, userId: actor.id }).execute()
    emit(ticketEvent('ticket.updated', ticket))
  })
  return getTicket(ctx, actor, id)
}
