import type { PreChatField, WidgetMessage, WidgetTreeHandoff, WidgetTreeRun } from '@allhands/contract'
import { type ApiError, postJson, store } from './api.ts'
import { fill, h, linkify, safeUrl, show } from './dom.ts'
import { type FieldSpec, fieldsForm, reasonOf } from './forms.ts'
import type { Translate } from './texts.ts'

const API = '/api/v1/widget/tree'
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' }

/** The text of a step's sanitized HTML without parsing it: tags dropped, block ends kept as line breaks, entities decoded. */
export function textOf(html: string): string {
  return html
    .replace(/<br\s*\/?>|<\/(p|li|h\d|div|blockquote|tr)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (m, name: string) => ENTITIES[name] ?? m)
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

/** What the tree panel needs from the widget. */
export interface TreeHost {
  origin: string
  t: Translate
  /** sessionStorage key of the run under way (per server and inbox), so a reload or navigation resumes it. */
  key: string
  token(): string
  tree(): { name: string; description: string } | null
  online(): boolean
  preChatFields(): PreChatField[]
  prechat(): Record<string, string> | null
  known(): { name: string; email: string }
  /** A run is under way (or waits for its hand-over): the chat form below makes room for it. */
  busy(active: boolean): void
  /** The run was handed to support: a chat started with the path (its first message), or an offline ticket. */
  handedOver(mode: 'chat' | 'offline', message: WidgetMessage | null, fields: Record<string, string> | null): void
}

/**
 * Guided help before a chat: "Find an answer" runs the inbox's decision tree step by step through the server.
 * A happy ending ends here; "I still need help" hands the path and answers to a chat, or with nobody online, an
 * offline message, so the visitor never repeats themselves.
 */
export class TreePanel {
  readonly el = h('div', { class: 'tree' })
  private run: WidgetTreeRun | null = null
  private sent = false
  private visible = true
  private readonly tab = store('session')

  constructor(private readonly host: TreeHost) {
    const saved = this.tab.get(host.key)
    this.render()
    // A run left mid-way (reload, navigation) goes on where it was; one the server no longer resumes is forgotten.
    if (saved && host.tree())
      this.step('resume', { run: saved }, false).catch((err: ApiError) => {
        if (err.status) this.tab.set(host.key, null)
      })
  }

  /** Shown while no chat is open (or a run is under way). */
  show(visible: boolean): void {
    this.visible = visible
    show(this.el, (visible || (this.run !== null && !this.sent)) && this.host.tree() !== null)
  }

  private async step(path: string, body: object, focus = true): Promise<void> {
    if (path === 'start') this.sent = false
    this.run = await postJson<WidgetTreeRun>(this.host.origin, `${API}/${path}`, { token: this.host.token(), ...body })
    this.render()
    if (focus) this.el.querySelector<HTMLElement>('h3')?.focus()
  }

  /** A button that runs `work`, shows its error in the panel and cannot be pressed twice meanwhile. */
  private button(label: string, work: () => Promise<void>, alt = false): HTMLButtonElement {
    const b = h('button', { type: 'button', class: alt ? 'btn alt' : 'btn' }, label)
    b.addEventListener('click', async () => {
      const error = this.el.querySelector('.err')
      if (error) error.textContent = ''
      b.disabled = true
      try {
        await work()
      } catch (err) {
        if (error) error.textContent = reasonOf(err, this.host.t)
        b.disabled = false
      }
    })
    return b
  }

  private render(): void {
    const { t } = this.host
    const tree = this.host.tree()
    const run = this.run
    const error = h('p', { class: 'err', role: 'alert' })
    const heading = (text: string) => h('h3', { tabindex: -1 }, text)
    let content: (Node | null)[]
    if (!tree) content = []
    else if (!run) {
      content = [heading(tree.name), tree.description ? h('p', {}, tree.description) : null, this.button(t('treeStart'), () => this.step('start', {}))]
    } else if (run.step) {
      const s = run.step
      const answer = (body: object) => () => this.step('answer', { run: run.token, ...body })
      const parts: (Node | null)[] = [heading(s.title), h('p', { class: 'tx' }, linkify(textOf(s.html)))]
      if (s.type === 'question') parts.push(h('div', { class: 'choices' }, ...s.choices.map((c) => this.button(c.label, answer({ choice: c.index }), true))))
      else if (s.type === 'info') parts.push(this.button(t('treeContinue'), answer({})))
      else if (s.input) {
        parts.push(
          fieldsForm({
            t,
            fields: [{ key: 'value', label: t('treeAnswerLabel'), type: s.input.kind === 'email' ? 'email' : 'text', required: true }],
            submit: t('treeContinue'),
            onSubmit: (v) => answer({ value: v.value })(),
          }),
        )
      } else {
        const href = s.action?.kind === 'link_article' && s.action.articleUrl ? safeUrl(s.action.articleUrl, this.host.origin) : null
        if (href) parts.push(h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, s.action?.articleTitle || t('treeArticle')))
        if (s.action?.kind === 'resolved') parts.push(this.button(t('treeSolved'), answer({ resolved: true })))
        else {
          if (s.action?.kind !== 'open_ticket') parts.push(this.button(t('treeSolved'), answer({ resolved: true })))
          parts.push(this.button(t('treeNeedHelp'), answer({ resolved: false }), s.action?.kind !== 'open_ticket'))
        }
      }
      content = parts
    } else if (run.outcome === 'ticket' && !this.sent) {
      content = [heading(t('treeHandoffTitle')), this.handoffForm(run.token)]
    } else {
      content = [
        h('p', { role: 'status', tabindex: -1 }, this.sent ? t('offlineSent') : t('treeThanks')),
        this.button(t('treeAgain'), () => this.step('start', {}), true),
      ]
    }
    fill(this.el, content.length ? h('div', { class: 'box' }, ...content, error) : null)
    this.show(this.visible)
    const active = !!run && (!!run.step || (run.outcome === 'ticket' && !this.sent))
    if (run || this.sent) this.tab.set(this.host.key, active && run ? run.token : null)
    this.host.busy(active)
  }

  /** Who to hand over to: the pre-chat form when someone is online, else the offline form (name, email, message). */
  private handoffForm(run: string): HTMLFormElement {
    const { t } = this.host
    const known = this.host.known()
    const online = this.host.online()
    const prechat = this.host.prechat()
    const fields: FieldSpec[] = online
      ? prechat
        ? []
        : this.host.preChatFields().map((f) => ({ ...f, value: f.type === 'email' ? known.email : f.key === 'name' ? known.name : '' }))
      : [
          { key: 'name', label: t('nameLabel'), type: 'text', required: true, value: known.name, autocomplete: 'name' },
          { key: 'email', label: t('emailLabel'), type: 'email', required: true, value: known.email },
          { key: 'message', label: t('messageLabel'), type: 'textarea', required: false },
        ]
    return fieldsForm({
      t,
      intro: t(online ? 'treeHandoffChat' : 'treeHandoffOffline'),
      fields,
      submit: online ? t('startChat') : t('sendOffline'),
      onSubmit: async (v) => {
        const body: WidgetTreeHandoff = online ? { token: this.host.token(), run, fields: prechat ?? v } : { token: this.host.token(), run, ...v }
        const res = await postJson<{ mode: 'chat' | 'offline'; message: WidgetMessage | null }>(this.host.origin, `${API}/handoff`, body)
        this.sent = true
        if (res.mode === 'chat') this.run = null
        this.render()
        this.host.handedOver(res.mode, res.message, online ? (prechat ?? v) : null)
        this.el.querySelector<HTMLElement>('[role=status]')?.focus()
      },
    })
  }
}
