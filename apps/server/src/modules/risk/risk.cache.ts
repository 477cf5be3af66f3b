import type { RiskLevel, RiskRuleConfig, RiskRuleType } from '@allhands/contract'
import type { Executor } from '../../platform/context.ts'
import { now } from '../../platform/clock.ts'
import { readJson } from '../../platform/json.ts'
import { type CompiledRule, wordPattern } from './risk.evaluate.ts'

/**
 * Enabled rules and categories, compiled, kept in memory per database so a new message costs no rule
 * reads. Changes made through this process clear the cache at once; other processes see them within
 * the TTL (and a reassessment job runs after every change anyway).
 */
const TTL_MS = 30_000

export interface RiskConfig {
  rules: CompiledRule[]
  categories: { id: number; pattern: RegExp | null }[]
  loadedAt: number
}

// Keyed by the database's adapter: one per Kysely instance, shared by its transactions.
const cache = new WeakMap<object, RiskConfig>()
const keyOf = (db: Executor) => db.getExecutor().adapter

export async function loadRiskConfig(db: Executor): Promise<RiskConfig> {
  const key = keyOf(db)
  const hit = cache.get(key)
  if (hit && now() - hit.loadedAt < TTL_MS && hit.loadedAt <= now()) return hit
  const [rules, categories] = await Promise.all([
    db.selectFrom('riskRules').selectAll().where('enabled', '=', 1).orderBy('position').orderBy('id').execute(),
    db.selectFrom('categories').select(['id', 'keywords']).orderBy('id').execute(),
  ])
  const config: RiskConfig = {
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
  cache.set(key, config)
  return config
}

/** Forget the compiled rules and categories of this database (after an admin changed them). */
export function invalidateRiskConfig(db: Executor): void {
  cache.delete(keyOf(db))
}
