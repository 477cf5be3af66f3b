import type { VisitorServerMessage } from '@allhands/contract'

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

/** One visitor can hold this many sockets open at once (more is a loop or an attack, not tabs). */
const MAX_SOCKETS_PER_VISITOR = 20

/**
 * The visitors whose widget is connected to this node: their sockets and where they are. A visitor who
 * navigates reconnects within moments, so leaving is only announced after a grace period. Cross-node
 * fan-out (Redis) plugs in behind send() and the change listeners.
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

  constructor(private readonly leaveGraceMs = 10_000) {}

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
    return true
  }

  /** Forgets one socket; when it was the visitor's last, they leave after the grace period unless they come back. */
  disconnect(visitorId: number, connection: VisitorConnection, onLeft?: (state: LiveVisitorState) => void): void {
    const set = this.connections.get(visitorId)
    if (!set) return
    set.delete(connection)
    if (set.size > 0) return
    this.connections.delete(visitorId)
    this.inboxOf.delete(visitorId)
    if (this.closing) return
    const timer = setTimeout(() => {
      this.leaving.delete(visitorId)
      if (this.connections.has(visitorId)) return
      const state = this.live.get(visitorId)
      this.live.delete(visitorId)
      this.typing.delete(visitorId)
      if (state) onLeft?.(state)
      this.emit(visitorId, null)
    }, this.leaveGraceMs)
    timer.unref()
    this.leaving.set(visitorId, timer)
  }

  /** Records where the visitor is and tells listeners (the live list, auto-invite rules). */
  update(state: LiveVisitorState): void {
    this.live.set(state.visitorId, state)
    this.emit(state.visitorId, state)
  }

  get(visitorId: number): LiveVisitorState | undefined {
    return this.live.get(visitorId)
  }

  list(): LiveVisitorState[] {
    return [...this.live.values()]
  }

  /** Whether the visitor is typing in the widget right now (reported by their socket, cleared when they leave). */
  setTyping(visitorId: number, typing: boolean): void {
    if (typing) this.typing.add(visitorId)
    else this.typing.delete(visitorId)
  }

  isTyping(visitorId: number): boolean {
    return this.typing.has(visitorId)
  }

  isOnline(visitorId: number): boolean {
    return this.connections.has(visitorId)
  }

  /** Sends to every open socket of the visitor (but `except`); false when none is connected to this node. */
  send(visitorId: number, message: VisitorServerMessage, except?: VisitorConnection): boolean {
    const set = this.connections.get(visitorId)
    if (!set) return false
    for (const c of set) if (c !== except) c.send(message)
    return true
  }

  /** The connected visitors, by the inbox whose widget they use. */
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
    for (const t of this.leaving.values()) clearTimeout(t)
    this.leaving.clear()
    this.connections.clear()
    this.inboxOf.clear()
  }

  private emit(visitorId: number, state: LiveVisitorState | null): void {
    for (const l of this.listeners) l(visitorId, state)
  }
}
