const CSP = "default-src 'none'; img-src data: cid:; style-src 'unsafe-inline'"

/**
 * Customer HTML never enters the app's DOM: it renders in an iframe with every sandbox restriction
 * (no scripts, no same-origin, no forms) and a CSP that blocks remote loads.
 */
export function MessageFrame({ html, title }: { html: string; title: string }) {
  const doc = `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${CSP}"><style>body{font:14px/1.5 system-ui,sans-serif;color:#1a1b1e;margin:8px;word-break:break-word}img{max-width:100%}</style></head><body>${html}</body></html>`
  return <iframe className="message-frame" sandbox="" srcDoc={doc} title={title} referrerPolicy="no-referrer" />
}
