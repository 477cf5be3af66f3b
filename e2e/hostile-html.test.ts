import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BrowserContext, Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { ApiClient, rawEmail, signedInPage, useServerAndBrowser } from './harness.ts'

const CORPORA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/corpora')
const PER_MAIL = 25
const REMOTE_PIXEL = 'http://127.0.0.1:1/pixel.gif'

function loadPayloads(): string[] {
  const dompurify = path.join(CORPORA, 'dompurify/expect.json')
  const bluemonday = path.join(CORPORA, 'bluemonday/pairs.json')
  for (const f of [dompurify, bluemonday])
    if (!fs.existsSync(f)) throw new Error(`Hostile HTML corpus missing: ${f} (expected ../shared/corpora next to the repository checkout)`)
  const xss = (JSON.parse(fs.readFileSync(dompurify, 'utf8')) as { payload: string }[]).map((c) => c.payload)
  // Every third bluemonday input: enough variety (links, styles, entities, broken markup) at a third of the cost.
  const sanitizer = (JSON.parse(fs.readFileSync(bluemonday, 'utf8')) as { input: string }[]).map((c) => c.input).filter((_, i) => i % 3 === 0)
  // Things the frame must neutralise even if the server sanitizer let them through.
  const framing = [
    '<meta http-equiv="refresh" content="0;url=http://127.0.0.1:1/refresh">',
    '<base href="http://127.0.0.1:1/">',
    '<form action="http://127.0.0.1:1/form" method="post"><input name="q" value="x"><button>Send</button></form>',
    '<a href="javascript:alert(1)">js link</a>',
    '<link rel="stylesheet" href="http://127.0.0.1:1/style.css">',
  ]
  return [...xss, ...sanitizer, ...framing]
}

type Traffic = { url: string; type: string; phase: 'blocked-images' | 'remote-images' }

/** Records every request, dialog, trapped script call and console line of a context; anything off-origin is aborted. */
async function instrument(context: BrowserContext, origin: string) {
  const state = {
    phase: 'blocked-images' as Traffic['phase'],
    external: [] as Traffic[],
    xss: [] as string[],
    dialogs: [] as string[],
    console: [] as string[],
    blockedScripts: 0,
  }
  await context.exposeFunction('__xss', (what: string) => {
    state.xss.push(what)
  })
  // Runs first in every frame that can run script at all: any alert/confirm/prompt/print reports itself.
  await context.addInitScript(() => {
    const w = window as unknown as Record<string, unknown>
    for (const name of ['alert', 'confirm', 'prompt', 'print']) {
      w[name] = (...args: unknown[]) => {
        console.log(`__XSS__ ${name}(${String(args[0])}) in ${location.href}`)
        try {
          ;(w.__xss as (s: string) => void)(`${name}(${String(args[0])})`)
        } catch {}
      }
    }
  })
  await context.route('**/*', (route) => {
    const url = route.request().url()
    if (url.startsWith(`${origin}/`) || url.startsWith('data:')) return route.continue()
    state.external.push({ url, type: route.request().resourceType(), phase: state.phase })
    return route.abort()
  })
  const watch = (page: Page) => {
    page.on('dialog', (d) => {
      state.dialogs.push(`${d.type()}: ${d.message()}`)
      void d.dismiss().catch(() => {})
    })
    page.on('console', (m) => {
      const text = m.text()
      // Our trap, or Chrome refusing a dialog from script that did run in a frame without allow-modals.
      if (text.includes('__XSS__') || /Ignored call to '(alert|confirm|prompt|print)\(\)'/.test(text)) state.console.push(text)
      else if (text.startsWith('Blocked script execution')) state.blockedScripts++
    })
    page.on('request', (r) => {
      const url = r.url()
      if (!url.startsWith(`${origin}/`) && !url.startsWith('data:') && !state.external.some((e) => e.url === url))
        state.external.push({ url, type: r.resourceType(), phase: state.phase })
    })
  }
  context.on('page', watch)
  return { state, watch }
}

const env = useServerAndBrowser()
let owner: ApiClient
let inboxId: number

beforeAll(async () => {
  owner = await ApiClient.setup(env.server.url)
  inboxId = (await owner.createEmailInbox('Hostile', ['hostile@example.com'])).id
})

it('the script trap notices script that runs inside a sandboxed frame', async () => {
  // Proves the detector works, so "zero executions" below means something.
  const context = await env.browser.newContext()
  const { state, watch } = await instrument(context, env.server.url)
  const page = await context.newPage()
  watch(page)
  await page.goto(`${env.server.url}/api/v1/health`)
  await page.setContent('<iframe sandbox="allow-scripts" srcdoc="<script>alert(41)</script><img src=x onerror=alert(42)>"></iframe>')
  await expect.poll(() => state.console.length + state.xss.length, { timeout: 10_000 }).toBeGreaterThan(0)
  await context.close()
})

it('renders every hostile payload in the agent UI without running script or leaving the origin', async () => {
  const payloads = loadPayloads()
  const batches: string[][] = []
  for (let i = 0; i < payloads.length; i += PER_MAIL) batches.push(payloads.slice(i, i + PER_MAIL))

  // One thread: every batch after the first replies to the first, so one page load renders them all.
  const first = '<hostile-0@evil.example>'
  const markers: string[] = []
  let ticketId: number | null = null
  for (const [b, batch] of batches.entries()) {
    const html = batch.map((p, i) => `<div><p>MARK-${b}-${i}-END</p>${p}</div>`).join('\n')
    markers.push(...batch.map((_, i) => `MARK-${b}-${i}-END`))
    const res = await owner.postRawEmail(
      inboxId,
      rawEmail({
        from: 'Mallory <mallory@evil.example>',
        to: 'hostile@example.com',
        subject: b ? 'Re: Hostile batches' : 'Hostile batches',
        text: `Batch ${b}`,
        html,
        messageId: `<hostile-${b}@evil.example>`,
        ...(b ? { inReplyTo: first } : {}),
      }),
    )
    expect(res.disposition, `batch ${b}`).toBe(b ? 'reply' : 'ticket')
    ticketId ??= res.ticketId
    expect(res.ticketId, `batch ${b} did not thread`).toBe(ticketId)
  }

  const { context, page } = await signedInPage(env.browser, env.server.url, 'owner@example.com', 'correct-horse-1')
  const { state, watch } = await instrument(context, env.server.url)
  watch(page)
  await page.goto(`/tickets/${ticketId}`)
  const messages = page.locator('li[data-kind="customer"]')
  await expect.poll(() => messages.count(), { timeout: 15_000 }).toBe(batches.length)
  for (let i = 0; i < batches.length; i++) await messages.nth(i).getByRole('button', { name: 'Show formatted' }).click()
  const frames = page.locator('iframe.message-frame')
  await expect.poll(() => frames.count()).toBe(batches.length)
  expect(await frames.evaluateAll((els) => els.map((el) => el.getAttribute('sandbox')))).toEqual(
    batches.map(() => 'allow-popups allow-popups-to-escape-sandbox'),
  )
  let text = ''
  for (let i = 0; i < batches.length; i++) {
    const body = frames.nth(i).contentFrame().locator('body')
    await body.waitFor({ state: 'attached' })
    text += (await body.textContent()) ?? ''
  }
  const markersSeen = markers.filter((m) => text.includes(m)).length
  await page.waitForTimeout(500)
  expect(state.external, 'requests left the origin before "Load remote images"').toEqual([])

  state.phase = 'remote-images'
  const load = page.getByRole('button', { name: /Load \d+ remote images/ })
  const withRemote = await load.count()
  for (let i = 0; i < withRemote; i++) await load.first().click()
  if (withRemote) await page.waitForTimeout(500)
  const notImages = state.external.filter((e) => e.type !== 'image')
  expect(notImages, 'non-image requests left the origin after "Load remote images"').toEqual([])

  console.log(
    `hostile HTML: ${payloads.length} payloads in ${batches.length} emails, ${await frames.count()} frames rendered, ` +
      `${markersSeen}/${payloads.length} payload markers visible, scripts executed ${state.xss.length + state.console.length}, ` +
      `dialogs ${state.dialogs.length}, script executions blocked by the sandbox ${state.blockedScripts}, external requests before consent 0, messages with remote images ${withRemote}, ` +
      `remote image requests after consent ${state.external.length}`,
  )
  expect(state.xss, 'script executed').toEqual([])
  expect(state.console, 'script executed (console trap)').toEqual([])
  expect(state.dialogs, 'a dialog opened').toEqual([])
  // Each payload sits behind its own marker; one that swallows the markers after it (an unclosed comment, say) is fine,
  // but most must visibly render or the test is not exercising the frame.
  expect(markersSeen).toBeGreaterThan(payloads.length * 0.8)
  await context.close()
})

it('blocks a remote image until the agent clicks "Load remote images"', async () => {
  const res = await owner.postRawEmail(
    inboxId,
    rawEmail({
      from: 'Tracker <tracker@news.example>',
      to: 'hostile@example.com',
      subject: 'Remote pixel',
      text: 'Pixel inside',
      html: `<p>Hello with a <b>pixel</b></p><img src="${REMOTE_PIXEL}" alt="pixel">`,
    }),
  )
  const { context, page } = await signedInPage(env.browser, env.server.url, 'owner@example.com', 'correct-horse-1')
  const { state, watch } = await instrument(context, env.server.url)
  watch(page)
  await page.goto(`/tickets/${res.ticketId}`)
  const message = page.locator('li[data-kind="customer"]').first()
  await message.getByRole('button', { name: 'Show formatted' }).click()
  const frame = message.locator('iframe.message-frame')
  await frame.contentFrame().getByText('Hello with a').waitFor()
  await page.waitForTimeout(500)
  expect(state.external, 'the remote image loaded without consent').toEqual([])

  // The server keeps remote image sources; the agent UI holds them back until the agent consents.
  const stored = await owner.call<{ items: { html: string }[] }>('GET', `/tickets/${res.ticketId}/messages`)
  expect(stored.items.some((m) => m.html.includes(REMOTE_PIXEL))).toBe(true)
  state.phase = 'remote-images'
  await message.getByRole('button', { name: /Load 1 remote images/ }).click()
  await expect.poll(() => state.external.map((e) => e.url), { timeout: 10_000 }).toContain(REMOTE_PIXEL)
  expect(state.external.every((e) => e.type === 'image')).toBe(true)
  expect(state.xss).toEqual([])
  await context.close()
})
