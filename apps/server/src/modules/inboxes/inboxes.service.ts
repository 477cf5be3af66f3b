import type { InboxDto, InboxType } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import { readJson, writeJson } from '../../platform/json.ts'
import { canAdminister } from '../../platform/policy.ts'

type InboxRow = { id: number; name: string; type: string; teamId: number | null; autoReply: unknown; createdAt: number }
const present = (r: InboxRow): InboxDto => ({
  id: r.id,
  name: r.name,
  type: r.type as InboxType,
  teamId: r.teamId,
  autoReply: readJson(r.autoReply, { enabled: false, subject: '', body: '' }),
  createdAt: r.createdAt,
})

export async function listInboxes(db: Executor): Promise<InboxDto[]> {
  return (await db.selectFrom('inboxes').selectAll().orderBy('id').execute()).map(present)
}

export async function getInbox(db: Executor, id: number): Promise<InboxDto> {
  const row = await db.selectFrom('inboxes').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) throw notFound('Inbox', id)
  return present(row)
}

async function assertTeam(db: Executor, teamId: number | null | undefined) {
  if (teamId == null) return
  if (!(await db.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst())) throw unprocessable(`Team ${teamId} does not exist`)
}

export async function createInbox(ctx: Ctx, actor: Actor, input: { name: string; type?: 'api' | 'web_form'; teamId?: number | null }): Promise<InboxDto> {
  if (!canAdminister(actor)) throw forbidden('create inboxes')
  await assertTeam(ctx.db, input.teamId)
  const row = await ctx.db
    .insertInto('inboxes')
    .values({
      name: input.name,
      type: input.type ?? 'api',
      teamId: input.teamId ?? null,
      autoReply: writeJson({ enabled: false, subject: '', body: '' }),
      createdAt: now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return getInbox(ctx.db, row.id)
}

export async function updateInbox(
  ctx: Ctx,
  actor: Actor,
  id: number,
  patch: { name?: string; teamId?: number | null; autoReply?: InboxDto['autoReply'] },
): Promise<InboxDto> {
  if (!canAdminister(actor)) throw forbidden('change inboxes')
  await getInbox(ctx.db, id)
  await assertTeam(ctx.db, patch.teamId)
  await ctx.db
    .updateTable('inboxes')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.teamId !== undefined ? { teamId: patch.teamId } : {}),
      ...(patch.autoReply !== undefined ? { autoReply: writeJson(patch.autoReply) } : {}),
    })
    .where('id', '=', id)
    .execute()
  return getInbox(ctx.db, id)
}
