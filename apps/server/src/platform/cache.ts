import type { ClusterBus } from './cluster-bus.ts'
import { now } from './clock.ts'
import type { Ctx, Executor } from './context.ts'

/**
 * Small, rarely changed data kept in memory per database (settings-like rows read on hot paths: an inbox, the SLA
 * policies, the enabled webhooks). A write that changes such data calls `invalidate` after its commit: the entry is
 * dropped here at once and on the other nodes through the cluster bus. The bus is fire-and-forget (and absent on a
 * single node), so a cache that other nodes may write can also set a TTL, and everything is dropped whenever the bus
 * (re)connects, since messages may have been missed meanwhile.
 *
 * Entries belong to one database (one Kysely instance and its transactions), so several apps in one process (tests,
 * the cluster test) never share them. A caller may pass the ctx or, where it has none, an executor of that database;
 * a cache reached with a ctx learns the app's bus, and invalidations through an executor then reach other nodes too.
 */
export type CacheScope = Ctx | Executor

type Entry = { value: unknown; loadedAt: number }
interface ScopeState {
  bus: ClusterBus | null
  /** Cache name → key → entry. */
  caches: Map<string, Map<string, Entry>>
  /** Bumped by every invalidation of a cache: a load that started before one is not kept. */
  generations: Map<string, number>
}

const CHANNEL = 'cache-invalidated'
const states = new WeakMap<object, ScopeState>()

const isCtx = (scope: CacheScope): scope is Ctx => 'bus' in scope && 'db' in scope
// One adapter per Kysely instance, shared by its transactions.
const keyOf = (scope: CacheScope): object => (isCtx(scope) ? scope.db : scope).getExecutor().adapter

function stateOf(scope: CacheScope): ScopeState {
  const key = keyOf(scope)
  let state = states.get(key)
  if (!state) {
    state = { bus: null, caches: new Map(), generations: new Map() }
    states.set(key, state)
  }
  if (isCtx(scope) && !state.bus) listen(state, scope.bus)
  return state
}

function listen(state: ScopeState, bus: ClusterBus): void {
  state.bus = bus
  bus.subscribe(CHANNEL, (data: { name?: unknown; key?: unknown }) => {
    if (typeof data?.name === 'string') drop(state, data.name, typeof data.key === 'string' ? data.key : undefined)
  })
  bus.onConnected(() => {
    for (const name of [...state.caches.keys()]) drop(state, name)
  })
}

function drop(state: ScopeState, name: string, key?: string): void {
  state.generations.set(name, (state.generations.get(name) ?? 0) + 1)
  if (key === undefined) state.caches.delete(name)
  else state.caches.get(name)?.delete(key)
}

/** Makes the app's caches hear other nodes' invalidations from now on (also done by the first read with a ctx). */
export function watchCacheInvalidations(ctx: Ctx): void {
  stateOf(ctx)
}

export interface CacheOptions {
  /** Re-read an entry older than this even without an invalidation (data that other processes may change). */
  ttlMs?: number
  /** Keyed caches: the most entries kept; the oldest is dropped beyond it. */
  maxEntries?: number
}

export interface KeyedCache<K extends string | number, V> {
  /** The cached value for `key`, or what `load` reads (kept unless an invalidation happened meanwhile). */
  get(scope: CacheScope, key: K, load: () => Promise<V>): Promise<V>
  /** Drops one key (or all) here and on the other nodes. Call after the change committed. */
  invalidate(scope: CacheScope, key?: K): void
}

/** A cache of values by key, e.g. inboxes by id. `name` is unique per cache: nodes tell each other by it. */
export function keyedCache<K extends string | number, V>(name: string, opts: CacheOptions = {}): KeyedCache<K, V> {
  return {
    async get(scope, key, load) {
      const state = stateOf(scope)
      const k = String(key)
      const hit = state.caches.get(name)?.get(k)
      const t = now()
      if (hit && (opts.ttlMs === undefined || (t - hit.loadedAt < opts.ttlMs && hit.loadedAt <= t))) return hit.value as V
      const generation = state.generations.get(name) ?? 0
      const value = await load()
      if ((state.generations.get(name) ?? 0) === generation) {
        let entries = state.caches.get(name)
        if (!entries) {
          entries = new Map()
          state.caches.set(name, entries)
        }
        entries.delete(k)
        entries.set(k, { value, loadedAt: t })
        if (opts.maxEntries !== undefined && entries.size > opts.maxEntries) entries.delete(entries.keys().next().value!)
      }
      return value
    },
    invalidate(scope, key) {
      const state = stateOf(scope)
      const k = key === undefined ? undefined : String(key)
      drop(state, name, k)
      state.bus?.publish(CHANNEL, k === undefined ? { name } : { name, key: k })
    },
  }
}

export interface CachedValue<V> {
  get(scope: CacheScope, load: () => Promise<V>): Promise<V>
  invalidate(scope: CacheScope): void
}

/** One cached value per database, e.g. the enabled SLA policies. */
export function cachedValue<V>(name: string, opts: Omit<CacheOptions, 'maxEntries'> = {}): CachedValue<V> {
  const cache = keyedCache<string, V>(name, opts)
  return {
    get: (scope, load) => cache.get(scope, '', load),
    invalidate: (scope) => cache.invalidate(scope),
  }
}
