import { type NotificationDto, type NotificationGroup, type NotificationListQuery, type NotificationPage, notificationGroupOf } from '@allhands/contract'
import type { ExpressionBuilder } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import type { Executor } from '../../platform/context.ts'
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts'
import { notFound } from '../../platform/errors.ts'
import { enqueueJob } from '../../platform/jobs.ts'
import { sendNotificationEmailJob } from './jobs/send-notification-email.ts'
import { preferenceFrom } from './notifications.preferences.ts'

export interface NewNotification {
  userId: number
  kind: string
  ticketId: number | null
  messageId?: number | null
  actorId: number | null
  title: string
}

/**
 * Records a notification as the person's preferences say: in the notification centre, by email at once (queued in
 * the same transaction), kept for the daily digest — or not at all. Deactivated people get nothing. Returns the
 * notification's id, or 0 when nothing was stored.
 */
export async function createNotification(trx: Executor, n: NewNotification): Promise<number> {
  const group = notificationGroupOf(n.kind)
  const person = await trx
    .selectFrom('users')
    .leftJoin('notificationPreferences as p', (join) => join.onRef('p.userId', '=', 'users.id').on('p.kind', '=', group))
    .select(['users.isActive', 'p.inApp', 'p.email'])
    .where('users.id', '=', n.userId)
    .executeTakeFirst()
  if (!person?.isActive) return 0
  const pref = preferenceFrom(group, person)
  if (!pref.inApp && pref.email === 'off') return 0
  const values = {
    userId: n.userId,
    kind: n.kind,
    ticketId: n.ticketId,
    messageId: n.messageId ?? null,
    actorId: n.actorId,
    title: n.title,
    readAt: null,
    createdAt: now(),
    inApp: pref.inApp ? 1 : 0,
  }
  const row = await trx.insertInto('notifications').values(values).returning('id').executeTakeFirstOrThrow()
  if (pref.email === 'immediately') {
    await enqueueJob(trx, sendNotificationEmailJob, { notificationId: row.id }, { idempotencyKey: `send-notification-email:${row.id}` })
  }
  return pref.inApp ? row.id : 0
}

/** Raw kinds of a group, as a filter. */
function inGroup(eb: ExpressionBuilder<DB, 'notifications'>, group: NotificationGroup) {
  const exact: Record<Exclude<NotificationGroup, 'review' | 'other'>, string> = {
    mention: 'mention',
    assignment: 'assigned',
    reply: 'reply',
    consult: 'consult',
  }
  if (group === 'review') return eb('notifications.kind', 'like', 'review.%')
  if (group === 'other') return eb.and([eb('notifications.kind', 'not in', Object.values(exact)), eb('notifications.kind', 'not like', 'review.%')])
  return eb('notifications.kind', '=', exact[group])
}

/** The person's notifications, newest first, with their unread count. */
export async function listNotifications(db: Executor, actor: Actor, query: NotificationListQuery): Promise<NotificationPage> {
  const limit = query.limit ?? 30
  const after = decodeCursor(query.cursor, 1)
  let q = db
    .selectFrom('notifications')
    .leftJoin('users', 'users.id', 'notifications.actorId')
    .select([
      'notifications.id',
      'notifications.kind',
      'notifications.ticketId',
      'notifications.messageId',
      'notifications.actorId',
      'notifications.title',
      'notifications.readAt',
      'notifications.createdAt',
      'users.name as actorName',
    ])
    .where('notifications.userId', '=', actor.id)
    .where('notifications.inApp', '=', 1)
    .orderBy('notifications.id', 'desc')
    .limit(limit + 1)
  if (query.unread) q = q.where('notifications.readAt', 'is', null)
  if (query.group) {
    const group = query.group
    q = q.where((eb) => inGroup(eb, group))
  }
  if (after) q = q.where('notifications.id', '<', Number(after[0]))
  const rows = await q.execute()
  const page = rows.slice(0, limit)
  return {
    items: page.map(
      (r): NotificationDto => ({
        id: r.id,
        kind: r.kind,
        ticketId: r.ticketId,
        messageId: r.messageId,
        actor: r.actorId ? { id: r.actorId, name: r.actorName ?? '' } : null,
        title: r.title,
        readAt: r.readAt,
        createdAt: r.createdAt,
      }),
    ),
    nextCursor: rows.length > limit ? encodeCursor([page[page.length - 1]!.id]) : null,
    unreadCount: await unreadCount(db, actor.id),
  }
}

export async function unreadCount(db: Executor, userId: number): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('userId', '=', userId)
    .where('readAt', 'is', null)
    .where('notifications.inApp', '=', 1)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Marks one of the person's own notifications read (someone else's is "not found"). */
export async function markRead(db: Executor, actor: Actor, id: number): Promise<void> {
  const own = await db.selectFrom('notifications').select(['id', 'readAt']).where('id', '=', id).where('userId', '=', actor.id).executeTakeFirst()
  if (!own) throw notFound('Notification', id)
  if (own.readAt === null) await db.updateTable('notifications').set({ readAt: now() }).where('id', '=', id).execute()
}

/** Marks the person's unread notifications read: all of them, or only those about one ticket (opening it reads them). */
export async function markAllRead(db: Executor, actor: Actor, ticketId?: number): Promise<void> {
  let q = db.updateTable('notifications').set({ readAt: now() }).where('userId', '=', actor.id).where('readAt', 'is', null).where('notifications.inApp', '=', 1)
  if (ticketId !== undefined) q = q.where('ticketId', '=', ticketId)
  await q.execute()
}
