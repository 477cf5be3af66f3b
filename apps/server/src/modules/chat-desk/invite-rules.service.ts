import type { AutoInviteRuleDto, AutoInviteRuleInput } from '@allhands/contract'
import type { FastifyBaseLogger } from 'fastify'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import type { LiveVisitorState } from '../chat/visitor-hub.ts'
import { agentsAvailableFor } from './availability.ts'
import { canManageInviteRules } from './chat-desk.policy.ts'
import { sendInvite } from './visitors.service.ts'

type RuleRow = {
  id: number
  inboxId: number
  name: string
  urlPattern: string
  minSecondsOnPage: number
  returningOnly: number
  message: string
  capHours: number
  enabled: number
  createdAt: number
}

const presentRule = (r: RuleRow): AutoInviteRuleDto => ({
  id: r.id,
  inboxId: r.inboxId,
  name: r.name,
  urlPattern: r.urlPattern,
  minSecondsOnPage: r.minSecondsOnPage,
  returningOnly: !!r.returningOnly,
  message: r.message,
  capHours: r.capHours,
  enabled: !!r.enabled,
  createdAt: r.createdAt,
})

/** A URL glob as a regular expression: `*` matches anything, everything else is literal; the whole URL must match. */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  )
}
export const urlMatches = (glob: string, url: string) => globToRegExp(glob).test(url)

async function getChatInbox(db: Executor, inboxId: number) {
  const inbox = await db.selectFrom('inboxes').select(['id', 'type']).where('id', '=', inboxId).executeTakeFirst()
  if (!inbox) throw notFound('Inbox', inboxId)
  return inbox
}

async function getRule(db: Executor, id: number): Promise<RuleRow> {
  const rule = await db.selectFrom('chatInviteRules').selectAll().where('id', '=', id).executeTakeFirst()
  if (!rule) throw notFound('Invite rule', id)
  return rule
}

export async function listInviteRules(ctx: Ctx, actor: Actor, inboxId: number): Promise<AutoInviteRuleDto[]> {
  if (!canManageInviteRules(actor)) throw forbidden('manage auto-invite rules')
  await getChatInbox(ctx.db, inboxId)
  const rows = await ctx.db.selectFrom('chatInviteRules').selectAll().where('inboxId', '=', inboxId).orderBy('id').execute()
  return rows.map(presentRule)
}

export async function createInviteRule(ctx: Ctx, actor: Actor, inboxId: number, input: AutoInviteRuleInput): Promise<AutoInviteRuleDto> {
  if (!canManageInviteRules(actor)) throw forbidden('manage auto-invite rules')
  const inbox = await getChatInbox(ctx.db, inboxId)
  if (inbox.type !== 'chat') throw unprocessable(`Inbox ${inboxId} is not a chat inbox`)
  const row = await ctx.db
    .insertInto('chatInviteRules')
    .values({
      inboxId,
      name: input.name,
      urlPattern: input.urlPattern,
      minSecondsOnPage: input.minSecondsOnPage,
      returningOnly: input.returningOnly ? 1 : 0,
      message: input.message,
      capHours: input.capHours,
      enabled: input.enabled ? 1 : 0,
      createdAt: now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return presentRule(await getRule(ctx.db, row.id))
}

export async function updateInviteRule(ctx: Ctx, actor: Actor, id: number, input: Partial<AutoInviteRuleInput>): Promise<AutoInviteRuleDto> {
  if (!canManageInviteRules(actor)) throw forbidden('manage auto-invite rules')
  await getRule(ctx.db, id)
  const set = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.urlPattern !== undefined ? { urlPattern: input.urlPattern } : {}),
    ...(input.minSecondsOnPage !== undefined ? { minSecondsOnPage: input.minSecondsOnPage } : {}),
    ...(input.returningOnly !== undefined ? { returningOnly: input.returningOnly ? 1 : 0 } : {}),
    ...(input.message !== undefined ? { message: input.message } : {}),
    ...(input.capHours !== undefined ? { capHours: input.capHours } : {}),
    ...(input.enabled !== undefined ? { enabled: input.enabled ? 1 : 0 } : {}),
  }
  if (Object.keys(set).length) await ctx.db.updateTable('chatInviteRules').set(set).where('id', '=', id).execute()
  return presentRule(await getRule(ctx.db, id))
}

export async function deleteInviteRule(ctx: Ctx, actor: Actor, id: number): Promise<void> {
  if (!canManageInviteRules(actor)) throw forbidden('manage auto-invite rules')
  await getRule(ctx.db, id)
  await ctx.db.deleteFrom('chatInviteRules').where('id', '=', id).execute()
}

/**
 * Fires a rule for a visitor who has been on the same page long enough, if it still applies: the page
 * matches, returning-only rules see a returning visitor, the visitor is not already chatting, someone can
 * answer, and the rule has not invited this visitor within its cap. True when an invite went out.
 */
export async function fireRuleIfDue(ctx: Ctx, rule: RuleRow, state: LiveVisitorState): Promise<boolean> {
  if (!rule.enabled || rule.inboxId !== state.inboxId || !urlMatches(rule.urlPattern, state.page.url)) return false
  if (now() < state.onPageSince + rule.minSecondsOnPage * 1000) return false
  const visitor = await ctx.db.selectFrom('chatVisitors').select(['id', 'visitCount']).where('id', '=', state.visitorId).executeTakeFirst()
  if (!visitor || (rule.returningOnly && visitor.visitCount <= 1)) return false
  const chatting = await ctx.db
    .selectFrom('chatConversations')
    .select('ticketId')
    .where('visitorId', '=', state.visitorId)
    .where('status', 'in', ['waiting', 'active'])
    .executeTakeFirst()
  if (chatting) return false
  const capped = await ctx.db
    .selectFrom('chatInvites')
    .select('id')
    .where('visitorId', '=', state.visitorId)
    .where('ruleId', '=', rule.id)
    .where('createdAt', '>', now() - rule.capHours * 3_600_000)
    .executeTakeFirst()
  if (capped) return false
  if (!(await agentsAvailableFor(ctx.db, rule.inboxId))) return false
  await sendInvite(ctx, { visitorId: state.visitorId, inboxId: rule.inboxId, ruleId: rule.id, user: null, message: rule.message })
  return true
}

/**
 * Auto-invites: when a visitor lands on a page, each enabled rule of their inbox whose pattern matches
 * gets a timer for the moment they will have been there `minSecondsOnPage`. Moving on or leaving
 * cancels the timers; the first rule that fires ends the others for that page (one invite per page).
 * Returns the unsubscribe function.
 */
export function installAutoInvites(ctx: Ctx, log: FastifyBaseLogger): () => void {
  const watched = new Map<number, { page: string; timers: NodeJS.Timeout[] }>()
  const stopTimers = (visitorId: number) => {
    const w = watched.get(visitorId)
    for (const t of w?.timers ?? []) clearTimeout(t)
    if (w) w.timers = []
  }
  const forget = (visitorId: number) => {
    stopTimers(visitorId)
    watched.delete(visitorId)
  }
  const stillOn = (visitorId: number, page: string) => watched.get(visitorId)?.page === page
  const schedule = async (state: LiveVisitorState, page: string) => {
    const rules = await ctx.db.selectFrom('chatInviteRules').selectAll().where('inboxId', '=', state.inboxId).where('enabled', '=', 1).orderBy('id').execute()
    if (!stillOn(state.visitorId, page)) return
    // A timer can fire a millisecond before its due time (timer and clock round differently): re-arm it for the rest.
    const arm = (rule: RuleRow) => {
      const due = state.onPageSince + rule.minSecondsOnPage * 1000 - now()
      const timer = setTimeout(
        async () => {
          const current = ctx.visitors.get(state.visitorId)
          if (!current || !stillOn(state.visitorId, page)) return
          if (now() < state.onPageSince + rule.minSecondsOnPage * 1000) return arm(rule)
          try {
            if (await fireRuleIfDue(ctx, rule, current)) stopTimers(state.visitorId)
          } catch (err) {
            log.warn({ err, visitorId: state.visitorId, ruleId: rule.id }, 'auto-invite failed')
          }
        },
        Math.max(0, due),
      )
      timer.unref()
      watched.get(state.visitorId)?.timers.push(timer)
    }
    for (const rule of rules) if (urlMatches(rule.urlPattern, state.page.url)) arm(rule)
  }
  const unsubscribe = ctx.visitors.onChange((visitorId, state) => {
    if (!state) return forget(visitorId)
    const page = `${state.onPageSince}|${state.page.url}`
    // Other changes (typing, a chat starting, an invite) leave the page and its timers alone.
    if (stillOn(visitorId, page)) return
    forget(visitorId)
    watched.set(visitorId, { page, timers: [] })
    schedule(state, page).catch((err) => log.warn({ err, visitorId }, 'auto-invite rules could not be read'))
  })
  return () => {
    unsubscribe()
    for (const visitorId of [...watched.keys()]) forget(visitorId)
  }
}
