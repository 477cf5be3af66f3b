import type { VisitorClientMessage, VisitorServerMessage, WidgetSession } from '@allhands/contract'
import { expect } from 'vitest'
import WebSocket from 'ws'
import type { TestApp } from '../../../test/helpers.ts'

/** Test helpers for the widget routes and socket (imported by the chat tests only). */

export async function buildChatInbox(app: TestApp, admin: { headers: Record<string, string> }, name = 'Website chat'): Promise<number> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: admin.headers, payload: { name, type: 'chat' } })
  if (res.statusCode !== 201) throw new Error(`inbox create failed: ${res.statusCode} ${res.body}`)
  return res.json().id
}

export async function startSession(
  app: TestApp,
  body: { inboxId: number; token?: string; identity?: unknown },
  opts: { origin?: string; ip?: string } = {},
): Promise<WidgetSession> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/widget/sessions',
    payload: body,
    headers: opts.origin ? { origin: opts.origin } : {},
    remoteAddress: opts.ip ?? '10.1.0.1',
  })
  if (res.statusCode !== 200) throw new Error(`session failed: ${res.statusCode} ${res.body}`)
  return res.json()
}

/** A visitor's widget socket that records what the server says. */
export async function connectWidget(base: string, token: string, origin?: string) {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/api/v1/widget/ws?token=${encodeURIComponent(token)}`, origin ? { origin } : {})
  const received: VisitorServerMessage[] = []
  let closed: { code: number; reason: string } | null = null
  ws.on('message', (raw) => received.push(JSON.parse(raw.toString())))
  ws.on('close', (code, reason) => {
    closed = { code, reason: reason.toString() }
  })
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  const send = (m: VisitorClientMessage | Record<string, unknown>) => ws.send(JSON.stringify(m))
  const waitFor = async <T extends VisitorServerMessage['type']>(type: T, pred: (m: Extract<VisitorServerMessage, { type: T }>) => boolean = () => true) => {
    const match = (m: VisitorServerMessage) => m.type === type && pred(m as Extract<VisitorServerMessage, { type: T }>)
    await expect.poll(() => received.some(match), { timeout: 5000 }).toBe(true)
    return received.find(match) as Extract<VisitorServerMessage, { type: T }>
  }
  const waitClosed = async () => {
    await expect.poll(() => closed, { timeout: 5000 }).not.toBeNull()
    return closed!
  }
  const close = async () => {
    if (ws.readyState === ws.CLOSED) return
    ws.close()
    await waitClosed()
  }
  return { ws, received, send, waitFor, waitClosed, close }
}
export type WidgetClient = Awaited<ReturnType<typeof connectWidget>>

/** A multipart body with one file (and optional fields), as the widget's upload sends it. */
export function multipartFile(file: { name: string; type: string; content: string | Buffer }, fields: Record<string, string> = {}) {
  const boundary = '----allhands-widget-test'
  const parts: Buffer[] = []
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`))
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`))
  parts.push(typeof file.content === 'string' ? Buffer.from(file.content) : file.content)
  parts.push(Buffer.from(`\r\n--${boundary}--\r\n`))
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}
