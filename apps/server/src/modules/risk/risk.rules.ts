import type {
  PageOf,
  RiskLevel,
  RiskRuleConfig,
  RiskRuleDto,
  RiskRuleInput,
  RiskRuleMatchDto,
  RiskRulePatch,
  RiskRuleType,
  TicketStatus,
} from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { afterCursor, decodeCursor, encodeCursor } from '../../platform/cursor.ts'
import { forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import { readJson, writeJson } from '../../platform/json.ts'
import { canManageRiskRules } from '../../platform/policy.ts'
import { invalidateRiskConfig } from './risk.cache.ts'
import { startReassessment } from './jobs/reassess-open-tickets.ts'

/** Which settings each rule type reads; the others are dropped, missing required ones refused. */
const FIELDS: Record<RiskRuleType, { required: (keyof RiskRuleConfig)[]; optional: (keyof RiskRuleConfig)[] }> = {
  keywords: { required: ['words'], optional: [] },
  vip: { required: [], optional: ['tiers'] },
  anger: { required: [], optional: ['words', 'capsRatio', 'punctuationRun', 'minSignals'] },
  repeat_contact: { required: ['hours'], optional: ['tickets', 'messages'] },
  sla_breach: { required: ['hours'], optional: [] },
  priority: { required: ['priorities'], optional: [] },
  language: { required: ['defaultLanguage'], optional: [] },
}

/** The config a rule of this type keeps, or a 422 naming what is missing. */
export function normalizeRuleConfig(type: RiskRuleType, config: RiskRuleConfig): RiskRuleConfig {
  const { required, optional } = FIELDS[type]
  const missing = required.filter((k) => config[k] === undefined || (Array.isArray(config[k]) && (config[k] as unknown[]).length === 0))
  if (missing.length) throw unprocessable(`A ${type} rule needs ${missing.join(', ')}`, { missing })
  if (type === 'repeat_contact' && !config.tickets && !config.messages) throw unprocessable('A repeat_contact rule needs tickets or messages (or both)')
  const out: Record<string, unknown> = {}
  for (const k of [...required, ...optional]) if (config[k] !== undefined) out[k] = config[k]
  if (Array.isArray(out.words)) out.words = [...new Set((out.words as string[]).map((w) => w.trim()).filter(Boolean))]
  return out as RiskRuleConfig
}

function assertAdmin(actor: Actor) {
  if (!canManageRiskRules(actor)) throw forbidden('manage risk rules')
}

type RuleRow = {
  id: number
  name: string
  type: string
  level: string
  enabled: number
  position: number
  config: unknown
  createdAt: number
  updatedAt: number
}

async function presentRules(db: Executor, rows: RuleRow[]): Promise<RiskRuleDto[]> {
  if (!rows.length) return []
  const counts = await db
    .selectFrom('riskRuleMatches')
    .select(['ruleId', (eb) => eb.fn.countAll<number>().as('n')])
    .where(
      'ruleId',
      'in',
      rows.map((r) => r.id),
    )
    .groupBy('ruleId')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    type: r.type as RiskRuleType,
    level: r.level as RiskLevel,
    enabled: !!r.enabled,
    position: r.position,
    config: readJson<RiskRuleConfig>(r.config, {}),
    matchCount: Number(counts.find((c) => c.ruleId === r.id)?.n ?? 0),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  }))
}

export async function listRiskRules(ctx: Ctx, actor: Actor): Promise<RiskRuleDto[]> {
  assertAdmin(actor)
  return presentRules(ctx.db, await ctx.db.selectFrom('riskRules').selectAll().orderBy('position').orderBy('id').execute())
}

async function getRule(db: Executor, id: number): Promise<RuleRow> {
  const row = await db.selectFrom('riskRules').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) throw notFound('Risk rule', id)
  return row
}

/** After any change: drop the cached rules and reassess open tickets in the background. */
async function afterChange(ctx: Ctx) {
  invalidateRiskConfig(ctx.db)
  await startReassessment(ctx.db)
}

export async function createRiskRule(ctx: Ctx, actor: Actor, input: RiskRuleInput): Promise<RiskRuleDto> {
  assertAdmin(actor)
  const config = normalizeRuleConfig(input.type, input.config)
  const id = await ctx.db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom('riskRules')
      .select((eb) => eb.fn.max('position').as('p'))
      .executeTakeFirst()
    const t = now()
    const row = await trx
      .insertInto('riskRules')
      .values({
        name: input.name.trim(),
        type: input.type,
        level: input.level,
        enabled: input.enabled === false ? 0 : 1,
        position: Number(last?.p ?? 0) + 1,
        config: writeJson(config),
        createdAt: t,
        updatedAt: t,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(trx, { actorId: actor.id, action: 'risk_rule.created', targetType: 'risk_rule', targetId: row.id, data: { ...input, config } })
    return row.id
  })
  await afterChange(ctx)
  return (await presentRules(ctx.db, [await getRule(ctx.db, id)]))[0]!
}

export async function updateRiskRule(ctx: Ctx, actor: Actor, id: number, patch: RiskRulePatch): Promise<RiskRuleDto> {
  assertAdmin(actor)
  await ctx.db.transaction().execute(async (trx) => {
    const rule = await getRule(trx, id)
    const config = patch.config ? normalizeRuleConfig(rule.type as RiskRuleType, patch.config) : undefined
    await trx
      .updateTable('riskRules')
      .set({
        ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
        ...(patch.level !== undefined ? { level: patch.level } : {}),
        ...(patch.enabled !== undefined ? { enabled: patch.enabled ? 1 : 0 } : {}),
        ...(config ? { config: writeJson(config) } : {}),
        updatedAt: now(),
      })
      .where('id', '=', id)
      .execute()
    // A disabled rule matches nothing any more: its list empties now rather than ticket by ticket.
    if (patch.enabled === false) await trx.deleteFrom('riskRuleMatches').where('ruleId', '=', id).execute()
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'risk_rule.updated',
      targetType: 'risk_rule',
      targetId: id,
      data: { before: { name: rule.name, level: rule.level, enabled: !!rule.enabled, config: readJson(rule.config, {}) }, changes: { ...patch, config } },
    })
  })
  await afterChange(ctx)
  return (await presentRules(ctx.db, [await getRule(ctx.db, id)]))[0]!
}

export async function deleteRiskRule(ctx: Ctx, actor: Actor, id: number): Promise<void> {
  assertAdmin(actor)
  await ctx.db.transaction().execute(async (trx) => {
    const rule = await getRule(trx, id)
    await trx.deleteFrom('riskRuleMatches').where('ruleId', '=', id).execute()
    await trx.deleteFrom('riskRules').where('id', '=', id).execute()
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'risk_rule.deleted',
      targetType: 'risk_rule',
      targetId: id,
      data: { name: rule.name, type: rule.type },
    })
  })
  await afterChange(ctx)
}

/** Sets the order rules are listed and their reasons shown in: `ids` must name every rule once. */
export async function reorderRiskRules(ctx: Ctx, actor: Actor, ids: number[]): Promise<RiskRuleDto[]> {
  assertAdmin(actor)
  await ctx.db.transaction().execute(async (trx) => {
    const existing = (await trx.selectFrom('riskRules').select('id').execute()).map((r) => r.id)
    const unique = new Set(ids)
    if (unique.size !== ids.length || ids.length !== existing.length || existing.some((id) => !unique.has(id)))
      throw unprocessable('Give every risk rule id exactly once', { expected: existing.sort((a, b) => a - b) })
    for (const [i, id] of ids.entries())
      await trx
        .updateTable('riskRules')
        .set({ position: i + 1 })
        .where('id', '=', id)
        .execute()
    await recordAudit(trx, { actorId: actor.id, action: 'risk_rule.reordered', targetType: 'risk_rule', targetId: null, data: { ids } })
  })
  invalidateRiskConfig(ctx.db)
  return listRiskRules(ctx, actor)
}

/** Tickets a rule matches now, newest match first, keyset-paginated on (matched_at, ticket_id). */
export async function listRuleMatches(ctx: Ctx, actor: Actor, id: number, query: { cursor?: string; limit?: number }): Promise<PageOf<RiskRuleMatchDto>> {
  assertAdmin(actor)
  await getRule(ctx.db, id)
  const limit = query.limit ?? 50
  const after = decodeCursor(query.cursor, 2)
  let q = ctx.db
    .selectFrom('riskRuleMatches as m')
    .innerJoin('tickets as t', 't.id', 'm.ticketId')
    .select(['m.ticketId', 'm.detail', 'm.matchedAt', 't.subject', 't.status', 't.riskLevel'])
    .where('m.ruleId', '=', id)
    .orderBy('m.matchedAt', 'desc')
    .orderBy('m.ticketId', 'desc')
    .limit(limit + 1)
  if (after) {
    const [at, ticketId] = after.map(Number) as [number, number]
    q = q.where((eb) => afterCursor(eb, 'm.matchedAt', 'm.ticketId', 'desc', at, ticketId))
  }
  const rows = await q.execute()
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  return {
    items: page.map((r) => ({
      ticketId: r.ticketId,
      subject: r.subject,
      status: r.status as TicketStatus,
      riskLevel: r.riskLevel as RiskLevel,
      detail: r.detail,
      matchedAt: r.matchedAt,
    })),
    nextCursor: rows.length > limit && last ? encodeCursor([last.matchedAt, last.ticketId]) : null,
  }
}
