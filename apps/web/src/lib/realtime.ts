import type { ClientMessage, PresenceEntry, RealtimeEventName, ServerMessage } from '@allhands/contract'
import { useEffect, useSyncExternalStore } from 'react'

export type RealtimeEvent = { name: RealtimeEventName; room: string; payload: Record<string, unknown> }
type PresenceState = 'viewing' | 'typing' | 'left'

/**
 * One websocket per tab. Rooms are reference-counted so several components can share a subscription,
 * and everything (rooms, presence) is replayed after a reconnect.
 */
class RealtimeClient {
  private ws: WebSocket | null = null
  private rooms = new Map<string, number>()
  private joined = new Set<string>()
  private presenceWanted = new Map<number, PresenceState>()
  private presence = new Map<number, PresenceEntry[]>()
  private eventListeners = new Set<(e: RealtimeEvent) => void>()
  private reconnectListeners = new Set<() => void>()
  private storeListeners = new Set<() => void>()
  private retry = 0
  private timer: ReturnType<typeof setTimeout> | null = null
  private ping: ReturnType<typeof setInterval> | null = null
  private active = false
  private everConnected = false
  connected = false

  start() {
    if (this.active) return
    this.active = true
    this.open()
  }

  stop() {
    this.active = false
    if (this.timer) clearTimeout(this.timer)
    this.ws?.close()
    this.ws = null
  }

  private open() {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/ws`
    const ws = new WebSocket(url)
    this.ws = ws
    ws.onopen = () => {
      this.retry = 0
      this.setConnected(true)
      this.joined.clear()
      for (const room of this.rooms.keys()) this.send({ type: 'subscribe', room })
      if (this.ping) clearInterval(this.ping)
      this.ping = setInterval(() => this.send({ type: 'ping' }), 25_000)
      // Events may have been missed while the socket was down: let the app refetch.
      if (this.everConnected) for (const l of this.reconnectListeners) l()
      this.everConnected = true
    }
    ws.onmessage = (ev) => this.receive(ev.data)
    ws.onclose = () => {
      if (this.ping) clearInterval(this.ping)
      if (this.ws === ws) this.ws = null
      this.setConnected(false)
      if (!this.active) return
      const delay = Math.min(10_000, 500 * 2 ** this.retry++) + Math.random() * 300
      this.timer = setTimeout(() => this.open(), delay)
    }
  }

  private receive(raw: unknown) {
    let msg: ServerMessage
    try {
      msg = JSON.parse(String(raw))
    } catch {
      return
    }
    if (msg.type === 'event') for (const l of this.eventListeners) l(msg)
    else if (msg.type === 'presence') {
      this.presence.set(msg.ticketId, msg.users)
      this.emitStore()
    } else if (msg.type === 'subscribed') {
      this.joined.add(msg.room)
      // The server only accepts presence for rooms we have joined, so presence waits for the ack.
      const t = /^ticket:(\d+)$/.exec(msg.room)
      const state = t ? this.presenceWanted.get(Number(t[1])) : undefined
      if (t && state) this.send({ type: 'presence', ticketId: Number(t[1]), state })
    }
  }

  private send(m: ClientMessage) {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(m))
  }

  private setConnected(v: boolean) {
    this.connected = v
    this.emitStore()
  }

  private emitStore() {
    for (const l of this.storeListeners) l()
  }

  subscribe(room: string): () => void {
    const n = this.rooms.get(room) ?? 0
    this.rooms.set(room, n + 1)
    if (n === 0) this.send({ type: 'subscribe', room })
    return () => {
      const left = (this.rooms.get(room) ?? 1) - 1
      if (left > 0) return void this.rooms.set(room, left)
      this.rooms.delete(room)
      // The server only clears presence on an explicit 'left' (or disconnect), so say goodbye before leaving the room.
      const t = /^ticket:(\d+)$/.exec(room)
      if (t && this.presenceWanted.has(Number(t[1]))) this.setPresence(Number(t[1]), 'left')
      this.joined.delete(room)
      this.send({ type: 'unsubscribe', room })
    }
  }

  setPresence(ticketId: number, state: PresenceState) {
    const had = this.presenceWanted.has(ticketId)
    if (state === 'left') this.presenceWanted.delete(ticketId)
    else this.presenceWanted.set(ticketId, state)
    if (state === 'left' && !had) return
    if (this.joined.has(`ticket:${ticketId}`)) this.send({ type: 'presence', ticketId, state })
  }

  /** Reports a draft on a joined ticket (only sent while someone rides along; the server forwards it to them alone). */
  sendDraft(ticketId: number, mode: 'reply' | 'note', html: string) {
    if (this.joined.has(`ticket:${ticketId}`)) this.send({ type: 'draft', ticketId, mode, html })
  }

  onEvent(l: (e: RealtimeEvent) => void) {
    this.eventListeners.add(l)
    return () => void this.eventListeners.delete(l)
  }

  onReconnect(l: () => void) {
    this.reconnectListeners.add(l)
    return () => void this.reconnectListeners.delete(l)
  }

  subscribeStore = (l: () => void) => {
    this.storeListeners.add(l)
    return () => void this.storeListeners.delete(l)
  }

  presenceOf(ticketId: number): PresenceEntry[] {
    return this.presence.get(ticketId) ?? EMPTY
  }
}

const EMPTY: PresenceEntry[] = []

export const realtime = new RealtimeClient()

export function useRoom(room: string | null) {
  useEffect(() => (room ? realtime.subscribe(room) : undefined), [room])
}

export function usePresence(ticketId: number): PresenceEntry[] {
  return useSyncExternalStore(realtime.subscribeStore, () => realtime.presenceOf(ticketId))
}

export function useRealtimeConnected(): boolean {
  return useSyncExternalStore(realtime.subscribeStore, () => realtime.connected)
}
