import type { VisitorClientMessage } from '@allhands/contract'

type PageMessage = Extract<VisitorClientMessage, { type: 'page' }>

function timezone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || ''
  } catch {
    return ''
  }
}

/**
 * Where the visitor is, for the agents' live list. The first page's referrer is the document's; after an
 * in-page navigation (single-page apps) it is the previous URL, as a full page load would report it.
 */
export class PageTracker {
  private lastUrl = ''
  private referrer = document.referrer
  private timer = 0

  /** Calls `onNavigate` after pushState/replaceState/popstate/hashchange changed the URL. */
  constructor(private readonly onNavigate: (page: PageMessage) => void) {
    const changed = () => {
      // Routers set the new title just after changing the URL.
      window.clearTimeout(this.timer)
      this.timer = window.setTimeout(() => {
        if (location.href !== this.lastUrl) this.onNavigate(this.current())
      }, 150)
    }
    const patch = (name: 'pushState' | 'replaceState') => {
      const original = history[name]
      history[name] = function (this: History, ...args: Parameters<History['pushState']>) {
        const result = original.apply(this, args)
        changed()
        return result
      }
    }
    patch('pushState')
    patch('replaceState')
    window.addEventListener('popstate', changed)
    window.addEventListener('hashchange', changed)
  }

  /** The page message for where the visitor is now (sent on every connect, too). */
  current(): PageMessage {
    if (this.lastUrl && this.lastUrl !== location.href) this.referrer = this.lastUrl
    this.lastUrl = location.href
    return {
      type: 'page',
      url: location.href.slice(0, 2000),
      title: document.title.slice(0, 300),
      referrer: this.referrer.slice(0, 2000),
      timezone: timezone(),
      language: navigator.language || '',
    }
  }
}
