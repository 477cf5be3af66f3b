import type { RiskLevel, RiskRuleConfig, RiskRuleType } from '@allhands/contract'
import { type CacheScope, cachedValue } from '../../platform/cache.ts'
import type { Executor } from '../../platform/context.ts'
import { now } from '../../platform/clock.ts'
import { readJson } from '../../platform/json.ts'
import { type CompiledRule, wordPattern } from './risk.evaluate.ts'

/**
 * Enabled rules and categories, compiled, kept in memory per database so a new message costs no rule
 * reads. A change clears the cache at once here and on the other nodes (platform/cache.ts); the TTL covers a
 * missed cluster message (and a reassessment job runs after every change anyway).
 */
const cache = cachedValue<RiskConfig>('risk-config', { ttlMs: 30_000 })

export interface RiskConfig {
  rules: CompiledRule[]
  categories: { id: number; pattern: RegExp | null }[]
  loadedAt: number
}

export function loadRiskConfig(db: Executor): Promise<RiskConfig> {
  return cache.get(db, () => readRiskConfig(db))
}

async function readRiskConfig(db: Executor): Promise<RiskConfig> {
  const [rules, categories] = await Promise.all([
    db.selectFrom('riskRules').selectAll().where('enabled', '=', 1).orderBy('position').orderBy('id').execute(),
    db.selectFrom('categories').select(['id', 'keywords']).orderBy('id').execute(),
  ])
  return {
    rules: rules.map((r) => {
      const c = readJson<RiskRuleConfig>(r.config, {})
      return {
        id: r.id,
        name: r.name,
        type: r.type as RiskRuleType,
        level: r.level as RiskLevel,
        config: c,
        pattern: r.type === 'keywords' || r.type === 'anger' ? wordPattern(c.words) : null,
      }
    }),
    categories: categories.map((c) => ({ id: c.id, pattern: wordPattern(readJson<string[]>(c.keywords, [])) })),
    loadedAt: now(),
  }
}

/** Forget the compiled rules and categories of this database (after an admin changed them), here and on other nodes. */
export function invalidateRiskConfig(db: CacheScope): void {
  cache.invalidate(db)
}
