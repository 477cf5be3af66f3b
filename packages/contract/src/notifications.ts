import { type Static, Type } from 'typebox'
import { CursorQuery, Nullable } from './common.ts'
import { NotificationDto } from './tickets.ts'

/**
 * Notifications (issue 10): what a person hears about, grouped for preferences and filters. A notification's raw
 * `kind` (e.g. `review.requested`, `shift_reminder`) belongs to one of these groups; see `notificationGroupOf`.
 */
export const NOTIFICATION_GROUPS = ['mention', 'assignment', 'reply', 'review', 'consult', 'other'] as const
export type NotificationGroup = (typeof NOTIFICATION_GROUPS)[number]

export const NOTIFICATION_GROUP_LABELS: Record<NotificationGroup, string> = {
  mention: 'Mentions',
  assignment: 'Assignments',
  reply: 'Replies on tickets you follow',
  review: 'Reviews',
  consult: 'Consults',
  other: 'Everything else (shifts, training, hand-backs, alerts)',
}

/** The group a notification kind belongs to. */
export function notificationGroupOf(kind: string): NotificationGroup {
  if (kind === 'mention') return 'mention'
  if (kind === 'assigned') return 'assignment'
  if (kind === 'reply') return 'reply'
  if (kind.startsWith('review.')) return 'review'
  if (kind === 'consult') return 'consult'
  return 'other'
}

export const NOTIFICATION_EMAIL_MODES = ['off', 'immediately', 'digest'] as const
export type NotificationEmailMode = (typeof NOTIFICATION_EMAIL_MODES)[number]

export const NotificationPreference = Type.Object({
  group: Type.Enum(NOTIFICATION_GROUPS),
  inApp: Type.Boolean(),
  email: Type.Enum(NOTIFICATION_EMAIL_MODES),
})
export type NotificationPreference = Static<typeof NotificationPreference>

export const NotificationPreferencesDto = Type.Object({
  preferences: Type.Array(NotificationPreference),
  /** IANA time zone the daily digest is timed in. */
  timeZone: Type.String(),
  /** Local hour (0–23) from which the day's digest is sent. */
  digestHour: Type.Integer({ minimum: 0, maximum: 23 }),
  /** When the last digest went out (null: never). */
  lastDigestAt: Nullable(Type.Integer({ minimum: 0 })),
})
export type NotificationPreferencesDto = Static<typeof NotificationPreferencesDto>

export const UpdateNotificationPreferencesInput = Type.Object(
  {
    preferences: Type.Optional(Type.Array(NotificationPreference, { maxItems: NOTIFICATION_GROUPS.length })),
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    digestHour: Type.Optional(Type.Integer({ minimum: 0, maximum: 23 })),
  },
  { additionalProperties: false },
)
export type UpdateNotificationPreferencesInput = Static<typeof UpdateNotificationPreferencesInput>

export const NotificationListQuery = Type.Object({
  unread: Type.Optional(Type.Boolean()),
  group: Type.Optional(Type.Enum(NOTIFICATION_GROUPS)),
  ...CursorQuery,
})
export type NotificationListQuery = Static<typeof NotificationListQuery>

export const NotificationPage = Type.Object({
  items: Type.Array(NotificationDto),
  nextCursor: Nullable(Type.String()),
  unreadCount: Type.Integer(),
})
export type NotificationPage = Static<typeof NotificationPage>

/** Which of the person's unread notifications to mark read: all of them, or only those about one ticket. */
export const MarkNotificationsReadQuery = Type.Object({
  /** Only notifications about this ticket (opening a ticket reads them). */
  ticketId: Type.Optional(Type.Integer({ minimum: 1 })),
})
export type MarkNotificationsReadQuery = Static<typeof MarkNotificationsReadQuery>

/** Whether the person follows a ticket (hears about its replies). */
export const TicketFollowDto = Type.Object({ following: Type.Boolean() })
export type TicketFollowDto = Static<typeof TicketFollowDto>
