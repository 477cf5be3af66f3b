import type { FastifyReply, FastifyRequest } from 'fastify'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { newSecret, sha256 } from '../../platform/crypto.ts'
import { AppError, forbidden } from '../../platform/errors.ts'
import { enqueueJob } from '../../platform/jobs.ts'
import { findOrCreateContactByEmail } from '../contacts/contacts.service.ts'
import { sendCommunityLoginLinkJob } from './jobs/send-community-login-link.ts'
import type { MemberRow } from './community.queries.ts'

export const COMMUNITY_COOKIE = 'allhands_community'
export const LOGIN_LINK_TTL_MS = 15 * 60_000
export const SESSION_TTL_MS = 30 * 24 * 3_600_000
/** Links one address may ask for in LINK_WINDOW_MS; more requests are answered the same way but send nothing. */
export const LINKS_PER_ADDRESS = 3
const LINK_WINDOW_MS = 15 * 60_000
const EMAIL = /^[^\s@<>()",;]{1,64}@[^\s@<>()",;]{1,190}\.[^\s@<>()",;]{2,}$/

/** A new member's public name until they choose one. */
export const defaultDisplayName = (memberId: number) => `Member ${memberId}`

/** A member renames themselves (profile page): 2 to 40 characters on one line, and not an email address. */
export async function renameMember(db: Executor, memberId: number, raw: string): Promise<void> {
  const name = raw.replace(/\s+/g, ' ').trim()
  if (name.length < 2 || name.length > 40) throw new AppError('bad_request', 400, 'Your public name needs 2 to 40 characters')
  if (name.includes('@')) throw new AppError('bad_request', 400, 'Your public name may not contain an email address')
  await db.updateTable('communityMembers').set({ displayName: name }).where('id', '=', memberId).execute()
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase()
export const isValidEmail = (email: string) => EMAIL.test(normalizeEmail(email))
/** Only paths inside the community are kept as "where to go after signing in". */
export const safeReturnTo = (to: string | undefined | null) => (to && /^\/community(\/[\w\-/]*)?$/.test(to) ? to : null)

/**
 * Queues a one-time sign-in link to this address. The link's token is made by the sending job and only its hash is
 * stored; an address that asked too often in the last minutes gets nothing more (the page says the same either way,
 * so nobody learns which addresses are members).
 */
export async function requestLoginLink(ctx: Ctx, email: string, returnTo: string | null): Promise<void> {
  const address = normalizeEmail(email)
  if (!isValidEmail(address)) throw new AppError('bad_request', 400, 'Enter a valid email address')
  const t = now()
  await ctx.db.transaction().execute(async (trx) => {
    const recent = await trx
      .selectFrom('communityLoginLinks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('email', '=', address)
      .where('createdAt', '>', t - LINK_WINDOW_MS)
      .executeTakeFirstOrThrow()
    if (Number(recent.n) >= LINKS_PER_ADDRESS) return
    const banned = await trx.selectFrom('communityMembers').select('bannedAt').where('email', '=', address).executeTakeFirst()
    if (banned?.bannedAt) return
    const row = await trx
      .insertInto('communityLoginLinks')
      .values({ email: address, tokenHash: null, returnTo: safeReturnTo(returnTo), expiresAt: t + LOGIN_LINK_TTL_MS, usedAt: null, createdAt: t })
      .returning('id')
      .executeTakeFirstOrThrow()
    await enqueueJob(trx, sendCommunityLoginLinkJob, { linkId: row.id }, { idempotencyKey: `community-login-link:${row.id}` })
  })
}

/** A live link for this token, or null (unknown, used or expired): shown before it is spent. */
export async function peekLoginLink(db: Executor, token: string) {
  const row = await db.selectFrom('communityLoginLinks').selectAll().where('tokenHash', '=', sha256(token)).executeTakeFirst()
  if (!row || row.usedAt !== null || Number(row.expiresAt) <= now()) return null
  return row
}

/**
 * Spends a sign-in link: once only, before it expires. The member is found or created for the address and linked to
 * the customer's contact record (created when there is none), so a thread turned into a ticket has its requester.
 */
export async function consumeLoginLink(ctx: Ctx, token: string): Promise<{ member: MemberRow; sessionSecret: string; returnTo: string | null }> {
  const invalid = () => new AppError('bad_request', 400, 'This sign-in link is invalid, expired or already used. Ask for a new one.')
  if (!/^cml_[\w-]{20,80}$/.test(token)) throw invalid()
  const t = now()
  return ctx.db.transaction().execute(async (trx) => {
    const link = await trx.selectFrom('communityLoginLinks').selectAll().where('tokenHash', '=', sha256(token)).executeTakeFirst()
    if (!link || link.usedAt !== null || Number(link.expiresAt) <= t) throw invalid()
    const spent = await trx.updateTable('communityLoginLinks').set({ usedAt: t }).where('id', '=', link.id).where('usedAt', 'is', null).executeTakeFirst()
    if (Number(spent.numUpdatedRows) !== 1) throw invalid()
    let member = await trx.selectFrom('communityMembers').selectAll().where('email', '=', link.email).executeTakeFirst()
    if (member?.bannedAt) throw forbidden('sign in to the community', 'this address is banned')
    const contactId = member?.contactId ?? (await findOrCreateContactByEmail(trx, ctx.dialect, link.email))
    if (!member) {
      // The public name identifies nobody ("Member 1234") until the member picks one on their profile: never the
      // contact's name or a part of the address.
      const inserted = await trx
        .insertInto('communityMembers')
        .values({
          email: link.email,
          displayName: 'Member',
          contactId,
          bannedAt: null,
          banReason: null,
          lastLoginAt: t,
          createdAt: t,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      member = await trx
        .updateTable('communityMembers')
        .set({ displayName: defaultDisplayName(inserted.id) })
        .where('id', '=', inserted.id)
        .returningAll()
        .executeTakeFirstOrThrow()
    } else {
      member = await trx.updateTable('communityMembers').set({ lastLoginAt: t, contactId }).where('id', '=', member.id).returningAll().executeTakeFirstOrThrow()
    }
    const sessionSecret = newSecret('cms_')
    await trx
      .insertInto('communitySessions')
      .values({ id: sha256(sessionSecret), memberId: member.id, createdAt: t, expiresAt: t + SESSION_TTL_MS })
      .execute()
    return { member, sessionSecret, returnTo: link.returnTo }
  })
}

/** The member signed in with this request's community cookie; banned members and expired sessions count as signed out. */
export async function memberOfRequest(db: Executor, req: FastifyRequest): Promise<MemberRow | null> {
  const secret = req.cookies[COMMUNITY_COOKIE]
  if (!secret) return null
  const row = await db
    .selectFrom('communitySessions as s')
    .innerJoin('communityMembers as m', 'm.id', 's.memberId')
    .selectAll('m')
    .select('s.expiresAt')
    .where('s.id', '=', sha256(secret))
    .executeTakeFirst()
  if (!row || Number(row.expiresAt) <= now() || row.bannedAt !== null) return null
  const { expiresAt: _expiresAt, ...member } = row
  return member
}

export function setMemberCookie(ctx: Ctx, reply: FastifyReply, secret: string) {
  reply.setCookie(COMMUNITY_COOKIE, secret, {
    path: '/community',
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.config.publicUrl.startsWith('https://'),
    maxAge: SESSION_TTL_MS / 1000,
  })
}

export async function signOut(db: Executor, req: FastifyRequest, reply: FastifyReply) {
  const secret = req.cookies[COMMUNITY_COOKIE]
  if (secret) await db.deleteFrom('communitySessions').where('id', '=', sha256(secret)).execute()
  reply.clearCookie(COMMUNITY_COOKIE, { path: '/community' })
}
