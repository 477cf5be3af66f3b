import { TONE_RULES, type ToneCheckInput, type ToneCheckResult, type ToneRuleId, type ToneRulesDto, type ToneRulesInput } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { type Ctx, type Executor, inTransaction } from '../../platform/context.ts'
import { forbidden } from '../../platform/errors.ts'
import { readJson, writeJson } from '../../platform/json.ts'
import { canEditToneRules } from '../../platform/policy.ts'
import { htmlToText } from '../../platform/sanitize.ts'
import { getVisibleTicket } from '../tickets/tickets.service.ts'
import { checkTone, TONE_RULE_INFO } from './tone.rules.ts'

/** The settings key holding the rules admins switched off. */
const SETTING_KEY = 'toneRulesDisabled'

async function disabledRules(db: Executor): Promise<Set<ToneRuleId>> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', SETTING_KEY).executeTakeFirst()
  const ids = readJson<string[]>(row?.value, [])
  return new Set(ids.filter((id): id is ToneRuleId => (TONE_RULES as readonly string[]).includes(id)))
}

export async function getToneRules(db: Executor): Promise<ToneRulesDto> {
  const disabled = await disabledRules(db)
  return { rules: TONE_RULES.map((id) => ({ id, ...TONE_RULE_INFO[id], enabled: !disabled.has(id) })) }
}

/** Switches rules on or off (admins; audited). Rules not named keep their state. */
export async function updateToneRules(ctx: Ctx, actor: Actor, input: ToneRulesInput): Promise<ToneRulesDto> {
  if (!canEditToneRules(actor)) throw forbidden('change the tone coach rules')
  await inTransaction(ctx, async (trx) => {
    const disabled = await disabledRules(trx)
    const before = [...disabled].sort()
    for (const r of input.rules) {
      if (r.enabled) disabled.delete(r.id)
      else disabled.add(r.id)
    }
    const after = [...disabled].sort()
    const value = writeJson(after)
    await trx
      .insertInto('settings')
      .values({ key: SETTING_KEY, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute()
    if (writeJson(before) !== value)
      await recordAudit(trx, {
        actorId: actor.id,
        action: 'tone_rules.updated',
        targetType: 'settings',
        targetId: null,
        data: { disabled: { from: before, to: after } },
      })
  })
  return getToneRules(ctx.db)
}

/**
 * Checks a draft against the enabled rules. With a ticket (which the caller must be able to see), the
 * customer's latest message feeds the unanswered-questions rule and their first name the greeting hint.
 */
export async function checkDraft(ctx: Ctx, actor: Actor, input: ToneCheckInput): Promise<ToneCheckResult> {
  const disabled = await disabledRules(ctx.db)
  const enabled = new Set(TONE_RULES.filter((id) => !disabled.has(id)))
  let customerMessage: string | null = null
  let customerFirstName: string | null = null
  if (input.ticketId !== undefined) {
    const ticket = await getVisibleTicket(ctx.db, actor, input.ticketId)
    const [latest, requester] = await Promise.all([
      ctx.db
        .selectFrom('messages')
        .select('text')
        .where('ticketId', '=', ticket.id)
        .where('kind', '=', 'customer')
        .orderBy('createdAt', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst(),
      ctx.db.selectFrom('contacts').select('name').where('id', '=', ticket.requesterId).executeTakeFirst(),
    ])
    customerMessage = latest?.text ?? null
    const first = requester?.name.trim().split(/\s+/)[0]
    customerFirstName = first && /^\p{Lu}/u.test(first) ? first : null
  }
  return checkTone(htmlToText(input.html), { enabled, customerMessage, customerFirstName })
}
