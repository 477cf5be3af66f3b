import type { CommunitySettingsDto } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { forbidden } from '../../platform/errors.ts'
import { canManageCommunitySettings } from './community.policy.ts'

export const COMMUNITY_SETTINGS_KEY = 'community'
export const DEFAULT_COMMUNITY_SETTINGS: CommunitySettingsDto = {
  holdFirstPosts: true,
  maxLinks: 3,
  linkAction: 'refuse',
  maxPostsPerHour: 10,
  flagsToHold: 3,
  blockedWords: [],
}

/** The stored rules over the defaults (a setting added later gets its default). */
export async function readCommunitySettings(db: Executor): Promise<CommunitySettingsDto> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', COMMUNITY_SETTINGS_KEY).executeTakeFirst()
  return { ...DEFAULT_COMMUNITY_SETTINGS, ...(row ? (JSON.parse(row.value) as Partial<CommunitySettingsDto>) : {}) }
}

export async function updateCommunitySettings(ctx: Ctx, actor: Actor, input: CommunitySettingsDto): Promise<CommunitySettingsDto> {
  if (!canManageCommunitySettings(actor)) throw forbidden('change community settings')
  const value = JSON.stringify({ ...input, blockedWords: [...new Set(input.blockedWords.map((w) => w.trim().toLowerCase()).filter(Boolean))] })
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('settings')
      .values({ key: COMMUNITY_SETTINGS_KEY, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute()
    await recordAudit(trx, { actorId: actor.id, action: 'community.settings_updated', targetType: 'settings', targetId: null, data: JSON.parse(value) })
  })
  return readCommunitySettings(ctx.db)
}

/** Links in a post: anchors and bare URLs in its text. */
export const countLinks = (html: string, text: string) =>
  Math.max((html.match(/<a\s[^>]*href=/gi) ?? []).length, (text.match(/\bhttps?:\/\/\S+/gi) ?? []).length)

/** The first blocked word the text contains (whole words, case-insensitive), or null. */
export function blockedWordIn(text: string, words: string[]): string | null {
  const lower = ` ${text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ')} `
  return words.find((w) => lower.includes(` ${w.toLowerCase()} `)) ?? null
}
