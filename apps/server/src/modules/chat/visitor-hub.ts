import type { VisitorServerMessage } from '@allhands/contract'
import { type ClusterBus, singleNodeBus } from '../../platform/cluster-bus.ts'
import { ReplicatedState } from '../../platform/replicated-state.ts'

/** One open widget socket of a visitor (a visitor may have several tabs open). */
export interface VisitorConnection {
  send(message: VisitorServerMessage): void
}

/** Where a connected visitor is right now; kept in memory on the node their socket is on. */
export interface LiveVisitorState {
  visitorId: number
  inboxId: number
  page: { url: string; title: string }
  referrer: string
  onSiteSince: number
  onPageSince: number
  pagesThisVisit: number
  timezone: string
  language: string
  /** The chat_page_views row of the current page (closed with left_at when they move on or leave). */
  pageViewId: number | null
}

type Listener = (visitorId: number, state: LiveVisitorState | null) => void

/** What a node tells its peers about a visitor connected to it. */
type Announced = { inboxId: number; connected: boolean; typing: boolean; state: LiveVisitorState | null }

/** One visitor can hold this many sockets open at once (more is a loop or an attack, not tabs). */
const MAX_SOCKETS_PER_VISITOR = 20

/**
 * The visitors whose widget is connected to this node: their sockets and where they are. A visitor who
 * navigates reconnects within moments, so leaving is only announced after a grace period. In a cluster, what a node
 * knows about its visitors is mirrored to the others (reads see every node's visitors), and send() reaches a
 * visitor's sockets on whichever node they are. Change listeners hear this node's visitors only, so work they do
 * happens once.
 */
export class VisitorHub {
  private connections = new Map<number, Set<VisitorConnection>>()
  private inboxOf = new Map<number, number>()
  private live = new Map<number, LiveVisitorState>()
  private leaving = new Map<number, NodeJS.Timeout>()
  private listeners = new Set<Listener>()
  private typing = new Set<number>()

  /** Set while the server shuts down: sockets closing then are not visitors leaving. */
  closing = false

  private readonly peers: ReplicatedState<Announced>

  constructor(
    private readonly leaveGraceMs = 10_000,
    private readonly bus: ClusterBus = singleNodeBus(),
  ) {
    this.peers = new ReplicatedState(bus, 'visitors', () => {})
    bus.subscribe('visitor-message', (m: { visitorId: number; message: VisitorServerMessage }) => this.sendOnThisNode(m.visitorId, m.message))
  }

  /** Adds a socket of the visitor; false (and nothing added) when they already hold too many. */
  connect(visitorId: number, inboxId: number, connection: VisitorConnection): boolean {
    const set = this.connections.get(visitorId) ?? new Set()
    if (set.size >= MAX_SOCKETS_PER_VISITOR) return false
    const timer = this.leaving.get(visitorId)
    if (timer) clearTimeout(timer)
    this.leaving.delete(visitorId)
    set.add(connection)
    this.connections.set(visitorId, set)
    this.inboxOf.set(visitorId, inboxId)
    this.announce(visitorId)
    return true
  }

  /** Forgets one socket; when it was the visitor's last, they leave after the grace period unless they come back. */
  disconnect(visitorId: number, connection: VisitorConnection, onLeft?: (state: LiveVisitorState) => void): void {
    const set = this.connections.get(visitorId)
    if (!set) return
    set.delete(connection)
    if (set.size > 0) return
    this.connections.delete(visitorId)
    const inboxId = this.inboxOf.get(visitorId)
    this.inboxOf.delete(visitorId)
    if (this.closing) return
    if (inboxId !== undefined) this.announce(visitorId, inboxId)
    const timer = setTimeout(() => {
      this.leaving.delete(visitorId)
      if (this.connections.has(visitorId)) return
      const state = this.live.get(visitorId)
      this.live.delete(visitorId)
      this.typing.delete(visitorId)
      this.peers.set(String(visitorId), undefined)
      if (state) onLeft?.(state)
      // Moved to another node (a page load through the load balancer): they are still on the site.
      if (!this.isOnline(visitorId)) this.emit(visitorId, null)
    }, this.leaveGraceMs)
    timer.unref()
    this.leaving.set(visitorId, timer)
  }

  /** Records where the visitor is and tells listeners (the live list, auto-invite rules). */
  update(state: LiveVisitorState): void {
    this.live.set(state.visitorId, state)
    this.announce(state.visitorId)
    this.emit(state.visitorId, state)
  }

  /** Where the visitor is, as the node they are connected to knows it. */
  get(visitorId: number): LiveVisitorState | undefined {
    return this.live.get(visitorId) ?? this.remote(visitorId).find((a) => a.state)?.state ?? undefined
  }

  /** Every visitor on the site, on any node. */
  list(): LiveVisitorState[] {
    const out = new Map(this.live)
    for (const key of this.peers.remoteKeys()) {
      const id = Number(key)
      const state = out.has(id) ? null : this.remote(id).find((a) => a.state)?.state
      if (state) out.set(id, state)
    }
    return [...out.values()]
  }

  /** Whether the visitor is typing in the widget right now (reported by their socket, cleared when they leave). */
  setTyping(visitorId: number, typing: boolean): void {
    if (typing === this.typing.has(visitorId)) return
    if (typing) this.typing.add(visitorId)
    else this.typing.delete(visitorId)
    this.announce(visitorId)
  }

  isTyping(visitorId: number): boolean {
    return this.typing.has(visitorId) || this.remote(visitorId).some((a) => a.typing)
  }

  /** Whether some widget socket of the visitor is open, on any node. */
  isOnline(visitorId: number): boolean {
    return this.connections.has(visitorId) || this.remote(visitorId).some((a) => a.connected)
  }

  /**
   * Sends to every open socket of the visitor (but `except`), on this node and, in a cluster, on the others;
   * false when the visitor is connected nowhere.
   */
  send(visitorId: number, message: VisitorServerMessage, except?: VisitorConnection): boolean {
    const here = this.sendOnThisNode(visitorId, message, except)
    // Always through the bus: a visitor who just connected elsewhere may not be announced yet.
    this.bus.publish('visitor-message', { visitorId, message })
    return here || this.isOnline(visitorId)
  }

  /** Sends to the visitor's sockets on this node only (for work every node does for its own sockets). */
  sendOnThisNode(visitorId: number, message: VisitorServerMessage, except?: VisitorConnection): boolean {
    const set = this.connections.get(visitorId)
    if (!set) return false
    for (const c of set) if (c !== except) c.send(message)
    return true
  }

  private remote(visitorId: number): Announced[] {
    return this.peers.remoteValues(String(visitorId))
  }

  /** Tells the peers what this node knows about the visitor. */
  private announce(visitorId: number, inboxId = this.inboxOf.get(visitorId) ?? this.live.get(visitorId)?.inboxId): void {
    if (inboxId === undefined) return
    this.peers.set(String(visitorId), {
      inboxId,
      connected: this.connections.has(visitorId),
      typing: this.typing.has(visitorId),
      state: this.live.get(visitorId) ?? null,
    })
  }

  /** This node's connected visitors, by the inbox whose widget they use. */
  connectedByInbox(): Map<number, number[]> {
    const out = new Map<number, number[]>()
    for (const [visitorId, inboxId] of this.inboxOf) {
      const list = out.get(inboxId)
      if (list) list.push(visitorId)
      else out.set(inboxId, [visitorId])
    }
    return out
  }

  /** Tells listeners that something they show about the visitor changed (e.g. their chat started). */
  touch(visitorId: number): void {
    this.emit(visitorId, this.live.get(visitorId) ?? null)
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => void this.listeners.delete(listener)
  }

  close(): void {
    this.closing = true
    this.peers.close()
    for (const t of this.leaving.values()) clearTimeout(t)
    this.leaving.clear()
    this.connections.clear()
    this.inboxOf.clear()
  }

  private emit(visitorId: number, state: LiveVisitorState | null): void {
    for (const l of this.listeners) l(visitorId, state)
  }
}
