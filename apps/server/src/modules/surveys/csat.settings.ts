import type { CsatSettingsDto } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { forbidden } from '../../platform/errors.ts'
import { recordAudit } from '../../platform/audit.ts'
import { readJson } from '../../platform/json.ts'
import { canManageSurveys, canViewSurveyResults } from './surveys.policy.ts'
import { fillPlaceholders } from '../../platform/templates.ts'

const SETTINGS_KEY = 'csatSettings'
/** Solves at or before this instant have been considered by the scheduler (see jobs/schedule-csat-surveys.ts). */
export const CSAT_WATERMARK_KEY = 'csatWatermark'

export const DEFAULT_CSAT_SETTINGS: CsatSettingsDto = {
  enabled: true,
  delayMinutes: 60,
  scale: '3',
  expiryDays: 14,
  subject: 'How did we do? [#{{ticket.number}}] {{ticket.subject}}',
  intro: 'Hi {{requester.firstName}}, your request "{{ticket.subject}}" (#{{ticket.number}}) was solved. We would love to hear how it went.',
  question: 'How would you rate the support you received?',
}

export async function readCsatSettings(db: Executor): Promise<CsatSettingsDto> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', SETTINGS_KEY).executeTakeFirst()
  return { ...DEFAULT_CSAT_SETTINGS, ...readJson<Partial<CsatSettingsDto>>(row?.value ?? null, {}) }
}

export async function getCsatSettings(ctx: Ctx, actor: Actor): Promise<CsatSettingsDto> {
  if (!canViewSurveyResults(actor)) throw forbidden('see survey settings')
  return readCsatSettings(ctx.db)
}

export async function writeSetting(db: Executor, key: string, value: unknown): Promise<void> {
  const json = JSON.stringify(value)
  await db
    .insertInto('settings')
    .values({ key, value: json })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: json }))
    .execute()
}

/**
 * Admins change the CSAT survey; audited. Turning it on starts from solves that are due now, so a
 * workspace that enables CSAT does not mail every customer of the last weeks.
 */
export async function updateCsatSettings(ctx: Ctx, actor: Actor, input: CsatSettingsDto): Promise<CsatSettingsDto> {
  if (!canManageSurveys(actor)) throw forbidden('change survey settings')
  await ctx.db.transaction().execute(async (trx) => {
    const before = await readCsatSettings(trx)
    await writeSetting(trx, SETTINGS_KEY, input)
    if (input.enabled && !before.enabled) await writeSetting(trx, CSAT_WATERMARK_KEY, now() - input.delayMinutes * 60_000)
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'surveys.csat_settings_changed',
      targetType: 'settings',
      targetId: null,
      data: { from: before, to: input },
    })
  })
  return readCsatSettings(ctx.db)
}

/** Fills {{ticket.number}}, {{ticket.subject}} and {{requester.firstName}}; unknown placeholders stay as written. */
export function fillTemplate(template: string, values: { ticketNumber: number; ticketSubject: string; requesterName: string }): string {
  const firstName = values.requesterName.trim().split(/\s+/)[0] || 'there'
  const map: Record<string, string> = {
    'ticket.number': String(values.ticketNumber),
    'ticket.subject': values.ticketSubject,
    'requester.firstName': firstName,
  }
  return fillPlaceholders(template, map)
}
