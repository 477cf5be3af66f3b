import type { VisitorClientMessage, VisitorServerMessage } from '@allhands/contract'

export interface ConnectionEvents {
  /** The socket is open: say where the visitor is, resend the outbox, ask for what was missed. */
  onOpen(): void
  onMessage(message: VisitorServerMessage): void
  /** The socket is gone (network loss, server restart); a reconnect is scheduled. */
  onDown(): void
  /** The server refused the token (application close code): the widget needs a fresh session. */
  onRejected(): void
}

const MAX_DELAY_MS = 30_000
const PING_EVERY_MS = 20_000
const PONG_WITHIN_MS = 10_000

/**
 * The visitor's socket, kept alive: exponential backoff with jitter (up to ~30 s) after a loss, an immediate
 * retry when the browser comes back online, and a ping that detects a silently dead connection.
 */
export class Connection {
  private ws: WebSocket | null = null
  private isOpen = false
  private attempts = 0
  private failedOpens = 0
  private retryTimer = 0
  private pingTimer = 0
  private pongTimer = 0
  private stopped = true

  constructor(
    private readonly url: () => string,
    private readonly events: ConnectionEvents,
  ) {
    window.addEventListener('online', () => {
      if (this.stopped || this.isOpen) return
      this.attempts = 0
      this.connect()
    })
    // The browser knows first when the network is gone; waiting for the socket to notice can take minutes.
    window.addEventListener('offline', () => {
      if (!this.stopped && this.ws) this.drop()
    })
  }

  get connected(): boolean {
    return this.isOpen
  }

  start(): void {
    this.stopped = false
    this.attempts = 0
    this.connect()
  }

  stop(): void {
    this.stopped = true
    this.detach()
    window.clearTimeout(this.retryTimer)
  }

  /** Sends when the socket is open; false otherwise (callers keep what must not be lost in their outbox). */
  send(message: VisitorClientMessage): boolean {
    if (!this.ws || !this.isOpen) return false
    try {
      this.ws.send(JSON.stringify(message))
      return true
    } catch {
      return false
    }
  }

  /** The server answered: the connection works, so the next loss starts the backoff from the beginning. */
  healthy(): void {
    this.attempts = 0
  }

  private connect(): void {
    window.clearTimeout(this.retryTimer)
    this.detach()
    let ws: WebSocket
    try {
      ws = new WebSocket(this.url())
    } catch {
      this.schedule()
      return
    }
    this.ws = ws
    ws.onopen = () => {
      this.isOpen = true
      this.failedOpens = 0
      this.pingTimer = window.setInterval(() => this.ping(), PING_EVERY_MS)
      this.events.onOpen()
    }
    ws.onmessage = (e) => {
      window.clearTimeout(this.pongTimer)
      let message: VisitorServerMessage
      try {
        message = JSON.parse(String(e.data)) as VisitorServerMessage
      } catch {
        return
      }
      if (message && typeof message.type === 'string') this.events.onMessage(message)
    }
    ws.onclose = (e) => {
      const wasOpen = this.isOpen
      this.detach()
      if (this.stopped) return
      // 4000–4999 are ours (bad or expired token, inbox gone); 1008 is a policy refusal (origin).
      // A token refused at the HTTP upgrade shows up only as failed opens: after a few while online, start afresh.
      if (!wasOpen && navigator.onLine) this.failedOpens++
      if ((e.code >= 4000 && e.code < 5000) || e.code === 1008 || this.failedOpens >= 3) {
        this.failedOpens = 0
        this.stopped = true
        this.events.onRejected()
        return
      }
      if (wasOpen) this.events.onDown()
      this.schedule()
    }
  }

  private ping(): void {
    if (!this.send({ type: 'ping' })) return
    window.clearTimeout(this.pongTimer)
    this.pongTimer = window.setTimeout(() => this.drop(), PONG_WITHIN_MS)
  }

  /** Gives up on the current socket without waiting for a close handshake that may never come. */
  private drop(): void {
    const wasOpen = this.isOpen
    this.detach()
    if (wasOpen) this.events.onDown()
    if (!this.stopped) this.schedule()
  }

  private detach(): void {
    window.clearInterval(this.pingTimer)
    window.clearTimeout(this.pongTimer)
    const ws = this.ws
    this.ws = null
    this.isOpen = false
    if (!ws) return
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null
    try {
      ws.close()
    } catch {}
  }

  private schedule(): void {
    window.clearTimeout(this.retryTimer)
    const base = Math.min(MAX_DELAY_MS, 1000 * 2 ** this.attempts)
    this.attempts++
    // Jitter spreads the reconnects of many visitors after a server restart.
    const delay = base / 2 + Math.random() * (base / 2)
    this.retryTimer = window.setTimeout(() => this.connect(), delay)
  }
}
