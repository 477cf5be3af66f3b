import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, it } from 'vitest'
import { ApiClient, signedInPage, useServerAndBrowser } from './harness.ts'

// Visitors leave the live list half a second after their page closes (instead of the default grace period).
const env = useServerAndBrowser({ env: { CHAT_LEAVE_GRACE_MS: '500' } })

/** A customer's site on another origin (another port), embedding the widget with one script tag. */
async function startHostSite(serverUrl: string, inboxId: number) {
  const page = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Pricing — Acme</title></head>
  <body>
    <h1>Acme pricing</h1>
    <p>Starter, Team and Enterprise plans.</p>
    <script src="${serverUrl}/widget.js" data-inbox="${inboxId}" async></script>
  </body>
</html>`
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    res.end(page)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}/pricing`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

it('lets an agent watch a visitor live, invite them, chat with a file, reply, transfer to a teammate and see them leave', async () => {
  const owner = await ApiClient.setup(env.server.url)
  await owner.createUser({ name: 'Bea Backup', email: 'bea@example.com', password: 'bea-password-1' })
  const agent = await signedInPage(env.browser, env.server.url, 'owner@example.com', 'correct-horse-1')
  const { page } = agent

  // Settings → Live chat: no chat inbox yet, create one there; the embed snippet is shown.
  await page.goto('/settings/live-chat')
  await page.getByText('No chat inbox yet').waitFor()
  await page.getByRole('button', { name: 'Create chat inbox' }).click()
  await page.getByTestId('embed-snippet').getByText('widget.js').waitFor()
  const inbox = (await owner.call<{ id: number; type: string }[]>('GET', '/inboxes')).find((i) => i.type === 'chat')!
  expect(await page.getByTestId('embed-snippet').textContent()).toContain(`data-inbox="${inbox.id}"`)
  const site = await startHostSite(env.server.url, inbox.id)

  // The admin shapes the widget: a title, and only the customer's site may embed it.
  const form = page.getByRole('form', { name: 'Chat widget settings' })
  await form.getByRole('textbox', { name: 'Title' }).fill('Acme help')
  const origins = form.getByRole('textbox', { name: 'Allowed sites' })
  await origins.fill(new URL(site.url).origin)
  await origins.press('Enter')
  await form.getByRole('button', { name: 'Save chat settings' }).click()
  await page.getByText('Chat settings saved').waitFor()
  const settings = await owner.call<{ appearance: { title: string }; allowedOrigins: string[] }>('GET', `/chat/inboxes/${inbox.id}/settings`)
  expect(settings).toMatchObject({ appearance: { title: 'Acme help' }, allowedOrigins: [new URL(site.url).origin] })

  // Auto-invite rules: create, disable, edit and delete one from the table.
  const rules = page.getByRole('region', { name: 'Auto-invite rules' })
  await rules.getByRole('button', { name: 'New rule' }).click()
  const ruleDialog = page.getByRole('dialog', { name: 'New auto-invite rule' })
  await ruleDialog.getByLabel('Name').fill('Checkout hesitation')
  await ruleDialog.getByLabel('Page address pattern').fill('https://shop.example/checkout*')
  await ruleDialog.getByRole('button', { name: 'Save rule' }).click()
  await rules.getByRole('cell', { name: 'https://shop.example/checkout*' }).waitFor()
  await rules.getByRole('switch', { name: 'Rule Checkout hesitation enabled' }).focus()
  await page.keyboard.press('Space')
  await expect
    .poll(async () => (await owner.call<{ items: { enabled: boolean }[] }>('GET', `/chat/inboxes/${inbox.id}/invite-rules`)).items[0]?.enabled)
    .toBe(false)
  await rules.getByRole('button', { name: 'Edit rule Checkout hesitation' }).click()
  const editDialog = page.getByRole('dialog', { name: 'Edit rule Checkout hesitation' })
  await editDialog.getByLabel('Name').fill('Checkout help')
  await editDialog.getByRole('button', { name: 'Save rule' }).click()
  await rules.getByText('Checkout help', { exact: true }).waitFor()
  await rules.getByRole('button', { name: 'Delete rule Checkout help' }).click()
  await page.getByRole('dialog', { name: 'Delete rule Checkout help?' }).getByRole('button', { name: 'Delete' }).click()
  await rules.getByText('No rules: visitors are only invited by agents from the visitor list.').waitFor()

  // The agent goes online from the header and watches the visitor list (empty, with the how-to).
  await page.getByRole('button', { name: 'Chat availability: Offline' }).click()
  await page.getByRole('radio', { name: 'Online' }).click()
  await page.getByRole('button', { name: 'Chat availability: Online' }).waitFor()
  await page.keyboard.press('Escape')
  await page.goto('/visitors')
  await page.getByTestId('visitors-empty').waitFor()

  // A visitor opens the customer's page: they appear live, with the page title.
  const visitorContext = await env.browser.newContext({ viewport: { width: 1200, height: 800 }, timezoneId: 'Europe/Paris', locale: 'fr-FR' })
  const visitor = await visitorContext.newPage()
  await visitor.goto(site.url)
  await visitor.getByRole('button', { name: 'Chat with us' }).waitFor()
  const table = page.getByTestId('visitors-table')
  const row = table.getByRole('row').filter({ hasText: 'Pricing — Acme' })
  await row.waitFor()
  await row.getByText('France', { exact: true }).waitFor()
  await row.getByText('Europe/Paris').waitFor()
  await row.getByText('French (France)').waitFor()
  await row.getByText('New', { exact: true }).waitFor()

  // They move to another page (pushState): the list follows without a reload; the drawer lists both pages.
  await visitor.evaluate(() => {
    document.title = 'Enterprise plan — Acme'
    history.pushState({}, '', '/pricing/enterprise')
  })
  const movedRow = table.getByRole('row').filter({ hasText: 'Enterprise plan — Acme' })
  await movedRow.waitFor()
  await movedRow.getByText('2 pages this visit').waitFor()
  await movedRow.getByRole('button', { name: /^Pages viewed by / }).click()
  const drawer = page.getByRole('dialog', { name: /^Visit of / })
  await drawer.getByRole('link', { name: 'Pricing — Acme' }).waitFor()
  await drawer.getByRole('link', { name: 'Enterprise plan — Acme' }).waitFor()
  await page.keyboard.press('Escape')
  await drawer.waitFor({ state: 'hidden' })

  // The agent invites them with a message of their own.
  await movedRow.getByRole('button', { name: /^Invite .* to chat$/ }).click()
  const inviteDialog = page.getByRole('dialog', { name: /^Invite .* to chat$/ })
  await inviteDialog.getByLabel('Message').fill('Need help choosing a plan?')
  await inviteDialog.getByRole('button', { name: 'Send invitation' }).click()
  await inviteDialog.waitFor({ state: 'hidden' })
  await movedRow.getByTestId('invite-status').getByText('Invited').waitFor()

  // The visitor sees the invitation, accepts, answers the pre-chat questions and writes.
  await visitor.getByText('Need help choosing a plan?').waitFor()
  await visitor.getByRole('button', { name: 'Chat now' }).click()
  await visitor.getByRole('dialog', { name: 'Acme help' }).waitFor()
  await visitor.getByLabel('Name').fill('Vera Visitor')
  await visitor.getByLabel('Email').fill('vera@example.com')
  await visitor.getByRole('button', { name: 'Start chat' }).click()
  await movedRow.getByTestId('invite-status').getByText('Accepted invite').waitFor()
  const input = visitor.getByRole('textbox', { name: 'Message' })
  await input.fill('Which plan includes SSO?')
  await input.press('Enter')

  // … and uploads a file.
  await visitor.locator('input[type="file"]').setInputFiles({ name: 'requirements.txt', mimeType: 'text/plain', buffer: Buffer.from('SSO, SCIM, audit log') })
  await visitor.getByRole('link', { name: /requirements\.txt/ }).waitFor()

  // The chat reaches the agent (the only one online): the list shows it, with the unverified email claim.
  const chatBadge = movedRow.getByRole('link', { name: /^#\d+$/ })
  await chatBadge.waitFor()
  const ticketId = Number((await chatBadge.textContent())!.slice(1))
  await movedRow.getByText('unverified').waitFor()

  // `g c` opens Chats; the chat is among mine; the agent opens it.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
  await page.keyboard.press('g')
  await page.keyboard.press('c')
  await page.getByRole('heading', { name: 'Chats', exact: true }).waitFor()
  const mine = page.getByTestId('chats-mine')
  await mine.getByText('Vera Visitor').waitFor()
  await mine.getByRole('link', { name: new RegExp(`^#${ticketId} `) }).click()

  // The ticket view: the visitor's message and file, the live chat panel.
  await page.getByText('Which plan includes SSO?').waitFor()
  await page.getByText('requirements.txt').first().waitFor()
  const panel = page.getByTestId('ticket-chat-panel')
  await panel.getByTestId('chat-status').getByText('Active').waitFor()
  await panel.getByTestId('chat-agent').getByText('Olivia Owner').waitFor()
  await panel.getByText('Visitor online').waitFor()
  await panel.getByRole('link', { name: 'Enterprise plan — Acme' }).waitFor()

  // Typing shows live.
  await input.pressSequentially('Also, is there')
  await panel.getByTestId('visitor-typing').getByText('Visitor is typing…').waitFor()
  await input.fill('')

  // The agent replies; the visitor sees it live and reads it; the receipt comes back.
  await page.getByTestId('composer-editor').click()
  await page.keyboard.type('Enterprise includes SSO and SCIM.')
  await page.getByRole('button', { name: 'Send', exact: true }).click()
  await visitor.getByText('Enterprise includes SSO and SCIM.').waitFor()
  await panel.getByTestId('chat-read-receipt').getByText('Last reply seen by the visitor').waitFor()

  // The visitor answers; the agent sees it without reloading.
  await input.fill('Great, thanks!')
  await input.press('Enter')
  await page.getByText('Great, thanks!').waitFor()

  // A teammate comes online; the agent transfers the chat to her with a note.
  const bea = await ApiClient.login(env.server.url, 'bea@example.com', 'bea-password-1')
  await bea.call('PUT', '/chat/me', { status: 'online' })
  await panel.getByRole('button', { name: 'Transfer' }).click()
  const transfer = page.getByRole('dialog', { name: 'Transfer chat' })
  await transfer.getByRole('textbox', { name: 'Person' }).click()
  await page.getByRole('option', { name: /^Bea Backup — Online/ }).click()
  await transfer.getByLabel('Note for the new owner').fill('Enterprise prospect, wants SSO.')
  await transfer.getByRole('button', { name: 'Transfer' }).click()
  await transfer.waitFor({ state: 'hidden' })
  await panel.getByTestId('chat-agent').getByText('Bea Backup').waitFor()
  await page.getByText('Enterprise prospect, wants SSO.').first().waitFor()
  await visitor.getByText('Bea Backup').first().waitFor()
  const chat = await owner.call<{ agent: { name: string } | null; status: string }>('GET', `/tickets/${ticketId}/chat`)
  expect(chat).toMatchObject({ status: 'active', agent: { name: 'Bea Backup' } })

  // The file is on the ticket for good.
  const messages = await owner.call<{ items: { attachments: { filename: string }[] }[] }>('GET', `/tickets/${ticketId}/messages`)
  expect(messages.items.flatMap((m) => m.attachments.map((a) => a.filename))).toContain('requirements.txt')

  // As a lead, the owner watches, joins and whispers to Bea: the whisper is an internal note the visitor never sees.
  await panel.getByRole('button', { name: 'Watch' }).click()
  await panel.getByTestId('chat-supervisors').getByText('You are watching').waitFor()
  await panel.getByRole('button', { name: 'Join' }).click()
  await panel.getByTestId('chat-supervisors').getByText('You are in this chat').waitFor()
  await panel.getByLabel('Whisper to the agent').fill('Ask how many seats they need.')
  await panel.getByRole('button', { name: 'Whisper' }).click()
  await page.getByText('Ask how many seats they need.').first().waitFor()
  await panel.getByRole('button', { name: 'Stop' }).click()
  await panel.getByTestId('chat-supervisors').waitFor({ state: 'detached' })
  expect(await visitor.getByText('Ask how many seats they need.').count()).toBe(0)
  const audit = await owner.call<{ items: { action: string }[] }>('GET', '/audit-log')
  expect(audit.items.map((a) => a.action)).toEqual(expect.arrayContaining(['chat.supervision_watch', 'chat.supervision_join', 'chat.whispered']))

  // Back on the visitor list (`g v`): the visitor is there, then closes the page and the row goes away live.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
  await page.keyboard.press('g')
  await page.keyboard.press('v')
  await movedRow.waitFor()
  await visitor.close()
  await movedRow.waitFor({ state: 'detached' })
  await page.getByTestId('visitors-empty').waitFor()

  // The chat ends from the ticket view; the requester's contact page lists the pages they visited.
  await page.goto(`/tickets/${ticketId}`)
  await panel.getByText('Visitor offline').waitFor()
  await panel.getByRole('button', { name: 'End chat' }).click()
  await page.getByRole('dialog', { name: 'End this chat?' }).getByRole('button', { name: 'End chat' }).click()
  await panel.getByTestId('chat-status').getByText('Ended').waitFor()
  const ticket = await owner.call<{ requester: { id: number } }>('GET', `/tickets/${ticketId}`)
  await page.goto(`/contacts/${ticket.requester.id}`)
  const visited = page.getByRole('region', { name: 'Pages visited' })
  await visited.getByRole('link', { name: 'Enterprise plan — Acme' }).waitFor()
  await visited.getByRole('link', { name: 'Pricing — Acme' }).waitFor()

  // Contributors never see chat work: no availability switch, no Chats or Visitors pages in the navigation.
  await owner.createUser({ name: 'Cody Contributor', email: 'cody@example.com', password: 'cody-password-1', role: 'contributor' })
  const cody = await signedInPage(env.browser, env.server.url, 'cody@example.com', 'cody-password-1')
  await cody.page.goto('/home')
  await cody.page.getByRole('link', { name: 'Home' }).waitFor()
  expect(await cody.page.getByRole('button', { name: /^Chat availability/ }).count()).toBe(0)
  expect(await cody.page.getByRole('link', { name: /^Chats/ }).count()).toBe(0)
  expect(await cody.page.getByRole('link', { name: 'Visitors' }).count()).toBe(0)
  await cody.context.close()

  await visitorContext.close()
  await agent.context.close()
  await site.close()
}, 180_000)
