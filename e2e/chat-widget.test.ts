import { createHmac } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Page } from 'playwright-core'
import { afterAll, expect, it } from 'vitest'
import { ApiClient, signedInPage, startSmtpSink, useServerAndBrowser } from './harness.ts'

const smtp = await startSmtpSink()
const env = useServerAndBrowser({ env: { SMTP_URL: smtp.url } })

/**
 * A customer's site on another origin (another port): two pages embedding the widget with one script tag, a
 * single-page-app style link (pushState), and hostile CSS that would wreck the widget if it were not isolated.
 */
async function startCustomerSite(widgetSrc: () => string, inboxId: () => number) {
  const page = (title: string, body: string) => `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>
<style>
  button, div, section, p, li, ol, form, textarea, input, label { display: none !important; color: rgb(255, 0, 0) !important; font-size: 40px !important; }
  * { font-family: "Comic Sans MS", cursive !important; }
  main { display: block !important; }
</style></head>
<body><main><h1>${title}</h1>${body}<a id="spa" href="/pricing">Pricing</a></main>
<script>document.getElementById('spa').addEventListener('click', (e) => { e.preventDefault(); history.pushState({}, '', '/pricing'); document.title = 'Pricing · Shop' })</script>
<script src="${widgetSrc()}" data-inbox="${inboxId()}" async></script>
</body></html>`
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8')
    if (req.url === '/pricing') res.end(page('Pricing · Shop', '<p>Plans and prices</p>'))
    else res.end(page('Home · Shop', '<p>Welcome to the shop</p>'))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

let inboxId = 0
const site = await startCustomerSite(
  () => `${env.server.url}/widget.js`,
  () => inboxId,
)
afterAll(() => site.close())

type Message = { id: number; direction: string; kind: string; text: string; attachments: { filename: string }[] }

/** The focused element inside the widget's shadow root (the page's activeElement is the widget's host). */
const focusedInWidget = (page: Page) =>
  page.evaluate(() => {
    const el = document.querySelector('allhands-chat')?.shadowRoot?.activeElement
    return el ? `${el.tagName.toLowerCase()}:${el.getAttribute('aria-label') ?? el.textContent}` : null
  })

it('chats from a customer site: pre-chat, live replies, reconnect without loss or duplicates, upload, keyboard, rating and transcript', {
  timeout: 240_000,
}, async () => {
  const owner = await ApiClient.setup(env.server.url)
  const inbox = await owner.call<{ id: number }>('POST', '/inboxes', { name: 'Website chat', type: 'chat' })
  inboxId = inbox.id
  const settings = await owner.call<{ appearance: Record<string, unknown> }>('GET', `/chat/inboxes/${inbox.id}/settings`)
  await owner.call('PATCH', `/chat/inboxes/${inbox.id}/settings`, {
    appearance: { ...settings.appearance, title: 'Shop help', color: '#0b7a3e', texts: { launcherLabel: 'Talk to the shop' } },
    preChatFields: [
      { key: 'name', label: 'Your name', type: 'text', required: true },
      { key: 'email', label: 'Your email', type: 'email', required: true },
    ],
  })
  await owner.call('PUT', '/chat/me', { status: 'online' })

  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  await page.goto(site.url)

  // One script tag from another origin: the launcher appears, themed and translated, despite the page's CSS.
  const launcher = page.getByRole('button', { name: 'Talk to the shop' })
  await launcher.waitFor()
  expect(await launcher.getAttribute('aria-expanded')).toBe('false')
  await launcher.click()
  const dialog = page.getByRole('dialog', { name: 'Shop help' })
  await dialog.waitFor()
  expect(await launcher.getAttribute('aria-expanded')).toBe('true')
  const headerColor = await dialog.locator('header').evaluate((el) => getComputedStyle(el).backgroundColor)
  expect(headerColor).toBe('rgb(11, 122, 62)')
  const greeting = dialog.getByText('Hi! How can we help you today?')
  expect(await greeting.evaluate((el) => [getComputedStyle(el).color, getComputedStyle(el).fontSize])).not.toContain('rgb(255, 0, 0)')
  expect(await greeting.evaluate((el) => getComputedStyle(el).fontSize)).not.toBe('40px')

  // Pre-chat form: required fields are checked before anything is sent.
  await dialog.getByRole('button', { name: 'Start chat' }).click()
  await dialog.getByRole('alert').getByText('Please fill in “Your name”.').waitFor()
  await dialog.getByLabel('Your name').fill('Vera Visitor')
  await dialog.getByLabel('Your email').fill('vera@customer.example')
  await dialog.getByRole('button', { name: 'Start chat' }).click()
  const input = dialog.getByRole('textbox', { name: 'Message' })
  await input.fill('Hello, do you ship to Norway?')
  await input.press('Enter')

  // The chat is a ticket on the chat inbox.
  let ticketId = 0
  await expect
    .poll(
      async () => {
        const list = await owner.call<{ items: { id: number; subject: string }[] }>('GET', `/tickets?inbox=${inbox.id}`)
        ticketId = list.items.find((t) => t.subject === 'Hello, do you ship to Norway?')?.id ?? 0
        return ticketId
      },
      { timeout: 15_000 },
    )
    .toBeGreaterThan(0)
  await dialog.getByText('Sending…').waitFor({ state: 'detached' })

  // The agent opens the chat: the visitor's message is marked read. Typing shows both ways.
  const agent = await signedInPage(env.browser, env.server.url, 'owner@example.com', 'correct-horse-1')
  await agent.page.goto(`/tickets/${ticketId}`)
  await dialog.locator('.msg.me').filter({ hasText: 'Hello, do you ship to Norway?' }).getByText('Read', { exact: true }).waitFor()
  await agent.page.getByTestId('composer-editor').click()
  await agent.page.keyboard.type('Let me check')
  await dialog.getByText('Olivia Owner is typing…').waitFor()
  await input.pressSequentially('One more')
  await expect
    .poll(async () => (await owner.call<{ visitorTyping: boolean }>('GET', `/tickets/${ticketId}/chat`)).visitorTyping, { timeout: 10_000 })
    .toBe(true)
  await input.fill('')
  await agent.context.close()

  // The agent replies from the ticket: it appears live, as text (markup stays text), links made safe.
  const sent = await owner.call<{ id: number }>('POST', `/tickets/${ticketId}/replies`, {
    body: 'Yes we do! Rates: https://shop.example/shipping. <img src=x onerror=alert(1)>',
  })
  const reply = dialog.locator('.msg.them').filter({ hasText: 'Yes we do!' })
  await reply.waitFor()
  // The panel is open and visible: the visitor has read it (the agent side's receipt).
  await expect.poll(async () => (await owner.call<{ visitorReadUpTo: number | null }>('GET', `/tickets/${ticketId}/chat`)).visitorReadUpTo).toBe(sent.id)
  const link = reply.getByRole('link', { name: 'https://shop.example/shipping' })
  expect(await link.getAttribute('rel')).toBe('noopener noreferrer')
  expect(await link.getAttribute('target')).toBe('_blank')
  expect(await reply.locator('img').count()).toBe(0)

  // The live list shows where the visitor is; an in-page navigation (pushState) updates it.
  await page.locator('#spa').click()
  await expect
    .poll(
      async () => {
        const visitors = await owner.call<{ items: { page: { url: string; title: string }; timezone: string }[] }>('GET', '/chat/visitors')
        return visitors.items[0]?.page
      },
      { timeout: 15_000 },
    )
    .toEqual({ url: `${site.url}/pricing`, title: 'Pricing · Shop' })

  // Network loss: the widget says it is reconnecting, keeps the message, and delivers it exactly once.
  const messages = () => owner.call<{ items: Message[] }>('GET', `/tickets/${ticketId}/messages`).then((r) => r.items)
  await context.setOffline(true)
  await dialog.getByText('Connection lost. Reconnecting…').waitFor()
  await input.fill('Sent while offline')
  await input.press('Enter')
  await dialog.getByText('Sending…').waitFor()
  await page.waitForTimeout(1500)
  expect((await messages()).filter((m) => m.text === 'Sent while offline')).toHaveLength(0)
  await context.setOffline(false)
  await dialog.getByText('Sending…').waitFor({ state: 'detached', timeout: 40_000 })
  await dialog.getByText('Connection lost. Reconnecting…').waitFor({ state: 'hidden' })
  expect((await messages()).filter((m) => m.text === 'Sent while offline')).toHaveLength(1)
  expect(await dialog.getByText('Sent while offline').count()).toBe(1)

  // A message the server never acknowledged (its socket swallowed every frame) survives a reload in the
  // outbox and is delivered exactly once afterwards; the reload keeps the conversation (token in localStorage).
  let blackHole = true
  await page.routeWebSocket(/\/api\/v1\/widget\/ws/, (ws) => {
    if (!blackHole) ws.connectToServer()
  })
  await page.reload()
  await launcher.click()
  await dialog.getByText('Sent while offline').waitFor()
  await input.fill('Sent before a reload')
  await input.press('Enter')
  await dialog.getByText('Sending…').waitFor()
  await page.waitForTimeout(1000)
  expect((await messages()).filter((m) => m.text === 'Sent before a reload')).toHaveLength(0)
  blackHole = false
  await page.reload()
  await launcher.click()
  await dialog.getByText('Sent before a reload').waitFor()
  await dialog.getByText('Sending…').waitFor({ state: 'detached' })
  await expect.poll(async () => (await messages()).filter((m) => m.text === 'Sent before a reload').length).toBe(1)
  for (const text of ['Hello, do you ship to Norway?', 'Yes we do!', 'Sent while offline', 'Sent before a reload'])
    expect(await dialog.getByText(text).count(), text).toBe(1)

  // Upload: a file over the limit is refused in the browser; a small one becomes an attachment link.
  const fileInput = dialog.locator('input[type=file]')
  await fileInput.setInputFiles({ name: 'huge.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(30 * 1024 * 1024) })
  await dialog
    .getByRole('alert')
    .getByText(/huge\.bin is too large/)
    .waitFor()
  await fileInput.setInputFiles({ name: 'receipt.txt', mimeType: 'text/plain', buffer: Buffer.from('Order 1234, 2 items') })
  await dialog.getByRole('link', { name: /receipt\.txt/ }).waitFor()
  await expect.poll(async () => (await messages()).some((m) => m.attachments.some((a) => a.filename === 'receipt.txt'))).toBe(true)

  // Keyboard: Escape closes and gives focus back to the launcher; a reply while closed shows an unread badge.
  await input.focus()
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'hidden' })
  expect(await launcher.getAttribute('aria-expanded')).toBe('false')
  expect(await focusedInWidget(page)).toBe('button:Talk to the shop')
  await owner.call('POST', `/tickets/${ticketId}/replies`, { body: 'Anything else I can do?' })
  await page.getByRole('button', { name: 'Talk to the shop, 1 unread' }).waitFor()
  await page.keyboard.press('Enter')
  await dialog.getByText('Anything else I can do?').waitFor()
  await page.getByRole('button', { name: 'Talk to the shop', exact: true }).waitFor()

  // The agent ends the chat: the visitor rates it with the keyboard and asks for the transcript.
  await owner.call('POST', `/tickets/${ticketId}/chat/end`)
  await dialog.getByText('How was this chat?').waitFor()
  await dialog.getByRole('radio', { name: '1 of 5' }).focus()
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight')
  expect(await dialog.getByRole('radio', { name: '4 of 5' }).isChecked()).toBe(true)
  await dialog.getByLabel('Comment (optional)').fill('Quick answers.')
  await dialog.getByRole('button', { name: 'Send rating' }).click()
  await dialog.getByText('Thank you for your feedback!').waitFor()
  await expect.poll(async () => (await owner.call<{ rating: number | null }>('GET', `/tickets/${ticketId}/chat`)).rating).toBe(4)

  await dialog.getByRole('button', { name: 'Email me the transcript' }).click()
  await dialog.getByText('The transcript is on its way to your inbox.').waitFor()
  await expect
    .poll(() => smtp.received.some((m) => m.rcpt.includes('vera@customer.example') && /Sent while offline/.test(m.parsed.text ?? '')), { timeout: 60_000 })
    .toBe(true)

  await context.close()
})

it('shows the offline form when nobody is available and turns it into a ticket', async () => {
  const owner = await ApiClient.login(env.server.url, 'owner@example.com', 'correct-horse-1')
  await owner.call('PUT', '/chat/me', { status: 'offline' })
  const inbox = await owner.call<{ id: number }>('POST', '/inboxes', { name: 'After-hours chat', type: 'chat' })
  inboxId = inbox.id

  const context = await env.browser.newContext()
  const page = await context.newPage()
  await page.goto(site.url)
  await page.getByRole('button', { name: 'Chat with us' }).click()
  const dialog = page.getByRole('dialog', { name: 'Chat with us' })
  await dialog.getByRole('heading', { name: 'We are away right now' }).waitFor()
  await dialog.getByLabel('Name').fill('Otto Offline')
  await dialog.getByLabel('Email').fill('otto@customer.example')
  await dialog.getByLabel('Message').fill('Please call me back about my order.')
  await dialog.getByRole('button', { name: 'Send message' }).click()
  await dialog.getByText('Thank you! We got your message and will reply by email.').waitFor()

  await expect
    .poll(async () => {
      const list = await owner.call<{ items: { subject: string }[] }>('GET', `/tickets?inbox=${inbox.id}`)
      return list.items.length
    })
    .toBe(1)
  await context.close()
})

it('invites a signed-in customer, links them to their contact, and identify() switches people without showing the first one’s chat', async () => {
  const owner = await ApiClient.login(env.server.url, 'owner@example.com', 'correct-horse-1')
  await owner.call('PUT', '/chat/me', { status: 'online' })
  const inbox = await owner.call<{ id: number }>('POST', '/inboxes', { name: 'Members chat', type: 'chat' })
  inboxId = inbox.id
  const { identitySecret } = await owner.call<{ identitySecret: string }>('GET', `/chat/inboxes/${inbox.id}/settings`)
  // What the site's backend does: sign `${userId}:${email}` with the inbox's secret.
  const identityOf = (userId: string, email: string, name: string) => ({
    userId,
    email,
    name,
    signature: createHmac('sha256', identitySecret).update(`${userId}:${email}`).digest('hex'),
  })

  const context = await env.browser.newContext()
  const page = await context.newPage()
  await page.addInitScript(
    (identity) => {
      ;(window as unknown as { AllhandsChat: unknown }).AllhandsChat = { identity }
    },
    identityOf('u-42', 'ana@customer.example', 'Ana Member'),
  )
  await page.goto(site.url)
  const launcher = page.getByRole('button', { name: 'Chat with us' })
  await launcher.waitFor()
  const dialog = page.getByRole('dialog', { name: 'Chat with us' })

  // An agent invites the visitor from the live list: a bubble by the launcher; "No thanks" is recorded.
  type Visitor = { id: number; contact: { name: string } | null; verified: boolean; invite: { status: string } | null }
  const visitor = async () => (await owner.call<{ items: Visitor[] }>('GET', `/chat/visitors?inboxId=${inbox.id}`)).items[0]
  await expect.poll(async () => (await visitor())?.verified).toBe(true)
  const { id: visitorId } = (await visitor())!
  await owner.call('POST', `/chat/visitors/${visitorId}/invite`, { message: 'Hi Ana, can we help with your membership?' })
  await page.getByText('Hi Ana, can we help with your membership?').waitFor()
  await page.getByRole('button', { name: 'No thanks' }).click()
  await expect.poll(async () => (await visitor())?.invite?.status).toBe('dismissed')
  expect(await page.getByText('Hi Ana, can we help with your membership?').isVisible()).toBe(false)
  // A second invitation, accepted: the panel opens.
  await owner.call('POST', `/chat/visitors/${visitorId}/invite`, { message: 'We are here if you need us.' })
  await page.getByRole('button', { name: 'Chat now' }).click()
  await dialog.waitFor()
  await expect.poll(async () => (await visitor())?.invite?.status).toBe('accepted')
  await dialog.getByText('We are here if you need us.').waitFor()
  // The site can also close and open the panel through the JavaScript API.
  await page.evaluate(() => (window as unknown as { AllhandsChat: { close(): void } }).AllhandsChat.close())
  await dialog.waitFor({ state: 'hidden' })
  await page.evaluate(() => (window as unknown as { AllhandsChat: { open(): void } }).AllhandsChat.open())
  await dialog.waitFor()
  expect(await dialog.getByLabel('Name').inputValue()).toBe('Ana Member')
  await dialog.getByRole('button', { name: 'Start chat' }).click()
  const input = dialog.getByRole('textbox', { name: 'Message' })
  await input.fill('Where is my membership card?')
  await input.press('Enter')
  await dialog.getByText('Sending…').waitFor({ state: 'detached' })
  const list = await owner.call<{ items: { id: number }[] }>('GET', `/tickets?inbox=${inbox.id}`)
  expect(list.items).toHaveLength(1)
  const ticket = await owner.call<{ requester: { name: string; email: string | null } }>('GET', `/tickets/${list.items[0]!.id}`)
  expect(ticket.requester).toMatchObject({ name: 'Ana Member', email: 'ana@customer.example' })

  // Someone else signs in on the same browser: a new session, nothing of Ana's chat, her answers not reused.
  await page.evaluate(
    (identity) => (window as unknown as { AllhandsChat: { identify(i: unknown): Promise<void> } }).AllhandsChat.identify(identity),
    identityOf('u-77', 'ben@customer.example', 'Ben Member'),
  )
  await dialog.getByRole('button', { name: 'Start chat' }).waitFor()
  expect(await dialog.getByLabel('Name').inputValue()).toBe('Ben Member')
  expect(await dialog.getByText('Where is my membership card?').count()).toBe(0)
  await context.close()
})
