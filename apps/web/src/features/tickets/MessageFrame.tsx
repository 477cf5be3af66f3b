const ATTACHMENT_PATH = '/api/v1/attachments/'
const REMOTE = /^\s*(https?:)?\/\//i
const DROPPED = 'script, base, meta, link, iframe, frame, object, embed, noscript, template'

/**
 * The CSP of the message document. A sandbox="" frame has an opaque origin, so 'self' matches nothing:
 * inline images are allowed by the app's absolute origin. Remote images need the agent's consent.
 */
export function messageCsp(origin: string, remoteImages: boolean): string {
  const img = ['data:', `${origin}${ATTACHMENT_PATH}`, ...(remoteImages ? ['https:', 'http:'] : [])].join(' ')
  return `default-src 'none'; style-src 'unsafe-inline'; img-src ${img}; form-action 'none'; base-uri 'none'`
}

/**
 * Prepares server-sanitized HTML for the frame, in an inert document (DOMParser runs no script and loads nothing):
 * links open in a new tab without an opener, inline images point at the app's absolute origin,
 * and elements that could navigate or load anything are dropped as a second line behind the CSP.
 * Until the agent allows remote images their sources are taken out entirely: the CSP alone does not stop
 * the browser's preload scanner from fetching an image it sees before the policy applies.
 */
export function prepareMessageHtml(html: string, origin: string, allowRemoteImages = false): { body: string; remoteImages: number } {
  const doc = new DOMParser().parseFromString(`<!doctype html><body>${html}`, 'text/html')
  for (const el of Array.from(doc.querySelectorAll(DROPPED))) el.remove()
  for (const a of Array.from(doc.querySelectorAll('a'))) {
    a.setAttribute('target', '_blank')
    a.setAttribute('rel', 'noopener noreferrer')
  }
  let remoteImages = 0
  for (const img of Array.from(doc.querySelectorAll('img'))) {
    const src = img.getAttribute('src') ?? ''
    if (src.startsWith(ATTACHMENT_PATH)) img.setAttribute('src', `${origin}${src}`)
    else if (REMOTE.test(src)) {
      remoteImages++
      if (!allowRemoteImages) {
        img.removeAttribute('src')
        img.setAttribute('data-blocked-src', src)
      }
    }
    img.removeAttribute('srcset')
  }
  return { body: doc.body.innerHTML, remoteImages }
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;')

/**
 * `body` comes from prepareMessageHtml. Customer HTML never enters the app's DOM: it renders in an iframe with every sandbox restriction
 * but popups (no scripts, no same-origin, no forms) and a CSP that blocks remote loads until the agent allows images. Popups let a
 * link open in a new tab, outside the sandbox and without an opener (rel="noopener noreferrer").
 */
export function MessageFrame({ body, title, remoteImages = false }: { body: string; title: string; remoteImages?: boolean }) {
  const origin = window.location.origin
  const doc = `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${escapeAttr(messageCsp(origin, remoteImages))}"><meta name="referrer" content="no-referrer"><style>body{font:14px/1.5 system-ui,sans-serif;color:#1a1b1e;margin:8px;word-break:break-word}img{max-width:100%}</style></head><body>${body}</body></html>`
  return (
    <iframe
      className="message-frame"
      sandbox="allow-popups allow-popups-to-escape-sandbox"
      srcDoc={doc}
      title={title}
      referrerPolicy="no-referrer"
      data-remote-images={remoteImages ? 'allowed' : 'blocked'}
    />
  )
}
