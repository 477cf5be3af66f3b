import type { WidgetMessage } from '@allhands/contract'
import { h, ICONS, icon, linkify, safeUrl } from './dom.ts'
import { formatBytes, type Translate } from './texts.ts'

/** One rendered line of the conversation: a stored message (with id) or one still in the outbox. */
interface Line {
  el: HTMLLIElement
  state: HTMLElement
  id: number | null
  mine: boolean
}

/**
 * The conversation as the visitor sees it: stored messages in id order, then the ones still being sent.
 * Every message is rendered once, whether it arrives through the session, the socket, a resend's ack or a
 * sync after a reconnect (deduplicated by id and by the widget's client id).
 */
export class MessageLog {
  readonly el: HTMLOListElement
  private byId = new Map<number, Line>()
  private byClientId = new Map<string, Line>()
  private readLine: Line | null = null
  private agentReadUpTo = 0
  /** The newest message id seen (for `sync` after a reconnect). */
  lastId = 0
  /** The newest message from the agent side (for read receipts and the unread badge). */
  lastAgentId = 0

  constructor(
    private readonly t: Translate,
    private readonly origin: string,
    greeting: string,
  ) {
    this.el = h('ol', { class: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions' })
    if (greeting.trim()) this.el.appendChild(h('li', { class: 'msg greet' }, h('div', { class: 'bubble' }, linkify(greeting))))
  }

  has(id: number): boolean {
    return this.byId.has(id)
  }

  /** How many agent-side messages are newer than `after` (the unread badge). */
  countAgentAfter(after: number): number {
    let n = 0
    for (const [id, line] of this.byId) if (!line.mine && id > after) n++
    return n
  }

  /** A stored message; false when it was already shown. A message of ours still marked "sending" becomes sent. */
  add(message: WidgetMessage): boolean {
    if (this.byId.has(message.id)) return false
    this.lastId = Math.max(this.lastId, message.id)
    const mine = message.author.kind === 'visitor'
    if (!mine) this.lastAgentId = Math.max(this.lastAgentId, message.id)
    const pending = message.clientId ? this.byClientId.get(message.clientId) : undefined
    if (pending && pending.id === null) {
      this.confirm(pending, message.id)
      if (message.attachments.length) pending.el.querySelector('.bubble')?.appendChild(this.files(message))
      return false
    }
    const line = this.render(message.author.kind, message.author.name, message.text, message)
    line.id = message.id
    this.byId.set(message.id, line)
    if (message.clientId) this.byClientId.set(message.clientId, line)
    this.insertSorted(line)
    this.markRead()
    return true
  }

  /** A message typed here and not yet acknowledged: shown at the end as "sending…". */
  addPending(clientId: string, text: string): void {
    if (this.byClientId.has(clientId)) return
    const line = this.render('visitor', this.t('you'), text, undefined, true)
    line.state.textContent = this.t('sending')
    this.byClientId.set(clientId, line)
    this.el.appendChild(line.el)
  }

  /** The server stored the message with this client id. */
  ack(clientId: string, messageId: number): void {
    // lastId only moves with messages actually received, so a sync never skips one.
    const line = this.byClientId.get(clientId)
    if (!line || line.id !== null) return
    if (this.byId.has(messageId)) {
      // The message itself already arrived on another path: drop the duplicate line.
      line.el.remove()
      this.byClientId.set(clientId, this.byId.get(messageId)!)
      return
    }
    this.confirm(line, messageId)
  }

  /** The server refused a message for good (too long, conversation closed): say so on its line. */
  fail(clientId: string, reason: string): void {
    const line = this.byClientId.get(clientId)
    if (!line || line.id !== null) return
    line.state.textContent = this.t('notSent', { reason })
    line.state.className = 'state bad'
  }

  /** Agents read the visitor's messages up to this id: the newest of them says "Read". */
  setAgentRead(upTo: number | null): void {
    if (!upTo || upTo <= this.agentReadUpTo) return
    this.agentReadUpTo = upTo
    this.markRead()
  }

  /** A line from the widget itself (an agent joined), not a stored message. */
  note(text: string): void {
    this.el.appendChild(this.render('system', '', text).el)
  }

  private confirm(line: Line, id: number): void {
    line.id = id
    line.el.setAttribute('data-id', String(id))
    line.el.classList.remove('pending')
    line.state.textContent = ''
    this.byId.set(id, line)
    this.markRead()
  }

  private markRead(): void {
    let newest: Line | null = null
    for (const [id, line] of this.byId) if (line.mine && id <= this.agentReadUpTo && (!newest || id > (newest.id ?? 0))) newest = line
    if (!newest || newest === this.readLine) return
    if (this.readLine && this.readLine.state.textContent === this.t('read')) this.readLine.state.textContent = ''
    newest.state.textContent = this.t('read')
    this.readLine = newest
  }

  private insertSorted(line: Line): void {
    const id = line.id ?? 0
    for (const child of Array.from(this.el.children)) {
      const other = child.getAttribute('data-id')
      // Before the first stored message with a larger id, or before the first line still sending.
      if ((other && Number(other) > id) || child.classList.contains('pending')) {
        this.el.insertBefore(line.el, child)
        return
      }
    }
    this.el.appendChild(line.el)
  }

  private render(kind: WidgetMessage['author']['kind'], name: string, text: string, message?: WidgetMessage, pending = false): Line {
    const mine = kind === 'visitor'
    const bubble = h('div', { class: 'bubble' }, linkify(text))
    if (message?.attachments.length) bubble.appendChild(this.files(message))
    const state = h('div', { class: 'state' })
    const when = message ? new Date(message.createdAt) : new Date()
    const el = h(
      'li',
      { class: `msg ${mine ? 'me' : kind === 'system' ? 'sys' : 'them'}${pending ? ' pending' : ''}`, 'data-id': message?.id, title: when.toLocaleString() },
      kind === 'system' ? null : h('div', { class: 'who' }, mine ? this.t('you') : name),
      bubble,
      mine ? state : null,
    )
    return { el, state, id: null, mine }
  }

  private files(message: WidgetMessage): HTMLUListElement {
    const list = h('ul', { class: 'files' })
    for (const a of message.attachments) {
      const href = safeUrl(a.url, this.origin)
      const label = `${a.filename} (${formatBytes(a.size)})`
      list.appendChild(h('li', {}, icon(ICONS.clip), href ? h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, label) : label))
    }
    return list
  }
}
