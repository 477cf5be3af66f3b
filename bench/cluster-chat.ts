import type { Kysely } from 'kysely'
import type { DB } from '../apps/server/src/db/schema.ts'
import {
  AgentSockets,
  type Api,
  apiOf,
  chatStartItems,
  type ChatDesk,
  type ChatLatency,
  conversationTickets,
  latency,
  ORIGIN,
  paced,
  replyLatency,
  type Seen,
  seedVisitors,
  spread,
  VisitorProcess,
} from './chat.ts'

/** Live chat across web nodes, measured while the load generator runs. */
export interface ClusterChatFigures {
  /** Widget sockets connected for the measurements, round-robin over the nodes (plus the warm-up visitors). */
  visitors: number
  visitorsPerNode: number[]
  warmUpVisitors: number
  /** Agent sockets per node: every agent has one on every web node. */
  agentSocketsPerNode: number
  connectSeconds: number
  failed: number
  chats: number
  /** From the first chat's start to the last chat's end: the part that overlapped the load window is load-bearing. */
  seconds: number
  messagesPerChat: number
  messagesPerSecond: number
  /** A visitor's first message through node X → `ticket.created` on an agent socket on node Y (Y = X with one node). */
  chatStart: ChatLatency
  /** A visitor's message through node X → `message.created` on the first agent socket on node Y. */
  visitorToAgent: ChatLatency
  /** Just before an agent's reply is POSTed to node Y → the reply on the visitor's socket on node X. */
  agentToVisitor: ChatLatency
  /** Visitor sockets the servers closed during the phase (should be 0). */
  lostSockets: number
  errors: string[]
}

/** A visitor of the phase: its token, its row and the node its socket is on. */
interface Slot {
  token: string
  visitorId: number
  node: number
}

interface Sent {
  slot: number
  key: Seen | null
  sentAt: number
}

const WARM_UP_PER_NODE = 10
const CONNECT_WINDOW = 50
/** The widget's keep-alive (apps/widget/src/connection.ts). */
const PING_EVERY_MS = 20_000
const ACK_TIMEOUT_MS = 15_000
const ARRIVAL_TIMEOUT_MS = 10_000

/**
 * Widget sockets connected to the web nodes round-robin (from a separate process, bench/chat-visitors.ts) and every
 * agent's socket on every node; each message is timed to the *other* node than the one it went through, so with two
 * web nodes every sample crosses Redis: visitor on X → agents on Y, and agent reply through Y → visitor on X.
 */
export class ClusterChat {
  private readonly agentApis: Map<number, Api>[]
  private readonly anyAgentApi: Api

  private constructor(
    private readonly nodes: string[],
    private readonly desk: ChatDesk,
    private readonly db: Kysely<DB>,
    private readonly slots: Slot[],
    private readonly warmSlots: number[],
    private readonly visitors: VisitorProcess,
    private readonly agentsOn: AgentSockets[],
    private readonly connected: { seconds: number; failed: number; errors: string[] },
  ) {
    this.agentApis = nodes.map((base) => new Map(desk.agents.map((a) => [a.id, apiOf(base, a.headers)])))
    this.anyAgentApi = apiOf(nodes[0]!, desk.agents[0]!.headers)
  }

  /** Seeds `count` visitors (and the warm-up ones) into the desk's inbox, opens every socket and chats once unmeasured. */
  static async open(nodes: string[], desk: ChatDesk, db: Kysely<DB>, count: number, log: (line: string) => void): Promise<ClusterChat> {
    const warm = WARM_UP_PER_NODE * nodes.length
    const seeded = await seedVisitors(db, desk.inboxId, count + warm)
    // The visitors' process numbers sockets in the order they connect: node by node, so slot i is socket i.
    const byNode = nodes.map((_, node) => seeded.tokens.flatMap((token, i) => (i % nodes.length === node ? [{ token, visitorId: seeded.ids[i]!, node }] : [])))
    const slots = byNode.flat()
    let first = 0
    const warmSlots = byNode.flatMap((list) => {
      const mine = Array.from({ length: Math.min(WARM_UP_PER_NODE, list.length) }, (_, k) => first + k)
      first += list.length
      return mine
    })

    const visitors = new VisitorProcess()
    const agentsOn = nodes.map(() => new AgentSockets())
    try {
      for (const [node, base] of nodes.entries())
        await agentsOn[node]!.open(
          base,
          desk.agents.map((a) => a.headers),
        )
      const t0 = performance.now()
      let failed = 0
      const errors: string[] = []
      for (const [node, base] of nodes.entries()) {
        const res = await visitors.call({
          type: 'connect',
          url: `${base.replace(/^http/, 'ws')}/api/v1/widget/ws`,
          origin: ORIGIN,
          tokens: byNode[node]!.map((s) => s.token),
          window: CONNECT_WINDOW,
          pingEveryMs: PING_EVERY_MS,
        })
        failed += res.failed
        errors.push(...res.errors.slice(0, 3))
      }
      const seconds = Math.round((performance.now() - t0) / 100) / 10
      log(`  chat: ${slots.length.toLocaleString('en')} widget sockets on ${nodes.length} node(s) in ${seconds} s${failed ? `, ${failed} failed` : ''}`)
      const chat = new ClusterChat(nodes, desk, db, slots, warmSlots, visitors, agentsOn, { seconds, failed, errors })
      // Warm-up, not measured: the chat paths of every node are compiled before anything is timed.
      const w = await chat.exchange(warmSlots, 1, 20, `warm-${Date.now().toString(36)}`)
      if (w.errors.length) log(`    chat warm-up errors: ${w.errors.join(' | ')}`)
      return chat
    } catch (err) {
      await visitors.stop()
      for (const a of agentsOn) a.close()
      throw err
    }
  }

  /**
   * Chats sized to take about `seconds` at `perSecond` messages a second each way: each chat starts, exchanges
   * `perChat` messages both ways, and ends (between 10 and 200 chats: 5 agents take at most 250 at a time).
   */
  async measure(seconds: number, perSecond: number, perChat: number): Promise<ClusterChatFigures> {
    const warm = new Set(this.warmSlots)
    const pool = this.slots.map((_, i) => i).filter((i) => !warm.has(i))
    const chats = Math.max(10, Math.min(200, Math.floor((seconds * perSecond) / (2 + 2 * perChat))))
    const sample = spread(0, pool.length, chats).map((k) => pool[k]!)
    const t0 = performance.now()
    const x = await this.exchange(sample, perChat, perSecond, `m-${Date.now().toString(36)}`)
    const elapsed = Math.round((performance.now() - t0) / 100) / 10
    const st = await this.visitors.call({ type: 'status' })
    return {
      visitors: this.slots.length - this.warmSlots.length,
      visitorsPerNode: this.nodes.map((_, node) => this.slots.filter((s, i) => s.node === node && !warm.has(i)).length),
      warmUpVisitors: this.warmSlots.length,
      agentSocketsPerNode: this.desk.agents.length,
      connectSeconds: this.connected.seconds,
      failed: this.connected.failed,
      chats: sample.length,
      seconds: elapsed,
      messagesPerChat: perChat,
      messagesPerSecond: perSecond,
      chatStart: x.chatStart,
      visitorToAgent: x.visitorToAgent,
      agentToVisitor: x.agentToVisitor,
      lostSockets: st.lost,
      errors: [
        ...this.connected.errors,
        ...st.lostReasons.slice(0, 3),
        ...st.serverErrors.slice(0, 3),
        ...this.agentsOn.flatMap((a) => a.errors.slice(0, 3)),
        ...x.errors,
      ],
    }
  }

  async close(): Promise<void> {
    await this.visitors.call({ type: 'close' }).catch(() => undefined)
    await this.visitors.stop()
    for (const a of this.agentsOn) a.close()
  }

  /** The node an agent answers a visitor on X from: the next one, so the message crosses nodes whenever there are two. */
  private other(node: number): number {
    return (node + 1) % this.nodes.length
  }

  /** Chats of these visitors: start, `messages` each way at `perSecond`, then end (not timed). */
  private async exchange(sample: number[], messages: number, perSecond: number, stamp: string) {
    const started = await this.visitors.call({
      type: 'send',
      items: chatStartItems(sample, stamp),
      perSecond,
      ackTimeoutMs: ACK_TIMEOUT_MS,
    })
    const chatsOf = await conversationTickets(
      this.db,
      sample.map((slot) => this.slots[slot]!.visitorId),
    )
    const chatOf = (slot: number) => chatsOf.get(this.slots[slot]!.visitorId)
    const chatStart = await this.crossNode(
      sample.map((slot, k) => {
        const chat = chatOf(slot)
        return { slot, key: chat ? (`ticket:${chat.ticketId}` as const) : null, sentAt: started.items[k]!.sentAt }
      }),
    )
    const open = sample.filter((slot) => chatOf(slot))

    // Visitor → agents: one message per chat, then the next round, at a steady rate.
    const items = Array.from({ length: messages }, (_, m) =>
      open.map((visitor, k) => ({ visitor, clientId: `msg-${stamp}-${m}-${k}`, text: `Follow-up ${m + 1}: the parcel tracking page shows nothing.` })),
    ).flat()
    const sent = await this.visitors.call({ type: 'send', items, perSecond, ackTimeoutMs: ACK_TIMEOUT_MS })
    const visitorToAgent = await this.crossNode(
      sent.items.map((item, j) => ({
        slot: items[j]!.visitor,
        key: item.messageId === null ? null : (`message:${item.messageId}` as const),
        sentAt: item.sentAt,
      })),
    )

    // Agent → visitor: the chat's agent (any agent while it waits: replying takes it) answers through the other node.
    const replies = Array.from({ length: messages }, (_, m) =>
      open.map((slot) => {
        const chat = chatOf(slot)!
        const apis = this.agentApis[this.other(this.slots[slot]!.node)]!
        return { api: apis.get(chat.agentId ?? -1) ?? [...apis.values()][0]!, ticketId: chat.ticketId, text: `Reply ${m + 1}: let me check that for you.` }
      }),
    ).flat()
    const reply = await replyLatency(this.visitors, replies, perSecond)

    const sends = [...started.items, ...sent.items]
    const errors = [
      ...reply.errors.slice(0, 3),
      ...sends
        .map((i) => i.error)
        .filter((e): e is string => !!e)
        .slice(0, 3),
    ]
    const unacked = sends.filter((i) => i.messageId === null && !i.error).length
    if (unacked) errors.push(`${unacked} visitor messages got no ack within ${ACK_TIMEOUT_MS / 1000} s`)
    // The agents end the chats, which frees their capacity for the next chats.
    const ends = await paced(
      [...chatsOf.values()].map((c) => () => this.anyAgentApi('POST', `/api/v1/tickets/${c.ticketId}/chat/end`)),
      perSecond,
    )
    errors.push(...ends.slice(0, 3))
    return { chatStart, visitorToAgent, agentToVisitor: reply.latency, errors }
  }

  /** Send time → first arrival on an agent socket of the other node; sends without a stored message count as lost. */
  private async crossNode(sent: Sent[]): Promise<ChatLatency> {
    const samples: number[] = []
    let lost = 0
    for (const [node, agents] of this.agentsOn.entries()) {
      const mine = sent.filter((s) => this.other(this.slots[s.slot]!.node) === node)
      await agents.waitFor(
        mine.flatMap((s) => (s.key ? [s.key] : [])),
        ARRIVAL_TIMEOUT_MS,
      )
      for (const s of mine) {
        const t = s.key ? agents.times(s.key) : undefined
        if (t) samples.push(t.first - s.sentAt)
        else lost++
      }
    }
    return latency(samples, lost)
  }
}
