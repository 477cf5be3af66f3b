import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { App } from '../../platform/http.ts'

/**
 * apps/widget/dist/widget.js, found from this file in the sources (apps/server/src/modules/chat) and from the
 * server bundle (apps/server/dist/main.mjs) alike: the nearest apps/server above us, then its sibling apps/widget.
 */
export function widgetBundlePath(from = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from
  while (path.dirname(dir) !== dir) {
    if (path.basename(dir) === 'server' && path.basename(path.dirname(dir)) === 'apps') return path.join(path.dirname(dir), 'widget', 'dist', 'widget.js')
    dir = path.dirname(dir)
  }
  return path.resolve(from, '../../../../widget/dist/widget.js')
}

type Loaded = { mtimeMs: number; size: number; body: Buffer; etag: string }

/** GET /widget.js: the embeddable widget, for any site (CORS *), cached briefly and revalidated by ETag. */
export async function widgetAssetRoutes(app: App, opts: { file?: string } = {}) {
  const file = opts.file ?? widgetBundlePath()
  let loaded: Loaded | null = null
  const load = async (): Promise<Loaded | null> => {
    const stat = await fs.stat(file).catch(() => null)
    if (!stat?.isFile()) return null
    if (loaded && loaded.mtimeMs === stat.mtimeMs && loaded.size === stat.size) return loaded
    const body = await fs.readFile(file)
    loaded = { mtimeMs: stat.mtimeMs, size: stat.size, body, etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 20)}"` }
    return loaded
  }

  app.get('/widget.js', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
    reply.header('Access-Control-Allow-Origin', '*').header('Cross-Origin-Resource-Policy', 'cross-origin')
    const widget = await load()
    if (!widget)
      return reply
        .code(404)
        .type('text/plain; charset=utf-8')
        .send('The chat widget is not built on this server: run `npm run build` (it writes apps/widget/dist/widget.js).')
    reply
      .header('Cache-Control', 'public, max-age=300, must-revalidate')
      .header('ETag', widget.etag)
      .header('X-Content-Type-Options', 'nosniff')
      .type('text/javascript; charset=utf-8')
    if (req.headers['if-none-match'] === widget.etag) return reply.code(304).send()
    return reply.send(widget.body)
  })
}
