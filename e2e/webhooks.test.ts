import { createHmac } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, expect, it } from 'vitest'
import { ApiClient, signedInPage, useServerAndBrowser } from './harness.ts'

// A receiver on loopback: the server may deliver there because the test allows private addresses.
const received: { headers: http.IncomingHttpHeaders; body: string }[] = []
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
    res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks')
  })
})
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())))
const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/allhands`
const env = useServerAndBrowser({ env: { WEBHOOKS_ALLOW_PRIVATE: '1' } })

/** The check docs/WEBHOOKS.md gives receivers: HMAC-SHA256 of "<id>.<timestamp>.<body>" with the base64-decoded secret. */
const signedWith = (secret: string, r: { headers: http.IncomingHttpHeaders; body: string }) => {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
  const mac = createHmac('sha256', key).update(`${r.headers['webhook-id']}.${r.headers['webhook-timestamp']}.${r.body}`).digest('base64')
  return String(r.headers['webhook-signature']).split(' ').includes(`v1,${mac}`)
}

it('an admin creates a webhook, keeps its secret, sends a test and sees the deliveries in the log', async () => {
  const owner = await ApiClient.setup(env.server.url)
  const { context, page } = await signedInPage(env.browser, env.server.url, 'owner@example.com', 'correct-horse-1')
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])

  await page.goto('/settings/workspace')
  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Webhooks' }).click()
  await page.getByRole('heading', { name: 'Webhooks' }).waitFor()
  await page.getByText('No webhooks yet').waitFor()

  // Create: URL, a description, and a second event ticked besides the default ticket.created.
  await page.getByRole('button', { name: 'New webhook' }).click()
  const dialog = page.getByRole('dialog', { name: 'New webhook' })
  await dialog.getByLabel('URL').fill(hookUrl)
  await dialog.getByLabel('Description').fill('CRM sync')
  await dialog.getByRole('checkbox', { name: 'ticket.created' }).waitFor()
  expect(await dialog.getByRole('checkbox', { name: 'ticket.created' }).isChecked()).toBe(true)
  await dialog.getByRole('checkbox', { name: 'message.created' }).check()
  await dialog.getByRole('button', { name: 'Create webhook' }).click()

  // The secret is shown once, with a copy button.
  const secretDialog = page.getByRole('dialog', { name: 'Webhook created' })
  const secret = (await secretDialog.getByLabel('Signing secret').textContent())!.trim()
  expect(secret).toMatch(/^whsec_/)
  await secretDialog.getByRole('button', { name: 'Copy secret' }).click()
  await secretDialog.getByRole('button', { name: 'Copied' }).waitFor()
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret)
  await secretDialog.getByRole('button', { name: 'I have stored it' }).click()
  await secretDialog.waitFor({ state: 'detached' })
  expect(await page.getByText(secret).count()).toBe(0)

  const table = page.getByRole('table', { name: 'Webhooks' })
  const row = table.locator('tr', { hasText: hookUrl })
  await row.getByText('Enabled').waitFor()
  await row.getByText('message.created').waitFor()
  const log = page.getByRole('region', { name: `Deliveries of ${hookUrl}` })
  await log.getByTestId('webhook-deliveries-empty').waitFor()

  // Send test: a signed ping, logged as delivered with the receiver's answer.
  await row.getByRole('button', { name: `Send a test to ${hookUrl}` }).click()
  const deliveries = log.getByRole('table', { name: 'Webhook deliveries' })
  const ping = deliveries.locator('tr', { hasText: 'ping' })
  await ping.getByText('Delivered').waitFor()
  expect(received).toHaveLength(1)
  expect(signedWith(secret, received[0]!)).toBe(true)
  expect(JSON.parse(received[0]!.body)).toMatchObject({ type: 'ping' })

  // The details open below the row from the keyboard: the headers sent and the answer.
  const pingId = Number(await ping.getAttribute('data-delivery-id'))
  const toggle = ping.getByRole('button', { name: `Details of delivery ${pingId}` })
  await toggle.focus()
  await page.keyboard.press('Enter')
  expect(await toggle.getAttribute('aria-expanded')).toBe('true')
  const details = page.getByRole('region', { name: `Delivery ${pingId}` })
  await details.getByText(`webhook-id: ${received[0]!.headers['webhook-id']}`).waitFor()
  await details.getByLabel('Response body').getByText('thanks').waitFor()

  // A real event: a new ticket reaches the receiver and shows up in the log.
  const ticket = await owner.createTicket('Invoice is wrong', 'I was charged twice.', 'casey@example.com')
  await expect.poll(() => received.filter((r) => r.headers['allhands-event'] === 'ticket.created').length, { timeout: 20_000 }).toBe(1)
  const created = received.find((r) => r.headers['allhands-event'] === 'ticket.created')!
  expect(signedWith(secret, created)).toBe(true)
  expect(JSON.parse(created.body).data.ticket).toMatchObject({ id: ticket.id, subject: 'Invoice is wrong' })
  await log.getByRole('button', { name: 'Refresh deliveries' }).click()
  await deliveries.locator('tr', { hasText: 'ticket.created' }).getByText('Delivered').waitFor({ timeout: 20_000 })
  await context.close()
})
