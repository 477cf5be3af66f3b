import {
  AUTOMATION_PLACEHOLDERS,
  type AutomationDryRunInput,
  type AutomationDryRunResult,
  type AutomationDto,
  type AutomationInput,
  type AutomationList,
  type TicketStatus,
  type UpdateAutomationInput,
} from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { AppError, forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import { writeJson } from '../../platform/json.ts'
import { validateCustomFields } from '../custom-fields/custom-fields.service.ts'
import { parseWebhookUrl } from '../webhooks/webhooks.http.ts'
import { describeAction } from './automations.actions.ts'
import { matches, type Problem, referencedIds, validateConditions } from './automations.conditions.ts'
import { CAP_PER_TICKET_PER_HOUR } from './automations.engine.ts'
import { automationTriggersChanged } from './automations.listener.ts'
import { loadFacts } from './automations.facts.ts'
import { canManageAutomations } from './automations.policy.ts'
import { type AutomationRow, presentAutomations } from './automations.presenter.ts'
import { unknownPlaceholders } from './automations.templates.ts'

const COLUMNS = [
  'id',
  'name',
  'description',
  'enabled',
  'position',
  'trigger',
  'schedule',
  'conditions',
  'actions',
  'runCount',
  'lastFiredAt',
  'createdById',
  'createdAt',
  'updatedAt',
] as const

const must = (actor: Actor) => {
  if (!canManageAutomations(actor)) throw forbidden('manage automations', 'only admins and owners can')
}

async function findRow(db: Executor, id: number): Promise<AutomationRow> {
  const row = await db.selectFrom('automations').select(COLUMNS).where('id', '=', id).executeTakeFirst()
  if (!row) throw notFound('Automation', id)
  return row as AutomationRow
}

/**
 * Checks a rule as it would be stored: every condition against the field list (and the ids it names), the
 * schedule against the trigger, and every action (who and what it names exists, known placeholders only, a
 * webhook URL that can be called). Refuses with 422 naming each bad part by its path.
 */
async function checkRule(db: Executor, rule: AutomationInput): Promise<void> {
  const problems: Problem[] = []
  if (rule.trigger === 'time' && !rule.schedule) problems.push({ path: 'schedule', message: 'Time rules need a schedule {anchor, hours}' })
  if (rule.trigger !== 'time' && rule.schedule) problems.push({ path: 'schedule', message: 'Only time rules have a schedule' })
  problems.push(...validateConditions(rule.conditions, rule.trigger))
  const refs = referencedIds(rule.conditions)
  const exists = async (ref: 'inbox' | 'team' | 'user', id: number) => {
    const table = ref === 'inbox' ? 'inboxes' : ref === 'team' ? 'teams' : 'users'
    return !!(await db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst())
  }
  for (const r of refs) if (!(await exists(r.ref, r.id))) problems.push({ path: r.path, message: `There is no ${r.ref} ${r.id}` })
  const customKeys = rule.conditions && JSON.stringify(rule.conditions).match(/ticket\.custom\.([a-z][a-z0-9_]*)/g)
  if (customKeys?.length) {
    const known = new Set((await db.selectFrom('customFields').select('key').where('entity', '=', 'ticket').execute()).map((f) => f.key))
    for (const k of new Set(customKeys))
      if (!known.has(k.slice('ticket.custom.'.length))) problems.push({ path: 'conditions', message: `There is no ticket custom field "${k.slice(14)}"` })
  }
  for (const [i, a] of rule.actions.entries()) {
    const at = `actions[${i}]`
    const templates = a.type === 'add_note' ? [a.body] : a.type === 'email_requester' || a.type === 'email_team' ? [a.subject, a.body] : []
    const unknown = [...new Set(templates.flatMap(unknownPlaceholders))]
    if (unknown.length)
      problems.push({
        path: at,
        message: `Unknown placeholders ${unknown.map((k) => `{{${k}}}`).join(', ')}; use ${AUTOMATION_PLACEHOLDERS.map((k) => `{{${k}}}`).join(', ')}`,
      })
    if (a.type === 'assign' && a.userId) {
      const user = await db.selectFrom('users').select(['role', 'isActive']).where('id', '=', a.userId).executeTakeFirst()
      if (!user?.isActive || user.role === 'contributor') problems.push({ path: at, message: `User ${a.userId} is not an active member of support staff` })
    }
    if ((a.type === 'set_team' && a.teamId) || a.type === 'email_team') {
      const teamId = a.type === 'set_team' ? a.teamId! : a.teamId
      if (!(await exists('team', teamId))) problems.push({ path: at, message: `There is no team ${teamId}` })
    }
    if (a.type === 'set_custom_field') {
      const v = a.value
      if (!(v === null || typeof v === 'boolean' || typeof v === 'number' || (typeof v === 'string' && v.length <= 2000))) {
        problems.push({ path: at, message: 'The value must be a text (at most 2000 characters), a number, true/false or null' })
        continue
      }
      try {
        await validateCustomFields(db, 'ticket', { [a.key]: v })
      } catch (err) {
        if (!(err instanceof AppError)) throw err
        problems.push({ path: at, message: err.message })
      }
    }
    if (a.type === 'call_webhook') {
      try {
        parseWebhookUrl(a.url)
      } catch (err) {
        problems.push({ path: at, message: err instanceof Error ? err.message : 'The URL is not valid' })
      }
    }
  }
  if (problems.length) throw unprocessable(problems.map((p) => `${p.path}: ${p.message}`).join('; '), { problems })
}

export async function listAutomations(ctx: Ctx, actor: Actor): Promise<AutomationList> {
  must(actor)
  const rows = await ctx.db.selectFrom('automations').select(COLUMNS).orderBy('position').orderBy('id').execute()
  return { items: await presentAutomations(ctx.db, rows as AutomationRow[]), capPerTicketPerHour: CAP_PER_TICKET_PER_HOUR }
}

export async function getAutomation(ctx: Ctx, actor: Actor, id: number): Promise<AutomationDto> {
  must(actor)
  return (await presentAutomations(ctx.db, [await findRow(ctx.db, id)]))[0]!
}

const stored = (r: AutomationInput) => ({
  name: r.name.trim(),
  description: (r.description ?? '').trim(),
  trigger: r.trigger,
  schedule: r.schedule ? writeJson(r.schedule) : null,
  conditions: writeJson(r.conditions),
  actions: writeJson(r.actions),
})

export async function createAutomation(ctx: Ctx, actor: Actor, input: AutomationInput): Promise<AutomationDto> {
  must(actor)
  if (!input.name.trim()) throw unprocessable('name: give the rule a name')
  await checkRule(ctx.db, input)
  const id = await ctx.db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom('automations')
      .select((eb) => eb.fn.max<number>('position').as('p'))
      .executeTakeFirst()
    const t = now()
    const row = await trx
      .insertInto('automations')
      .values({
        ...stored(input),
        enabled: input.enabled === false ? 0 : 1,
        position: Number(last?.p ?? 0) + 1,
        createdById: actor.id,
        createdAt: t,
        updatedAt: t,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'automation.created',
      targetType: 'automation',
      targetId: row.id,
      data: { name: input.name, trigger: input.trigger },
    })
    return row.id
  })
  automationTriggersChanged(ctx)
  return getAutomation(ctx, actor, id)
}

export async function updateAutomation(ctx: Ctx, actor: Actor, id: number, input: UpdateAutomationInput): Promise<AutomationDto> {
  must(actor)
  const current = (await presentAutomations(ctx.db, [await findRow(ctx.db, id)]))[0]!
  const merged: AutomationInput = {
    name: input.name ?? current.name,
    description: input.description ?? current.description,
    trigger: input.trigger ?? current.trigger,
    schedule: input.schedule !== undefined ? input.schedule : input.trigger && input.trigger !== 'time' ? null : current.schedule,
    conditions: input.conditions ?? current.conditions,
    actions: input.actions ?? current.actions,
  }
  if (!merged.name.trim()) throw unprocessable('name: give the rule a name')
  await checkRule(ctx.db, merged)
  // New conditions or a new schedule apply to every ticket again: the time scan starts over (firings still count once per period).
  const rescan = input.conditions !== undefined || input.schedule !== undefined || input.trigger !== undefined
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('automations')
      .set({
        ...stored(merged),
        ...(input.enabled !== undefined ? { enabled: input.enabled ? 1 : 0 } : {}),
        ...(rescan ? { scanAt: 0, scanId: 0 } : {}),
        updatedAt: now(),
      })
      .where('id', '=', id)
      .execute()
    await recordAudit(trx, { actorId: actor.id, action: 'automation.updated', targetType: 'automation', targetId: id, data: { changed: Object.keys(input) } })
  })
  automationTriggersChanged(ctx)
  return getAutomation(ctx, actor, id)
}

export async function deleteAutomation(ctx: Ctx, actor: Actor, id: number): Promise<void> {
  must(actor)
  const row = await findRow(ctx.db, id)
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('automations').where('id', '=', id).execute()
    await trx
      .updateTable('automations')
      .set((eb) => ({ position: eb('position', '-', 1) }))
      .where('position', '>', row.position)
      .execute()
    await recordAudit(trx, { actorId: actor.id, action: 'automation.deleted', targetType: 'automation', targetId: id, data: { name: row.name } })
  })
  automationTriggersChanged(ctx)
}

/** Sets the run order: `ids` lists every rule once, first to run first. */
export async function reorderAutomations(ctx: Ctx, actor: Actor, ids: number[]): Promise<AutomationList> {
  must(actor)
  const all = (await ctx.db.selectFrom('automations').select('id').execute()).map((r) => r.id)
  const given = new Set(ids)
  if (given.size !== ids.length || given.size !== all.length || all.some((id) => !given.has(id)))
    throw unprocessable(`ids: list every automation exactly once (${all.length} in all)`, { expected: all.sort((a, b) => a - b) })
  await ctx.db.transaction().execute(async (trx) => {
    for (const [i, id] of ids.entries())
      await trx
        .updateTable('automations')
        .set({ position: i + 1 })
        .where('id', '=', id)
        .execute()
    await recordAudit(trx, { actorId: actor.id, action: 'automation.reordered', targetType: 'automation', targetId: null, data: { ids } })
  })
  return listAutomations(ctx, actor)
}

/**
 * Evaluates a rule (saved or as edited) against the most recently updated tickets and says what it would do to
 * each match; nothing is changed. Message facts are each ticket's latest message; event-only facts (SLA metric,
 * survey score) are absent, so conditions on them do not match here.
 */
export async function dryRunAutomation(ctx: Ctx, actor: Actor, input: AutomationDryRunInput): Promise<AutomationDryRunResult> {
  must(actor)
  let rule: AutomationInput
  if (input.rule) {
    rule = input.rule
    await checkRule(ctx.db, rule)
  } else if (input.automationId) rule = await getAutomation(ctx, actor, input.automationId)
  else throw unprocessable('Give automationId or rule')
  const recent = await ctx.db
    .selectFrom('tickets')
    .select('id')
    .orderBy('updatedAt', 'desc')
    .orderBy('id', 'desc')
    .limit(input.limit ?? 100)
    .execute()
  const facts = await loadFacts(
    ctx.db,
    recent.map((r) => r.id),
    { latestMessage: true },
  )
  const userIds = rule.actions.flatMap((a) => (a.type === 'assign' && a.userId ? [a.userId] : []))
  const teamIds = rule.actions.flatMap((a) => (a.type === 'set_team' && a.teamId ? [a.teamId] : a.type === 'email_team' ? [a.teamId] : []))
  const names = {
    users: new Map(
      (userIds.length ? await ctx.db.selectFrom('users').select(['id', 'name']).where('id', 'in', userIds).execute() : []).map((u) => [u.id, u.name]),
    ),
    teams: new Map(
      (teamIds.length ? await ctx.db.selectFrom('teams').select(['id', 'name']).where('id', 'in', teamIds).execute() : []).map((t) => [t.id, t.name]),
    ),
  }
  const wouldDo = rule.actions.map((a) => describeAction(a, names))
  const matched: AutomationDryRunResult['matched'] = []
  for (const { id } of recent) {
    const f = facts.get(id)
    if (!f) continue
    if (rule.trigger === 'time' && rule.schedule) {
      const anchor = rule.schedule.anchor === 'updated' ? f.ticket.updatedAt : rule.schedule.anchor === 'created' ? f.ticket.createdAt : f.ticket.solvedAt
      if (anchor === null || anchor > f.now - rule.schedule.hours * 3_600_000) continue
    }
    if (!matches(rule.conditions, f)) continue
    matched.push({ ticketId: id, subject: f.ticket.subject, status: f.ticket.status as TicketStatus, updatedAt: f.ticket.updatedAt, wouldDo })
  }
  return { evaluated: facts.size, matched }
}
