import { now } from './clock.ts'
import type { Executor } from './context.ts'
import { writeJson } from './json.ts'
import { currentRequest } from './request-context.ts'

/**
 * Appends to the audit log: logins, role and permission changes, settings, exports, erasures, approvals, monitoring.
 * Written in the same transaction as the change it records. The IP and user agent come from the current request
 * (null in jobs and the CLI); the table refuses UPDATE and DELETE, so an entry once written stays.
 */
export async function recordAudit(
  db: Executor,
  entry: { actorId: number | null; action: string; targetType: string; targetId: number | null; data?: Record<string, unknown> },
): Promise<void> {
  const request = currentRequest()
  await db
    .insertInto('auditLog')
    .values({
      actorId: entry.actorId,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      data: writeJson(entry.data ?? {}),
      createdAt: now(),
      ip: request?.ip ?? null,
      userAgent: request?.userAgent ?? null,
    })
    .execute()
}
