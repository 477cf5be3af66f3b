import {
  NOTIFICATION_GROUPS,
  type NotificationEmailMode,
  type NotificationGroup,
  type NotificationPreference,
  type NotificationPreferencesDto,
  type UpdateNotificationPreferencesInput,
} from '@allhands/contract'
import type { Executor } from '../../platform/context.ts'
import { unprocessable } from '../../platform/errors.ts'

/** What a person gets before changing anything: mentions and assignments by email at once, the rest in the app only. */
export const DEFAULT_PREFERENCES: Record<NotificationGroup, { inApp: boolean; email: NotificationEmailMode }> = {
  mention: { inApp: true, email: 'immediately' },
  assignment: { inApp: true, email: 'immediately' },
  reply: { inApp: true, email: 'off' },
  review: { inApp: true, email: 'off' },
  consult: { inApp: true, email: 'off' },
  other: { inApp: true, email: 'off' },
}

export const DEFAULT_DIGEST_HOUR = 8

/** The stored choice for one group, or the default. */
export function preferenceFrom(group: NotificationGroup, row: { inApp: number | null; email: string | null } | undefined): NotificationPreference {
  if (!row || row.inApp === null || row.email === null) return { group, ...DEFAULT_PREFERENCES[group] }
  return { group, inApp: row.inApp === 1, email: row.email as NotificationEmailMode }
}

/** A time zone the runtime knows, or a 422. */
export function checkTimeZone(timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone
  } catch {
    throw unprocessable(`Unknown time zone "${timeZone}": use an IANA name such as Europe/Berlin`)
  }
}

export async function getPreferences(db: Executor, userId: number): Promise<NotificationPreferencesDto> {
  const rows = await db.selectFrom('notificationPreferences').select(['kind', 'inApp', 'email']).where('userId', '=', userId).execute()
  const settings = await db
    .selectFrom('notificationSettings')
    .select(['timeZone', 'digestHour', 'lastDigestAt'])
    .where('userId', '=', userId)
    .executeTakeFirst()
  return {
    preferences: NOTIFICATION_GROUPS.map((g) =>
      preferenceFrom(
        g,
        rows.find((r) => r.kind === g),
      ),
    ),
    timeZone: settings?.timeZone ?? 'UTC',
    digestHour: settings?.digestHour ?? DEFAULT_DIGEST_HOUR,
    lastDigestAt: settings?.lastDigestAt ?? null,
  }
}

/** Stores the groups given (others keep their value) and the digest timing. */
export async function updatePreferences(db: Executor, userId: number, input: UpdateNotificationPreferencesInput): Promise<void> {
  const groups = (input.preferences ?? []).map((p) => p.group)
  if (new Set(groups).size !== groups.length) throw unprocessable('Each notification group may appear once')
  const timeZone = input.timeZone === undefined ? undefined : checkTimeZone(input.timeZone)
  for (const p of input.preferences ?? []) {
    await db
      .insertInto('notificationPreferences')
      .values({ userId, kind: p.group, inApp: p.inApp ? 1 : 0, email: p.email })
      .onConflict((oc) => oc.columns(['userId', 'kind']).doUpdateSet({ inApp: p.inApp ? 1 : 0, email: p.email }))
      .execute()
  }
  if (timeZone !== undefined || input.digestHour !== undefined) {
    const set = { ...(timeZone !== undefined ? { timeZone } : {}), ...(input.digestHour !== undefined ? { digestHour: input.digestHour } : {}) }
    await db
      .insertInto('notificationSettings')
      .values({ userId, lastDigestDay: null, lastDigestAt: null, ...set })
      .onConflict((oc) => oc.column('userId').doUpdateSet(set))
      .execute()
  }
}
