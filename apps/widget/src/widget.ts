import type { VisitorServerMessage, WidgetConversation, WidgetIdentity, WidgetMessage, WidgetSession, WidgetSessionRequest } from '@allhands/contract'
import { ApiError, postJson, randomId, store, upload } from './api.ts'
import { Connection } from './connection.ts'
import { fill, h, ICONS, icon, safeUrl, show } from './dom.ts'
import { type FieldSpec, fieldsForm, ratingForm, reasonOf } from './forms.ts'
import { MessageLog } from './messages.ts'
import { PageTracker } from './page.ts'
import { CSS } from './styles.ts'
import { formatBytes, type Translate, translator } from './texts.ts'
import { TreePanel } from './tree.ts'

/** A message typed by the visitor and not yet acknowledged by the server (kept in sessionStorage across reloads). */
interface OutboxItem {
  clientId: string
  text: string
  fields?: Record<string, string>
}

type FootMode = 'compose' | 'prechat' | 'offline' | 'offline-sent'

interface Ui {
  root: HTMLDivElement
  launcher: HTMLButtonElement
  launcherIcon: SVGSVGElement
  badge: HTMLSpanElement
  invite: HTMLElement
  panel: HTMLElement
  status: HTMLParagraphElement
  notice: HTMLDivElement
  body: HTMLDivElement
  log: MessageLog
  tree: TreePanel
  typing: HTMLDivElement
  end: HTMLDivElement
  foot: HTMLDivElement
}

const API = '/api/v1/widget'

function contrastOn(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16)
  const lin = (c: number) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4)
  const l = 0.2126 * lin((n >> 16) & 255) + 0.7152 * lin((n >> 8) & 255) + 0.0722 * lin(n & 255)
  // White text unless it would be less readable than near-black (WCAG contrast ratio comparison).
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.0664 ? '#ffffff' : '#1f2328'
}

/** The chat widget on a customer's page: session, socket, outbox, and the DOM inside an open shadow root. */
export class Widget {
  private readonly host: HTMLElement
  private readonly shadow: ShadowRoot
  private readonly local = store('local')
  private readonly tab = store('session')
  private readonly key: string
  private readonly conn: Connection
  private readonly pages: PageTracker
  private identity: WidgetIdentity | null
  private session: WidgetSession | null = null
  private conversation: WidgetConversation | null = null
  private online = false
  private t: Translate = translator({})
  private ui: Ui | null = null
  private outbox: OutboxItem[]
  private prechat: Record<string, string> | null
  private prechatDraft: Record<string, string> = {}
  private isOpen = false
  private footMode: FootMode | null = null
  private endKey = ''
  private rated = false
  private typingSent = false
  private typingTimer = 0
  private theirTypingTimer = 0
  private readSent = 0
  private sessionAttempts = 0
  private sessionTimer = 0
  private starting: Promise<void> = Promise.resolve()

  constructor(
    private readonly origin: string,
    private readonly inboxId: number,
    identity: WidgetIdentity | null,
  ) {
    this.identity = identity
    this.key = `allhands-chat:${origin}:${inboxId}`
    this.outbox = this.readJson<OutboxItem[]>(this.tab.get(`${this.key}:outbox`), []).filter((o) => o && typeof o.clientId === 'string')
    this.prechat = this.readJson<Record<string, string> | null>(this.tab.get(`${this.key}:prechat`), null)
    this.host = document.createElement('allhands-chat')
    // The host page's rules may target any element; these inline !important ones win over all of them.
    this.host.style.cssText = 'all:initial!important;display:block!important;position:static!important'
    this.shadow = this.host.attachShadow({ mode: 'open' })
    this.conn = new Connection(() => `${this.origin.replace(/^http/, 'ws')}${API}/ws?token=${encodeURIComponent(this.session?.token ?? '')}`, {
      onOpen: () => this.onSocketOpen(),
      onMessage: (m) => this.onServerMessage(m),
      onDown: () => this.setNotice(true),
      onRejected: () => this.restart(),
    })
    this.pages = new PageTracker((page) => this.conn.send(page))
    document.addEventListener('visibilitychange', () => this.markSeen())
  }

  /** Creates (or re-creates, after identify()) the session, then renders and connects. One at a time, in order. */
  start(): Promise<void> {
    this.starting = this.starting.then(() => this.createSession()).catch((err) => console.warn('[allhands] chat widget error', err))
    return this.starting
  }

  identify(identity: WidgetIdentity): Promise<void> {
    if (this.identity?.userId !== identity.userId) {
      // Someone else on this browser: the previous person's form answers and unsent messages are not theirs.
      this.prechat = null
      this.prechatDraft = {}
      this.tab.set(`${this.key}:prechat`, null)
      this.outbox = []
      this.saveOutbox()
      this.tab.set(`${this.key}:tree`, null)
    }
    this.identity = identity
    return this.restart()
  }

  open(): void {
    this.isOpen = true
    this.renderOpen(true)
  }

  close(): void {
    this.isOpen = false
    this.renderOpen(false)
  }

  private restart(): Promise<void> {
    this.conn.stop()
    return this.start()
  }

  private async createSession(): Promise<void> {
    window.clearTimeout(this.sessionTimer)
    const request: WidgetSessionRequest = { inboxId: this.inboxId }
    const token = this.local.get(`${this.key}:token`)
    if (token) request.token = token
    if (this.identity) request.identity = this.identity
    let session: WidgetSession
    try {
      session = await postJson<WidgetSession>(this.origin, `${API}/sessions`, request)
    } catch (err) {
      const status = err instanceof ApiError ? err.status : 0
      if (status === 0 || status === 429 || status >= 500) {
        // The server is unreachable or busy: try again later, as the socket would.
        this.setNotice(true)
        const base = Math.min(30_000, 1000 * 2 ** this.sessionAttempts++)
        this.sessionTimer = window.setTimeout(() => void this.start(), base / 2 + (Math.random() * base) / 2)
        return
      }
      // Misconfigured (unknown inbox, origin not allowed): the site shows no widget rather than a broken one.
      console.warn(`[allhands] chat widget disabled: ${err instanceof Error ? err.message : String(err)}`)
      this.host.remove()
      return
    }
    this.sessionAttempts = 0
    this.local.set(`${this.key}:token`, session.token)
    this.apply(session)
    this.conn.start()
  }

  private apply(session: WidgetSession): void {
    const draft = this.shadow.querySelector<HTMLTextAreaElement>('.compose textarea')?.value ?? ''
    this.session = session
    this.online = session.online
    this.conversation = session.conversation
    this.t = translator(session.appearance.texts)
    this.build(session)
    const ui = this.ui!
    for (const m of [...session.messages].sort((a, b) => a.id - b.id)) ui.log.add(m)
    const stored = new Set(session.messages.map((m) => m.clientId).filter(Boolean))
    this.outbox = this.outbox.filter((o) => !stored.has(o.clientId))
    this.saveOutbox()
    for (const o of this.outbox) ui.log.addPending(o.clientId, o.text)
    ui.log.setAgentRead(session.conversation?.agentReadUpTo ?? null)
    this.rated = session.conversation?.rating != null
    this.renderConversation()
    const input = this.shadow.querySelector<HTMLTextAreaElement>('.compose textarea')
    if (input) input.value = draft
    if (!this.host.isConnected) (document.body ?? document.documentElement).appendChild(this.host)
    this.renderOpen(this.isOpen)
  }

  private build(session: WidgetSession): void {
    const { t } = this
    const a = session.appearance
    const color = /^#[0-9a-fA-F]{6}$/.test(a.color) ? a.color : '#228be6'
    const avatar = a.avatarUrl ? safeUrl(a.avatarUrl) : null
    const badge = h('span', { class: 'badge', 'aria-hidden': 'true', hidden: true })
    const launcher = h('button', { type: 'button', class: 'launcher', 'aria-expanded': 'false', 'aria-controls': 'ah-panel', 'aria-label': t('launcherLabel') })
    const launcherIcon = icon(ICONS.chat)
    launcher.append(launcherIcon, badge)
    launcher.addEventListener('click', () => (this.isOpen ? this.close() : this.open()))
    const status = h('p', {})
    const closeButton = h('button', { type: 'button', class: 'icon', 'aria-label': t('closeLabel') }, icon(ICONS.close))
    closeButton.addEventListener('click', () => this.close())
    const log = new MessageLog(t, this.origin, a.greeting)
    const typing = h('div', { class: 'typing', 'aria-live': 'polite' })
    const end = h('div', { class: 'end', hidden: true })
    const tree = new TreePanel({
      origin: this.origin,
      t,
      key: `${this.key}:tree`,
      token: () => this.session?.token ?? '',
      tree: () => this.session?.tree ?? null,
      online: () => this.online,
      preChatFields: () => this.session?.preChatFields ?? [],
      prechat: () => this.prechat,
      known: () => ({ name: this.knownName(), email: this.knownEmail() }),
      busy: (active) => this.ui && show(this.ui.foot, !active),
      handedOver: (mode, message, fields) => {
        if (fields) {
          this.prechat = fields
          this.tab.set(`${this.key}:prechat`, JSON.stringify(fields))
        }
        if (message) this.receive(message)
        if (mode === 'offline') this.renderFoot('offline-sent')
        else this.renderConversation()
      },
    })
    const body = h('div', { class: 'body' }, log.el, tree.el, typing, end)
    const notice = h('div', { class: 'notice', role: 'status', hidden: true }, t('reconnecting'))
    const foot = h('div', { class: 'foot' })
    const panel = h(
      'section',
      { class: 'panel', id: 'ah-panel', role: 'dialog', 'aria-label': a.title, hidden: true },
      h('header', { class: 'head' }, avatar ? h('img', { src: avatar, alt: '' }) : null, h('div', {}, h('h2', {}, a.title), status), closeButton),
      notice,
      body,
      foot,
    )
    panel.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape') return
      e.stopPropagation()
      this.close()
    })
    const invite = h('aside', { class: 'invite', hidden: true, 'aria-label': a.title })
    const root = h('div', { class: 'ah', 'data-pos': a.position === 'left' ? 'left' : 'right' }, invite, panel, launcher)
    root.style.setProperty('--c', color)
    root.style.setProperty('--on', contrastOn(color))
    fill(this.shadow, h('style', {}, CSS), root)
    this.ui = { root, launcher, launcherIcon, badge, invite, panel, status, notice, body, log, tree, typing, end, foot }
    this.footMode = null
    this.endKey = ''
  }

  private renderOpen(open: boolean): void {
    const ui = this.ui
    if (!ui) return
    const wasOpen = !ui.panel.hidden
    show(ui.panel, open)
    ui.launcher.setAttribute('aria-expanded', String(open))
    ui.launcherIcon.firstElementChild?.setAttribute('d', open ? ICONS.close : ICONS.chat)
    ui.root.classList.toggle('open', open)
    if (open) {
      show(ui.invite, false)
      if (!wasOpen) {
        ui.body.scrollTop = ui.body.scrollHeight
        const first = ui.foot.querySelector<HTMLElement>('textarea, input, button') ?? ui.panel.querySelector<HTMLElement>('.head button')
        first?.focus()
      }
      this.markSeen()
    } else if (wasOpen) {
      this.stopTyping()
      ui.launcher.focus()
    }
    this.renderBadge()
  }

  /** The panel is open and the tab visible: the agent's messages count as read (badge cleared, receipt sent). */
  private markSeen(): void {
    const ui = this.ui
    if (!ui || !this.isOpen || document.visibilityState !== 'visible') return
    const upTo = ui.log.lastAgentId
    if (upTo > Number(this.local.get(`${this.key}:seen`) ?? 0)) this.local.set(`${this.key}:seen`, String(upTo))
    if (upTo > this.readSent && this.conversation && this.conn.send({ type: 'read', upTo })) this.readSent = upTo
    this.renderBadge()
  }

  private renderBadge(): void {
    const ui = this.ui
    if (!ui) return
    const unread = this.isOpen ? 0 : ui.log.countAgentAfter(Number(this.local.get(`${this.key}:seen`) ?? 0))
    ui.badge.textContent = String(unread)
    show(ui.badge, unread > 0)
    ui.launcher.setAttribute('aria-label', unread ? `${this.t('launcherLabel')}, ${this.t('unread', { n: unread })}` : this.t('launcherLabel'))
  }

  private setNotice(visible: boolean): void {
    if (this.ui) show(this.ui.notice, visible)
  }

  // ---- socket ----

  private onSocketOpen(): void {
    this.conn.send(this.pages.current())
    for (const o of this.outbox) this.conn.send({ type: 'message', clientId: o.clientId, text: o.text, ...(o.fields ? { fields: o.fields } : {}) })
    this.conn.send({ type: 'sync', after: this.ui?.log.lastId ?? 0 })
    this.readSent = 0
  }

  private onServerMessage(m: VisitorServerMessage): void {
    const ui = this.ui
    if (!ui) return
    switch (m.type) {
      case 'ready':
        this.conn.healthy()
        this.setNotice(false)
        this.online = m.online
        if (m.conversation) this.setConversation(m.conversation)
        this.renderConversation()
        this.markSeen()
        break
      case 'message':
        this.receive(m.message)
        break
      case 'ack':
        this.dropFromOutbox(m.clientId)
        ui.log.ack(m.clientId, m.messageId)
        break
      case 'typing':
        window.clearTimeout(this.theirTypingTimer)
        ui.typing.textContent = m.typing ? this.t('typing', { name: m.name }) : ''
        // A lost "stopped typing" must not leave the indicator up forever.
        if (m.typing) this.theirTypingTimer = window.setTimeout(() => (ui.typing.textContent = ''), 8000)
        break
      case 'read':
        ui.log.setAgentRead(m.upTo)
        break
      case 'conversation':
        this.setConversation(m.conversation)
        this.renderConversation()
        break
      case 'invite':
        this.showInvite(m.inviteId, m.message, m.agent?.name ?? '')
        break
      case 'online':
        this.online = m.online
        this.renderConversation()
        break
      case 'error':
        if (m.clientId) {
          const failed = this.outbox.find((o) => o.clientId === m.clientId)
          this.dropFromOutbox(m.clientId)
          ui.log.fail(m.clientId, m.message)
          if (failed?.fields) {
            // The server did not accept the pre-chat answers (the form changed meanwhile): ask again, prefilled.
            this.prechatDraft = failed.fields
            this.prechat = null
            this.tab.set(`${this.key}:prechat`, null)
            this.renderConversation()
            this.showError(m.message)
          }
        } else this.showError(m.message)
        break
    }
  }

  private receive(message: WidgetMessage): void {
    const ui = this.ui!
    if (message.clientId) this.dropFromOutbox(message.clientId)
    if (!ui.log.add(message)) return
    if (message.author.kind !== 'visitor') {
      window.clearTimeout(this.theirTypingTimer)
      ui.typing.textContent = ''
    }
    ui.body.scrollTop = ui.body.scrollHeight
    this.markSeen()
    this.renderBadge()
  }

  private setConversation(next: WidgetConversation): void {
    const prev = this.conversation
    this.conversation = next
    if (prev?.ticketId !== next.ticketId) this.rated = next.rating != null
    else if (next.rating != null) this.rated = true
    // A new or transferred agent is announced in the log (not on first load: the session already shows the state).
    if (this.ui && next.agent && next.status !== 'ended' && (prev?.agent?.name !== next.agent.name || prev?.ticketId !== next.ticketId))
      this.ui.log.note(this.t('agentJoined', { name: next.agent.name }))
    this.ui?.log.setAgentRead(next.agentReadUpTo)
  }

  // ---- rendering of the conversation state ----

  private renderConversation(): void {
    const ui = this.ui
    const session = this.session
    if (!ui || !session) return
    const c = this.conversation
    ui.status.textContent = !c ? '' : c.status === 'waiting' ? this.t('waiting') : c.status === 'ended' ? this.t('ended') : (c.agent?.name ?? '')
    const closed = !c || c.status === 'ended'
    ui.tree.show(closed && !this.outbox.length)
    let mode: FootMode = 'compose'
    if (!this.online && closed && !this.outbox.length) mode = this.footMode === 'offline-sent' ? 'offline-sent' : 'offline'
    else if (closed && !this.prechat && session.preChatFields.length && !this.outbox.length) mode = 'prechat'
    if (mode !== this.footMode) this.renderFoot(mode)
    this.renderEnd()
  }

  private renderFoot(mode: FootMode): void {
    const ui = this.ui!
    const session = this.session!
    const { t } = this
    const hadFocus = this.shadow.activeElement !== null && ui.foot.contains(this.shadow.activeElement)
    this.footMode = mode
    let content: HTMLElement
    if (mode === 'offline') {
      content = fieldsForm({
        t,
        title: t('offlineTitle'),
        intro: t('offlineIntro'),
        fields: [
          { key: 'name', label: t('nameLabel'), type: 'text', required: true, value: this.knownName(), autocomplete: 'name' },
          { key: 'email', label: t('emailLabel'), type: 'email', required: true, value: this.knownEmail() },
          { key: 'message', label: t('messageLabel'), type: 'textarea', required: true },
        ],
        submit: t('sendOffline'),
        onSubmit: async (v) => {
          await postJson(this.origin, `${API}/offline`, { token: session.token, inboxId: this.inboxId, name: v.name, email: v.email, message: v.message })
          this.renderFoot('offline-sent')
          ui.foot.querySelector<HTMLElement>('p')?.focus()
        },
      })
    } else if (mode === 'offline-sent') {
      content = h('div', { class: 'box', role: 'status' }, h('p', { tabindex: -1 }, t('offlineSent')))
    } else if (mode === 'prechat') {
      const fields: FieldSpec[] = session.preChatFields.map((f) => ({
        key: f.key,
        label: f.label,
        type: f.type,
        required: f.required,
        value: this.prechatDraft[f.key] ?? (f.type === 'email' ? this.knownEmail() : f.key === 'name' ? this.knownName() : ''),
      }))
      content = fieldsForm({
        t,
        fields,
        submit: t('startChat'),
        onSubmit: (values) => {
          this.prechat = values
          this.tab.set(`${this.key}:prechat`, JSON.stringify(values))
          this.renderFoot('compose')
          ui.foot.querySelector('textarea')?.focus()
        },
      })
    } else {
      content = this.composer()
    }
    fill(ui.foot, content)
    if (hadFocus) ui.foot.querySelector<HTMLElement>('textarea, input, button')?.focus()
  }

  private composer(): HTMLElement {
    const { t } = this
    const session = this.session!
    const input = h('textarea', { rows: 1, placeholder: t('inputPlaceholder'), 'aria-label': t('messageLabel'), maxlength: 10_000 })
    const file = h('input', { type: 'file', class: 'sr', tabindex: -1, 'aria-hidden': 'true' })
    const attach = h('button', { type: 'button', class: 'icon', 'aria-label': t('attach'), title: t('attach') }, icon(ICONS.clip))
    const send = h('button', { type: 'submit', class: 'icon send', 'aria-label': t('send'), title: t('send') }, icon(ICONS.send))
    const error = h('p', { class: 'err', role: 'alert' })
    const label = h('span', {})
    const progress = h('progress', { max: 100, value: 0 })
    const uploading = h('div', { class: 'upload', hidden: true }, label, progress)
    const form = h('form', { class: 'compose' }, input, attach, send, file)
    const submit = () => {
      const text = input.value.trim()
      if (!text) return
      input.value = ''
      error.textContent = ''
      this.sendMessage(text)
    }
    form.addEventListener('submit', (e) => {
      e.preventDefault()
      submit()
    })
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault()
        submit()
      }
    })
    input.addEventListener('input', () => this.typed(input.value.trim() !== ''))
    attach.addEventListener('click', () => file.click())
    file.addEventListener('change', async () => {
      const chosen = file.files?.[0]
      file.value = ''
      if (!chosen) return
      error.textContent = ''
      if (chosen.size > session.maxUploadBytes) {
        error.textContent = t('fileTooLarge', { name: chosen.name, max: formatBytes(session.maxUploadBytes) })
        return
      }
      label.textContent = t('uploading', { name: chosen.name })
      progress.value = 0
      progress.setAttribute('aria-label', label.textContent)
      show(uploading, true)
      attach.disabled = true
      try {
        const extra: Record<string, string> = { clientId: randomId() }
        const fields = this.fieldsForNewChat()
        if (fields) extra.fields = JSON.stringify(fields)
        const message = await upload<WidgetMessage>(this.origin, `${API}/uploads`, session.token, chosen, extra, (f) => {
          progress.value = Math.round(f * 100)
        })
        this.receive(message)
      } catch (err) {
        error.textContent = t('uploadFailed', { reason: reasonOf(err, t) })
      } finally {
        show(uploading, false)
        attach.disabled = false
        attach.focus()
      }
    })
    return h('div', {}, uploading, error, form)
  }

  private renderEnd(): void {
    const ui = this.ui!
    const c = this.conversation
    const key = c?.status === 'ended' ? `${c.ticketId}:${this.rated}` : ''
    if (key === this.endKey) return
    this.endKey = key
    show(ui.end, key !== '')
    if (!c || !key) {
      fill(ui.end)
      return
    }
    const { t } = this
    const token = this.session!.token
    const parts: HTMLElement[] = [h('p', { class: 'msg sys' }, t('ended'))]
    if (this.rated) parts.push(h('div', { class: 'box', role: 'status' }, h('p', { tabindex: -1 }, t('rateThanks'))))
    else
      parts.push(
        ratingForm(t, async (rating, comment) => {
          const res = await postJson<{ conversation: WidgetConversation }>(this.origin, `${API}/rating`, { token, rating, ...(comment ? { comment } : {}) })
          this.rated = true
          this.setConversation(res.conversation)
          this.renderEnd()
          ui.end.querySelector<HTMLElement>('[role=status] p')?.focus()
        }),
      )
    const transcript = fieldsForm({
      t,
      fields: [{ key: 'email', label: t('emailLabel'), type: 'email', required: true, value: this.knownEmail() }],
      submit: t('transcript'),
      onSubmit: async (v) => {
        await postJson(this.origin, `${API}/transcript`, { token, email: v.email })
        const sent = h('p', { tabindex: -1 }, t('transcriptSent'))
        transcript.replaceWith(h('div', { class: 'box', role: 'status' }, sent))
        sent.focus()
      },
    })
    parts.push(transcript)
    fill(ui.end, ...parts)
    ui.body.scrollTop = ui.body.scrollHeight
  }

  private showInvite(inviteId: number, message: string, agentName: string): void {
    const ui = this.ui!
    if (this.isOpen) {
      // The visitor is looking at the chat already: the invitation is simply shown there.
      ui.log.note(message)
      return
    }
    const { t } = this
    const accept = h('button', { type: 'button', class: 'btn' }, t('inviteAccept'))
    const dismiss = h('button', { type: 'button', class: 'btn alt' }, t('inviteDismiss'))
    const answer = (action: 'accept' | 'dismiss') => {
      this.conn.send({ type: 'invite', inviteId, action })
      show(ui.invite, false)
      if (action === 'accept') {
        ui.log.note(message)
        this.open()
      } else ui.launcher.focus()
    }
    accept.addEventListener('click', () => answer('accept'))
    dismiss.addEventListener('click', () => answer('dismiss'))
    ui.invite.onkeydown = (e) => {
      if (e.key === 'Escape') answer('dismiss')
    }
    fill(ui.invite, agentName ? h('div', { class: 'who' }, agentName) : '', h('p', { role: 'status' }, message), h('div', {}, accept, dismiss))
    show(ui.invite, true)
  }

  private showError(message: string): void {
    const el = this.ui?.foot.querySelector('.err')
    if (el) el.textContent = message
  }

  // ---- sending ----

  private sendMessage(text: string): void {
    this.stopTyping()
    const item: OutboxItem = { clientId: randomId(), text }
    const fields = this.outbox.some((o) => o.fields) ? null : this.fieldsForNewChat()
    if (fields) item.fields = fields
    this.outbox.push(item)
    this.saveOutbox()
    this.ui!.log.addPending(item.clientId, text)
    this.ui!.body.scrollTop = this.ui!.body.scrollHeight
    this.conn.send({ type: 'message', clientId: item.clientId, text, ...(item.fields ? { fields: item.fields } : {}) })
  }

  /** Pre-chat answers travel with the first message of a conversation (and again for a new one after the end). */
  private fieldsForNewChat(): Record<string, string> | null {
    const c = this.conversation
    return (!c || c.status === 'ended') && this.prechat ? this.prechat : null
  }

  private typed(nonEmpty: boolean): void {
    window.clearTimeout(this.typingTimer)
    if (!nonEmpty) {
      this.stopTyping()
      return
    }
    if (!this.typingSent) this.typingSent = this.conn.send({ type: 'typing', typing: true })
    this.typingTimer = window.setTimeout(() => this.stopTyping(), 3000)
  }

  private stopTyping(): void {
    window.clearTimeout(this.typingTimer)
    if (this.typingSent) this.conn.send({ type: 'typing', typing: false })
    this.typingSent = false
  }

  private dropFromOutbox(clientId: string): void {
    const before = this.outbox.length
    this.outbox = this.outbox.filter((o) => o.clientId !== clientId)
    if (this.outbox.length !== before) {
      this.saveOutbox()
      if (!this.outbox.length) this.renderConversation()
    }
  }

  private saveOutbox(): void {
    this.tab.set(`${this.key}:outbox`, this.outbox.length ? JSON.stringify(this.outbox) : null)
  }

  private knownEmail(): string {
    return this.identity?.email ?? this.prechat?.email ?? ''
  }

  private knownName(): string {
    return this.identity?.name ?? this.prechat?.name ?? ''
  }

  private readJson<T>(raw: string | null, fallback: T): T {
    try {
      return raw ? (JSON.parse(raw) as T) : fallback
    } catch {
      return fallback
    }
  }
}
