import { now } from './clock.ts'
import type { Executor } from './context.ts'
import { writeJson } from './json.ts'

/**
 * Appends to the audit log: trust and clearance changes, certifications, monitoring, reviews.
 * Written in the same transaction as the change it records.
 */
export async function recordAudit(
  db: Executor,
  entry: { actorId: number | null; action: string; targetType: string; targetId: number | null; data?: Record<string, unknown> },
): Promise<void> {
  await db
    .insertInto('auditLog')
    .values({
      actorId: entry.actorId,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      data: writeJson(entry.data ?? {}),
      createdAt: now(),
    })
    .execute()
}
