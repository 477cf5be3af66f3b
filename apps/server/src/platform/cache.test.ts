import { afterEach, describe, expect, it } from 'vitest'
import { cachedValue, keyedCache, watchCacheInvalidations } from './cache.ts'
import { advanceClock, freezeClock, resetClock } from './clock.ts'
import type { ClusterBus } from './cluster-bus.ts'
import type { Ctx, Executor } from './context.ts'

/** An in-memory cluster: what one node publishes reaches the others (never itself), as over Redis. */
function cluster() {
  const nodes: { handlers: Map<string, ((data: unknown) => void)[]>; connected: (() => void)[] }[] = []
  const node = (): { ctx: Ctx; db: Executor; reconnect(): void } => {
    const me = { handlers: new Map<string, ((data: unknown) => void)[]>(), connected: [] as (() => void)[] }
    nodes.push(me)
    const bus = {
      nodeId: String(nodes.length),
      status: () => 'ok',
      publish: (channel: string, data: unknown) => {
        for (const n of nodes) if (n !== me) for (const h of n.handlers.get(channel) ?? []) h(JSON.parse(JSON.stringify(data)))
      },
      subscribe: (channel: string, handler: (data: unknown) => void) => me.handlers.set(channel, [...(me.handlers.get(channel) ?? []), handler]),
      onConnected: (listener: () => void) => me.connected.push(listener),
      redis: null,
      close: async () => {},
    } as unknown as ClusterBus
    // Entries belong to a database: one adapter per Kysely instance, shared by its transactions.
    const adapter = {}
    const db = { getExecutor: () => ({ adapter }) } as unknown as Executor
    return {
      ctx: { db, bus } as unknown as Ctx,
      db,
      reconnect: () => {
        for (const l of me.connected) l()
      },
    }
  }
  return { node }
}

const counter = () => {
  let n = 0
  return {
    load: async () => ++n,
    get count() {
      return n
    },
  }
}

describe('platform cache', () => {
  afterEach(() => resetClock())

  it('keeps a value until it is invalidated, per database', async () => {
    const { node } = cluster()
    const [a, b] = [node(), node()]
    const cache = cachedValue<number>('test-value')
    const source = counter()
    expect(await cache.get(a.ctx, source.load)).toBe(1)
    expect(await cache.get(a.ctx, source.load)).toBe(1)
    // A transaction (any executor of the same database) shares the entry.
    expect(await cache.get(a.db, source.load)).toBe(1)
    // Another database has its own.
    expect(await cache.get(b.ctx, source.load)).toBe(2)
    cache.invalidate(a.ctx)
    expect(await cache.get(a.ctx, source.load)).toBe(3)
  })

  it('drops one key of a keyed cache and keeps the others', async () => {
    const { node } = cluster()
    const { ctx } = node()
    const cache = keyedCache<number, string>('test-keyed')
    let reads = 0
    const load = (id: number) => async () => `${id}:${++reads}`
    expect(await cache.get(ctx, 1, load(1))).toBe('1:1')
    expect(await cache.get(ctx, 2, load(2))).toBe('2:2')
    cache.invalidate(ctx, 1)
    expect(await cache.get(ctx, 1, load(1))).toBe('1:3')
    expect(await cache.get(ctx, 2, load(2))).toBe('2:2')
  })

  it('bounds a keyed cache to maxEntries, dropping the oldest', async () => {
    const { ctx } = cluster().node()
    const cache = keyedCache<number, number>('test-bounded', { maxEntries: 2 })
    let reads = 0
    const load = async () => ++reads
    await cache.get(ctx, 1, load)
    await cache.get(ctx, 2, load)
    await cache.get(ctx, 3, load)
    expect(await cache.get(ctx, 3, load)).toBe(3)
    expect(await cache.get(ctx, 1, load)).toBe(4)
  })

  it('re-reads an entry older than its TTL', async () => {
    const { ctx } = cluster().node()
    const cache = cachedValue<number>('test-ttl', { ttlMs: 1000 })
    // Frozen: only advanceClock moves time, however slow the machine.
    freezeClock()
    const source = counter()
    expect(await cache.get(ctx, source.load)).toBe(1)
    advanceClock(999)
    expect(await cache.get(ctx, source.load)).toBe(1)
    advanceClock(2)
    expect(await cache.get(ctx, source.load)).toBe(2)
  })

  it('does not keep what a read started before an invalidation returned', async () => {
    const { ctx } = cluster().node()
    const cache = cachedValue<string>('test-race')
    let release!: () => void
    const slow = cache.get(ctx, () => new Promise<string>((r) => (release = () => r('old'))))
    cache.invalidate(ctx)
    release()
    expect(await slow).toBe('old')
    expect(await cache.get(ctx, async () => 'new')).toBe('new')
  })

  it('tells the other nodes, also when invalidated through a transaction, and drops everything on reconnect', async () => {
    const { node } = cluster()
    const [a, b] = [node(), node()]
    watchCacheInvalidations(a.ctx)
    watchCacheInvalidations(b.ctx)
    const cache = cachedValue<number>('test-cluster')
    const keyed = keyedCache<number, number>('test-cluster-keyed')
    const onB = counter()
    expect(await cache.get(b.ctx, onB.load)).toBe(1)
    expect(await keyed.get(b.ctx, 7, onB.load)).toBe(2)
    expect(await keyed.get(b.ctx, 8, onB.load)).toBe(3)

    cache.invalidate(a.ctx)
    expect(await cache.get(b.ctx, onB.load)).toBe(4)
    keyed.invalidate(a.db, 7)
    expect(await keyed.get(b.ctx, 7, onB.load)).toBe(5)
    expect(await keyed.get(b.ctx, 8, onB.load)).toBe(3)

    b.reconnect()
    expect(await cache.get(b.ctx, onB.load)).toBe(6)
    expect(await keyed.get(b.ctx, 8, onB.load)).toBe(7)
  })
})
