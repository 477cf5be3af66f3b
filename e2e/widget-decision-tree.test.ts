import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, expect, it } from 'vitest'
import { ApiClient, signedInPage, useServerAndBrowser } from './harness.ts'

const env = useServerAndBrowser()

let inboxId = 0
/** A customer's site on another origin, embedding the widget with one script tag. */
const site = await new Promise<{ url: string; server: http.Server }>((resolve) => {
  const server = http.createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8')
    res.end(`<!doctype html><html><head><meta charset="utf-8"><title>Printer shop</title></head>
<body><h1>Printer shop</h1><script src="${env.server.url}/widget.js" data-inbox="${inboxId}" async></script></body></html>`)
  })
  server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }))
})
afterAll(() => new Promise<void>((resolve) => site.server.close(() => resolve())))

type Message = { text: string; fullText: string; kind: string }

it('a visitor runs the guided help in the widget, ends unresolved, and the agent gets the chat with the path', { timeout: 120_000 }, async () => {
  const owner = await ApiClient.setup(env.server.url)
  const inbox = await owner.call<{ id: number }>('POST', '/inboxes', { name: 'Website chat', type: 'chat' })
  inboxId = inbox.id
  const tree = await owner.call<{ id: number }>('POST', '/decision-trees', {
    name: 'Printer help',
    audience: 'public',
    description: 'Fix common printer problems yourself.',
    draft: {
      startNodeId: 'start',
      nodes: [
        {
          id: 'start',
          type: 'question',
          title: 'What happens?',
          text: '<p>What does the printer do? See https://example.com/printers</p>',
          variable: 'symptom',
          choices: [
            { label: 'Paper jam', next: 'jam' },
            { label: 'Nothing at all', next: 'serial' },
          ],
        },
        { id: 'jam', type: 'action', title: 'Open the tray', text: '<p>Open tray 2 and pull the sheet.</p>', action: { kind: 'resolved' } },
        { id: 'serial', type: 'input', title: 'Serial number', text: '<p>The serial is on the back.</p>', variable: 'serial', next: 'restart' },
        { id: 'restart', type: 'end', title: 'Restart it', text: '<p>Hold the power button for <strong>ten</strong> seconds.</p>' },
      ],
    },
  })
  await owner.call('POST', `/decision-trees/${tree.id}/publish`)
  await owner.call('PATCH', `/chat/inboxes/${inbox.id}/settings`, { widgetTreeId: tree.id })
  await owner.call('PUT', '/chat/me', { status: 'online' })

  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  await page.goto(site.url)
  await page.getByRole('button', { name: 'Chat with us' }).click()
  const dialog = page.getByRole('dialog', { name: 'Chat with us' })
  const guide = dialog.locator('.tree')
  await guide.getByRole('heading', { name: 'Printer help' }).waitFor()
  await guide.getByText('Fix common printer problems yourself.').waitFor()

  // A happy ending first: nothing is opened.
  await guide.getByRole('button', { name: 'Find an answer' }).click()
  await guide.getByRole('heading', { name: 'What happens?' }).waitFor()
  expect(await guide.getByRole('link', { name: 'https://example.com/printers' }).getAttribute('rel')).toBe('noopener noreferrer')
  await guide.getByRole('button', { name: 'Paper jam' }).click()
  await guide.getByText('Open tray 2 and pull the sheet.').waitFor()
  await guide.getByRole('button', { name: 'This solved it' }).click()
  await guide.getByText('Glad that helped!').waitFor()

  // Again, ending unresolved: the chat starts with the path and the answers.
  await guide.getByRole('button', { name: 'Start over' }).click()
  await guide.getByRole('heading', { name: 'What happens?' }).waitFor()
  // A reload mid-run resumes at the same question (the same run: analytics below count two runs, not three).
  await page.reload()
  await page.getByRole('button', { name: 'Chat with us' }).click()
  await guide.getByRole('heading', { name: 'What happens?' }).waitFor()
  expect(await guide.getByRole('button', { name: 'Find an answer' }).count()).toBe(0)
  await guide.getByRole('button', { name: 'Nothing at all' }).click()
  await guide.getByRole('heading', { name: 'Serial number' }).waitFor()
  // So does a navigation to another page of the site, here at the next step.
  await page.goto(`${site.url}/printers`)
  await page.getByRole('button', { name: 'Chat with us' }).click()
  await guide.getByRole('heading', { name: 'Serial number' }).waitFor()
  await guide.getByLabel('Your answer').fill('SN-4711')
  await guide.getByRole('button', { name: 'Continue' }).click()
  await guide.getByText('Hold the power button for ten seconds.').waitFor()
  await guide.getByRole('button', { name: 'I still need help' }).click()
  await guide.getByText('We pass your answers on').waitFor()
  await guide.getByLabel('Name').fill('Petra Printer')
  await guide.getByRole('button', { name: 'Start chat' }).click()
  await dialog.locator('.msg.me').filter({ hasText: 'Path taken:' }).waitFor()
  await guide.waitFor({ state: 'hidden' })
  await dialog.getByRole('textbox', { name: 'Message' }).waitFor()

  // The agent sees the chat ticket with the path taken and the answers.
  let ticketId = 0
  await expect
    .poll(async () => {
      const list = await owner.call<{ items: { id: number; subject: string }[] }>('GET', `/tickets?inbox=${inbox.id}`)
      ticketId = list.items.find((t) => t.subject === 'Printer help: Restart it')?.id ?? 0
      return ticketId
    })
    .toBeGreaterThan(0)
  const agent = await signedInPage(env.browser, env.server.url, 'owner@example.com', 'correct-horse-1')
  await agent.page.goto(`/tickets/${ticketId}`)
  await agent.page.getByText('What happens? — Nothing at all').first().waitFor()
  await agent.page.getByText('serial: SN-4711').first().waitFor()
  const messages = await owner.call<{ items: Message[] }>('GET', `/tickets/${ticketId}/messages`)
  expect(messages.items.find((m) => m.kind === 'customer')?.fullText).toContain('Serial number — SN-4711')

  // The run is counted as a widget run in the tree's analytics.
  const analytics = await owner.call<{ channels: { widget: number }; outcomes: { ticket: number; resolved: number } }>(
    'GET',
    `/decision-trees/${tree.id}/analytics`,
  )
  expect(analytics.channels.widget).toBe(2)
  expect(analytics.outcomes).toMatchObject({ ticket: 1, resolved: 1 })

  // Nobody online: the same ending becomes an offline ticket answered by email.
  await owner.call('PUT', '/chat/me', { status: 'offline' })
  const other = await env.browser.newContext()
  const second = await other.newPage()
  await second.goto(site.url)
  await second.getByRole('button', { name: 'Chat with us' }).click()
  const guide2 = second.getByRole('dialog', { name: 'Chat with us' }).locator('.tree')
  await guide2.getByRole('button', { name: 'Find an answer' }).click()
  await guide2.getByRole('button', { name: 'Nothing at all' }).click()
  await guide2.getByLabel('Your answer').fill('SN-9')
  await guide2.getByRole('button', { name: 'Continue' }).click()
  await guide2.getByRole('button', { name: 'I still need help' }).click()
  await guide2.getByLabel('Name').fill('Otto Offline')
  await guide2.getByLabel('Email').fill('otto@customer.example')
  await guide2.getByRole('button', { name: 'Send message' }).click()
  await guide2.getByRole('status').waitFor()
  // A handed-over run is not resumed: after a reload the guided help starts afresh.
  await second.reload()
  await second.getByRole('button', { name: 'Chat with us' }).click()
  await guide2.getByRole('button', { name: 'Find an answer' }).waitFor()
  await expect
    .poll(async () => {
      const list = await owner.call<{ items: { subject: string; tags: string[] }[] }>('GET', `/tickets?inbox=${inbox.id}&tag=decision-tree`)
      return list.items.length
    })
    .toBe(2)
  await other.close()
  await agent.context.close()
  await context.close()
})
