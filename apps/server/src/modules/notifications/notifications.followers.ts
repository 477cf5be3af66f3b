import type { Role } from '@allhands/contract'
import type { Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Ctx } from '../../platform/context.ts'
import { canViewTicket } from '../../platform/policy.ts'
import type { DomainEvent } from '../../platform/realtime.ts'
import { teamIdsOf } from '../users/users.queries.ts'
import { createNotification } from './notifications.service.ts'

/** Messages that followers hear about: what the customer wrote and what a colleague replied (notes carry mentions). */
const FOLLOWED_KINDS = new Set(['customer', 'reply'])

/**
 * Replies on followed tickets: for every customer message or agent reply written in a transaction, each follower of
 * the ticket (not its author, active, still allowed to see the ticket) gets a `reply` notification. Runs inside the
 * writing transaction (a transactional listener), so the notification exists exactly when the message does; its live
 * `notification.created` event is published after the commit. Chat lines are left out: a live conversation would
 * notify on every line. Tickets nobody follows (most mail) cost one indexed lookup.
 */
export async function notifyFollowers(_ctx: Ctx, trx: Transaction<DB>, events: readonly DomainEvent[], tx: { emit: (e: DomainEvent) => void }): Promise<void> {
  const written = events.filter(
    (e) => e.name === 'message.created' && FOLLOWED_KINDS.has(String(e.payload.kind)) && typeof e.payload.messageId === 'number' && e.ticket,
  )
  if (!written.length) return
  const followed = new Set(
    (
      await trx
        .selectFrom('ticketFollowers')
        .select('ticketId')
        .where('ticketId', 'in', [...new Set(written.map((e) => e.ticket!.id))])
        .execute()
    ).map((r) => r.ticketId),
  )
  const messageIds = written.filter((e) => followed.has(e.ticket!.id)).map((e) => e.payload.messageId as number)
  for (const messageId of [...new Set(messageIds)]) {
    const m = await trx
      .selectFrom('messages')
      .innerJoin('tickets', 'tickets.id', 'messages.ticketId')
      .innerJoin('inboxes', 'inboxes.id', 'tickets.inboxId')
      .leftJoin('users', 'users.id', 'messages.authorUserId')
      .leftJoin('contacts', 'contacts.id', 'messages.authorContactId')
      .select([
        'messages.id',
        'messages.kind',
        'messages.authorUserId',
        'users.name as userName',
        'contacts.name as contactName',
        'tickets.id as ticketId',
        'tickets.subject',
        'tickets.teamId',
        'tickets.assigneeId',
        'tickets.riskLevel',
        'tickets.categoryId',
        'inboxes.type as inboxType',
      ])
      .where('messages.id', '=', messageId)
      .executeTakeFirst()
    if (!m || m.inboxType === 'chat' || !FOLLOWED_KINDS.has(m.kind)) continue
    const followers = await trx
      .selectFrom('ticketFollowers')
      .innerJoin('users', 'users.id', 'ticketFollowers.userId')
      .select(['users.id', 'users.role'])
      .where('ticketFollowers.ticketId', '=', m.ticketId)
      .where('users.isActive', '=', 1)
      .execute()
    const targets = followers.filter((f) => f.id !== m.authorUserId)
    if (!targets.length) continue
    const teams = await teamIdsOf(
      trx,
      targets.map((f) => f.id),
    )
    const who = m.kind === 'customer' ? (m.contactName ?? 'The customer') : (m.userName ?? 'A colleague')
    const title = `${who} replied on #${m.ticketId}: ${m.subject}`.slice(0, 500)
    for (const f of targets) {
      if (!canViewTicket({ id: f.id, role: f.role as Role, teamIds: teams.get(f.id) ?? [] }, m)) continue
      const id = await createNotification(trx, { userId: f.id, kind: 'reply', ticketId: m.ticketId, messageId: m.id, actorId: m.authorUserId, title })
      if (id) tx.emit({ name: 'notification.created', userId: f.id, payload: { notificationId: id } })
    }
  }
}
