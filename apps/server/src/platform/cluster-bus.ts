import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'

export type BusStatus = 'off' | 'ok' | 'down'
type Handler = (data: any, fromNode: string) => void

/** What a node publishes while Redis is unreachable, replayed when it is back; the oldest is dropped beyond this. */
const MAX_BUFFERED = 10_000

/**
 * How the nodes of a cluster tell each other what happened: Redis pub/sub when REDIS_URL is set, nothing at all on a
 * single node. Messages are fire-and-forget (live updates, not records: the database holds those); a node never
 * hears its own messages.
 */
export interface ClusterBus {
  readonly nodeId: string
  status(): BusStatus
  publish(channel: string, data: unknown): void
  subscribe(channel: string, handler: Handler): void
  /** Called each time the bus (re)connects, so replicated state can ask peers for what it may have missed. */
  onConnected(listener: () => void): void
  /** The command connection, for stores that share state through Redis (rate limits); null on a single node. */
  readonly redis: Redis | null
  close(): Promise<void>
}

const newNodeId = () => `${process.pid}-${randomBytes(4).toString('hex')}`

/** One node, no Redis: nothing leaves the process. */
export function singleNodeBus(): ClusterBus {
  return {
    nodeId: newNodeId(),
    status: () => 'off',
    publish: () => {},
    subscribe: () => {},
    onConnected: () => {},
    redis: null,
    close: async () => {},
  }
}

/**
 * Redis pub/sub between nodes. Two connections (a subscribed connection cannot publish). While Redis is down,
 * requests are still served: publishes are buffered (bounded) and replayed on reconnect.
 */
export function redisBus(url: string, prefix: string, log: { warn(obj: object, msg: string): void }): ClusterBus {
  const nodeId = newNodeId()
  const options = {
    // Fail fast instead of queueing: the rate limiter skips a failing store and the bus keeps its own buffer.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (attempt: number) => Math.min(200 * attempt, 2_000),
  }
  const pub = new Redis(url, { ...options, connectionName: `allhands-pub-${nodeId}` })
  // Channels are (re)subscribed by us on every connect, before peers are asked to resend what we missed.
  const sub = new Redis(url, { ...options, connectionName: `allhands-sub-${nodeId}`, autoResubscribe: false })
  const handlers = new Map<string, Handler[]>()
  const connectedListeners: (() => void)[] = []
  const buffered: [string, string][] = []
  let subReady = false
  let pubReady = false
  let warned = false
  const channelOf = (name: string) => `${prefix}:${name}`

  const flush = () => {
    while (buffered.length && pub.status === 'ready') {
      const [channel, message] = buffered.shift()!
      pub.publish(channel, message).catch(() => buffered.unshift([channel, message]))
    }
  }
  const announce = () => {
    if (!(subReady && pubReady)) return
    flush()
    for (const l of connectedListeners) l()
  }
  const down = (which: string) => (err?: Error) => {
    if (which === 'pub') pubReady = false
    else subReady = false
    if (!warned) log.warn({ err: err?.message }, 'Redis is unreachable: live updates stay on this node until it is back')
    warned = true
  }
  pub.on('ready', () => {
    pubReady = true
    warned = false
    announce()
  })
  sub.on('ready', () => {
    const channels = [...handlers.keys()]
    void (channels.length ? sub.subscribe(...channels) : Promise.resolve()).then(
      () => {
        subReady = true
        warned = false
        announce()
      },
      (err: Error) => log.warn({ err: err.message }, 'Redis subscribe failed'),
    )
  })
  pub.on('error', down('pub'))
  sub.on('error', down('sub'))
  pub.on('close', () => {
    pubReady = false
  })
  sub.on('close', () => {
    subReady = false
  })
  sub.on('message', (channel: string, raw: string) => {
    let parsed: { n: string; d: unknown }
    try {
      parsed = JSON.parse(raw)
    } catch {
      return
    }
    if (parsed.n === nodeId) return
    for (const h of handlers.get(channel) ?? []) {
      try {
        h(parsed.d, parsed.n)
      } catch (err) {
        log.warn({ err, channel }, 'cluster message handler failed')
      }
    }
  })

  return {
    nodeId,
    redis: pub,
    status: () => (subReady && pubReady ? 'ok' : 'down'),
    publish(name, data) {
      const channel = channelOf(name)
      const message = JSON.stringify({ n: nodeId, d: data })
      if (pub.status !== 'ready') {
        buffered.push([channel, message])
        if (buffered.length > MAX_BUFFERED) buffered.shift()
        return
      }
      pub.publish(channel, message).catch(() => {
        buffered.push([channel, message])
        if (buffered.length > MAX_BUFFERED) buffered.shift()
      })
    },
    subscribe(name, handler) {
      const channel = channelOf(name)
      const list = handlers.get(channel)
      if (list) list.push(handler)
      else {
        handlers.set(channel, [handler])
        // Not connected yet: the ready handler subscribes every known channel.
        if (sub.status === 'ready') void sub.subscribe(channel).catch(() => {})
      }
    },
    onConnected(listener) {
      connectedListeners.push(listener)
    },
    async close() {
      await Promise.allSettled([pub.quit(), sub.quit()])
      pub.disconnect()
      sub.disconnect()
    },
  }
}
