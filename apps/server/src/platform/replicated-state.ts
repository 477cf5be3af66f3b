import type { ClusterBus } from './cluster-bus.ts'

type Message<V> =
  | { t: 'set'; k: string; v: V }
  | { t: 'del'; k: string }
  | { t: 'snap'; entries: [string, V][] }
  | { t: 'hello' }
  | { t: 'beat' }
  | { t: 'bye' }

/**
 * Soft state that every node keeps about itself (who has which ticket open, which live-chat visitors are connected
 * here) and mirrors from its peers over the cluster bus. Each node announces its own entries; a node that stops
 * sending heartbeats is forgotten after `expireMs`, which gives the same guarantee as Redis keys with a TTL
 * without a Redis round trip on every read. On a single node (no Redis) nothing is sent and nothing is remote.
 */
export class ReplicatedState<V> {
  private readonly local = new Map<string, V>()
  /** key → node → value, for the peers' entries. */
  private readonly remote = new Map<string, Map<string, V>>()
  private readonly peers = new Map<string, { keys: Set<string>; seenAt: number }>()
  private timer: NodeJS.Timeout | null = null
  private readonly channel: string

  constructor(
    private readonly bus: ClusterBus,
    name: string,
    /** Hears every change of a key that came from another node. */
    private readonly onRemoteChange: (key: string) => void,
    private readonly opts: { beatMs?: number; expireMs?: number } = {},
  ) {
    this.channel = `state:${name}`
    if (!bus.redis) return
    bus.subscribe(this.channel, (m: Message<V>, node) => this.receive(m, node))
    bus.onConnected(() => {
      this.send({ t: 'hello' })
      this.send({ t: 'snap', entries: [...this.local] })
    })
    const beatMs = opts.beatMs ?? 10_000
    this.timer = setInterval(() => {
      this.send({ t: 'beat' })
      this.expirePeers()
    }, beatMs)
    this.timer.unref()
  }

  /** Sets (or, with undefined, removes) this node's entry and tells the peers. */
  set(key: string, value: V | undefined): void {
    if (value === undefined) {
      if (!this.local.delete(key)) return
      this.send({ t: 'del', k: key })
    } else {
      this.local.set(key, value)
      this.send({ t: 'set', k: key, v: value })
    }
  }

  /** The peers' values for a key (this node's own are not included). */
  remoteValues(key: string): V[] {
    const byNode = this.remote.get(key)
    return byNode ? [...byNode.values()] : []
  }

  /** Keys some peer holds an entry for. */
  remoteKeys(): IterableIterator<string> {
    return this.remote.keys()
  }

  /** Tells the peers this node's entries are gone (a clean shutdown; a crash is noticed by the missing heartbeats). */
  close(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    this.send({ t: 'bye' })
  }

  private send(message: Message<V>): void {
    if (this.bus.redis && this.bus.status() === 'ok') this.bus.publish(this.channel, message)
  }

  private receive(m: Message<V>, node: string): void {
    const peer = this.peers.get(node) ?? { keys: new Set<string>(), seenAt: 0 }
    peer.seenAt = Date.now()
    this.peers.set(node, peer)
    switch (m.t) {
      case 'hello':
        this.send({ t: 'snap', entries: [...this.local] })
        return
      case 'beat':
        return
      case 'set':
        this.put(node, peer, m.k, m.v)
        return
      case 'del':
        this.drop(node, peer, m.k)
        return
      case 'snap': {
        const incoming = new Map(m.entries)
        for (const k of [...peer.keys]) if (!incoming.has(k)) this.drop(node, peer, k)
        for (const [k, v] of incoming) this.put(node, peer, k, v)
        return
      }
      case 'bye':
        this.forget(node)
    }
  }

  private put(node: string, peer: { keys: Set<string> }, key: string, value: V): void {
    const byNode = this.remote.get(key) ?? new Map<string, V>()
    byNode.set(node, value)
    this.remote.set(key, byNode)
    peer.keys.add(key)
    this.onRemoteChange(key)
  }

  private drop(node: string, peer: { keys: Set<string> }, key: string): void {
    peer.keys.delete(key)
    const byNode = this.remote.get(key)
    if (!byNode?.delete(node)) return
    if (byNode.size === 0) this.remote.delete(key)
    this.onRemoteChange(key)
  }

  private forget(node: string): void {
    const peer = this.peers.get(node)
    if (!peer) return
    for (const k of [...peer.keys]) this.drop(node, peer, k)
    this.peers.delete(node)
  }

  private expirePeers(): void {
    const limit = Date.now() - (this.opts.expireMs ?? 30_000)
    for (const [node, peer] of [...this.peers]) if (peer.seenAt < limit) this.forget(node)
  }
}
