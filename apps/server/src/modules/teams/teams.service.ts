import type { TeamDto } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { conflict, forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import { canAdminister } from '../../platform/policy.ts'

export async function listTeams(db: Executor): Promise<TeamDto[]> {
  const teams = await db.selectFrom('teams').selectAll().orderBy('name').execute()
  const members = await db.selectFrom('teamMembers').selectAll().execute()
  return teams.map((t) => ({ ...t, memberIds: members.filter((m) => m.teamId === t.id).map((m) => m.userId) }))
}

async function getTeam(db: Executor, id: number): Promise<TeamDto> {
  const team = (await listTeams(db)).find((t) => t.id === id)
  if (!team) throw notFound('Team', id)
  return team
}

async function assertNameFree(db: Executor, name: string, exceptId?: number) {
  const other = await db.selectFrom('teams').select('id').where('name', '=', name).executeTakeFirst()
  if (other && other.id !== exceptId) throw conflict(`A team named ${name} already exists`)
}

export async function createTeam(ctx: Ctx, actor: Actor, name: string): Promise<TeamDto> {
  if (!canAdminister(actor)) throw forbidden('create teams')
  await assertNameFree(ctx.db, name)
  const row = await ctx.db.insertInto('teams').values({ name, createdAt: now() }).returning('id').executeTakeFirstOrThrow()
  return getTeam(ctx.db, row.id)
}

export async function renameTeam(ctx: Ctx, actor: Actor, id: number, name: string): Promise<TeamDto> {
  if (!canAdminister(actor)) throw forbidden('rename teams')
  await getTeam(ctx.db, id)
  await assertNameFree(ctx.db, name, id)
  await ctx.db.updateTable('teams').set({ name }).where('id', '=', id).execute()
  return getTeam(ctx.db, id)
}

export async function deleteTeam(ctx: Ctx, actor: Actor, id: number): Promise<void> {
  if (!canAdminister(actor)) throw forbidden('delete teams')
  await getTeam(ctx.db, id)
  await ctx.db.deleteFrom('teams').where('id', '=', id).execute()
}

export async function setTeamMembers(ctx: Ctx, actor: Actor, id: number, userIds: number[]): Promise<TeamDto> {
  if (!canAdminister(actor)) throw forbidden('change team members')
  await getTeam(ctx.db, id)
  const unique = [...new Set(userIds)]
  if (unique.length) {
    const found = await ctx.db.selectFrom('users').select('id').where('id', 'in', unique).execute()
    if (found.length !== unique.length) throw unprocessable('Some user ids do not exist')
  }
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('teamMembers').where('teamId', '=', id).execute()
    if (unique.length)
      await trx
        .insertInto('teamMembers')
        .values(unique.map((userId) => ({ teamId: id, userId })))
        .execute()
  })
  return getTeam(ctx.db, id)
}
