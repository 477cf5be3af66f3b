import { forgetTokenSignIns } from '../auth/token-sign-ins.ts'
import type { CreateUserInput, InviteDto, RiskLevel, Role, TrustLevel, UpdateUserInput, UserDto } from '@allhands/contract'
import { recordAudit } from '../../platform/audit.ts'
import { stripUndefined } from '../../platform/json.ts'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { hashPassword, newSecret, sha256 } from '../../platform/crypto.ts'
import { AppError, conflict, forbidden, notFound } from '../../platform/errors.ts'
import { canAdminister, canAssignRole } from '../../platform/policy.ts'
import { findUserByEmail, getUserDto } from './users.queries.ts'

const INVITE_TTL_MS = 7 * 24 * 3600 * 1000

/** Contributors start in review with low clearance; support staff start as full agents. */
export const participationDefaults = (role: Role): { trustLevel: TrustLevel; clearance: RiskLevel } =>
  role === 'contributor' ? { trustLevel: 'reviewed', clearance: 'low' } : { trustLevel: 'agent', clearance: 'high' }

/** Inserts a user without a permission check: for setup, the CLI and accepted invites. */
export async function insertUser(db: Executor, input: { email: string; name: string; role: Role; password: string }): Promise<number> {
  if (await findUserByEmail(db, input.email)) throw conflict(`A user with email ${input.email} already exists`)
  const t = now()
  const row = await db
    .insertInto('users')
    .values({
      email: input.email.toLowerCase(),
      name: input.name,
      role: input.role,
      ...participationDefaults(input.role),
      passwordHash: await hashPassword(input.password),
      isActive: 1,
      createdAt: t,
      updatedAt: t,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function createUser(ctx: Ctx, actor: Actor, input: CreateUserInput): Promise<UserDto> {
  if (!canAssignRole(actor, null, input.role)) throw forbidden(`create a user with role ${input.role}`)
  const id = await insertUser(ctx.db, input)
  return (await getUserDto(ctx.db, id))!
}

export async function updateUser(ctx: Ctx, actor: Actor, id: number, patch: UpdateUserInput): Promise<UserDto> {
  const selfEdit =
    actor.id === id && patch.role === undefined && patch.isActive === undefined && patch.trustLevel === undefined && patch.clearance === undefined
  if (!canAdminister(actor) && !selfEdit) throw forbidden('change this user')
  const user = await ctx.db.selectFrom('users').select(['id', 'role', 'isActive', 'trustLevel', 'clearance']).where('id', '=', id).executeTakeFirst()
  if (!user) throw notFound('User', id)
  if (patch.role !== undefined && patch.role !== user.role && !canAssignRole(actor, user.role as Role, patch.role))
    throw forbidden(`change this user's role to ${patch.role}`)
  if (patch.isActive === false && user.role === 'owner' && actor.role !== 'owner') throw forbidden('deactivate an owner')
  if (patch.isActive === false && id === actor.id) throw new AppError('unprocessable', 422, 'You cannot deactivate yourself')
  if ((patch.role !== undefined && patch.role !== 'owner') || patch.isActive === false) {
    if (user.role === 'owner') {
      const owners = await ctx.db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('role', '=', 'owner')
        .where('isActive', '=', 1)
        .executeTakeFirstOrThrow()
      if (Number(owners.n) <= 1) throw new AppError('unprocessable', 422, 'The workspace needs at least one active owner')
    }
  }
  // A role change resets trust and clearance to the new role's defaults unless they are set too.
  const roleDefaults = patch.role !== undefined && patch.role !== user.role ? participationDefaults(patch.role) : {}
  const participation = { ...roleDefaults, ...stripUndefined({ trustLevel: patch.trustLevel, clearance: patch.clearance }) }
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.role !== undefined ? { role: patch.role } : {}),
        ...(patch.isActive !== undefined ? { isActive: patch.isActive ? 1 : 0 } : {}),
        ...participation,
        updatedAt: now(),
      })
      .where('id', '=', id)
      .execute()
    const changed = Object.entries(participation).filter(([k, v]) => user[k as keyof typeof participation] !== v)
    if (changed.length) {
      const data = Object.fromEntries(changed.map(([k, v]) => [k, { from: user[k as keyof typeof participation], to: v }]))
      await recordAudit(trx, { actorId: actor.id, action: 'user.participation_changed', targetType: 'user', targetId: id, data })
    }
    if (patch.isActive === false) await trx.deleteFrom('sessions').where('userId', '=', id).execute()
  })
  forgetTokenSignIns(ctx)
  return (await getUserDto(ctx.db, id))!
}

export async function createInvite(ctx: Ctx, actor: Actor, input: { email: string; role: Role }): Promise<InviteDto> {
  if (!canAssignRole(actor, null, input.role)) throw forbidden(`invite someone as ${input.role}`)
  if (await findUserByEmail(ctx.db, input.email)) throw conflict(`${input.email} already has an account`)
  const token = newSecret('inv_')
  const t = now()
  const row = await ctx.db
    .insertInto('invites')
    .values({
      email: input.email.toLowerCase(),
      role: input.role,
      tokenHash: sha256(token),
      invitedById: actor.id,
      expiresAt: t + INVITE_TTL_MS,
      acceptedAt: null,
      createdAt: t,
    })
    .returning(['id', 'email', 'role', 'expiresAt', 'acceptedAt'])
    .executeTakeFirstOrThrow()
  return { ...row, role: row.role as Role, url: `${ctx.config.publicUrl}/invite/${token}` }
}

export async function listInvites(ctx: Ctx, actor: Actor): Promise<InviteDto[]> {
  if (!canAdminister(actor)) throw forbidden('see invites')
  const rows = await ctx.db.selectFrom('invites').select(['id', 'email', 'role', 'expiresAt', 'acceptedAt']).orderBy('id', 'desc').limit(200).execute()
  return rows.map((r) => ({ ...r, role: r.role as Role }))
}

async function getOpenInvite(db: Executor, token: string) {
  const invite = await db.selectFrom('invites').selectAll().where('tokenHash', '=', sha256(token)).executeTakeFirst()
  if (!invite || invite.acceptedAt !== null || invite.expiresAt < now()) throw notFound('Invite', 'link')
  return invite
}

export async function describeInvite(ctx: Ctx, token: string): Promise<InviteDto> {
  const i = await getOpenInvite(ctx.db, token)
  return { id: i.id, email: i.email, role: i.role as Role, expiresAt: i.expiresAt, acceptedAt: i.acceptedAt }
}

export async function acceptInvite(ctx: Ctx, token: string, input: { name: string; password: string }): Promise<number> {
  return ctx.db.transaction().execute(async (trx) => {
    const invite = await getOpenInvite(trx, token)
    const id = await insertUser(trx, { email: invite.email, name: input.name, role: invite.role as Role, password: input.password })
    await trx.updateTable('invites').set({ acceptedAt: now() }).where('id', '=', invite.id).execute()
    return id
  })
}
