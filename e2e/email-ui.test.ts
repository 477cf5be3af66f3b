import { beforeAll, expect, it } from 'vitest'
import { ApiClient, rawEmail, signedInPage, useServerAndBrowser } from './harness.ts'

const env = useServerAndBrowser()
let owner: ApiClient

beforeAll(async () => {
  owner = await ApiClient.setup(env.server.url)
})

it('creates an email inbox in the UI, receives mail live, trims quotes and logs machine mail', async () => {
  const { context, page } = await signedInPage(env.browser, env.server.url, 'owner@example.com', 'correct-horse-1')

  await page.goto('/settings/inboxes')
  const form = page.getByRole('form', { name: 'New inbox' })
  await form.getByLabel('New inbox name').fill('Support mail')
  await form.getByRole('textbox', { name: 'Type' }).click()
  await page.getByRole('option', { name: 'Email' }).click()
  await form.getByRole('textbox', { name: 'Addresses' }).fill('help@example.com')
  await form.getByRole('button', { name: 'Create inbox' }).click()

  const card = page.getByRole('region', { name: 'Inbox Support mail' })
  await card.getByText('help@example.com', { exact: true }).waitFor()
  await card.getByText('/inbound-email', { exact: false }).first().waitFor()
  await card.getByRole('button', { name: 'Test the mail connections of Support mail' }).click()
  // The e2e server has no SMTP_URL: the test must say so, in red, with the reason.
  const result = card.getByRole('status', { name: 'Connection test result' })
  await result.getByText('SMTP (sending): failed').waitFor({ timeout: 20_000 })
  expect(await result.textContent()).toContain('SMTP_URL')

  const inboxes = await owner.call<{ id: number; name: string; type: string }[]>('GET', '/inboxes')
  const inbox = inboxes.find((i) => i.name === 'Support mail')
  expect(inbox?.type).toBe('email')

  await page.goto('/views/all_open')
  await page.getByRole('heading').first().waitFor()
  const posted = await owner.postRawEmail(
    inbox!.id,
    rawEmail({
      from: 'Dana Customer <dana@customer.example>',
      to: 'help@example.com',
      subject: 'Printer is on fire',
      text: [
        'Thanks, restarting fixed it!',
        '',
        'On Mon, 3 Mar 2025 at 10:00, Example Support <help@example.com> wrote:',
        '> Did you try turning it off and on again?',
        '> Regards, Support',
      ].join('\n'),
    }),
  )
  expect(posted.disposition).toBe('ticket')
  const link = page.getByRole('link', { name: 'Printer is on fire' })
  await link.waitFor({ timeout: 15_000 })
  await link.click()
  await page.waitForURL(`**/tickets/${posted.ticketId}`)

  const message = page.locator('li[data-kind="customer"]').first()
  const text = message.locator('pre.message-text')
  await expect.poll(() => text.textContent()).toContain('Thanks, restarting fixed it!')
  expect(await text.textContent()).not.toContain('turning it off')
  await message.getByRole('button', { name: 'Show quoted text' }).click()
  await expect.poll(() => text.textContent()).toContain('Did you try turning it off and on again?')
  await message.getByRole('button', { name: 'Hide quoted text' }).click()
  await expect.poll(() => text.textContent()).not.toContain('turning it off')
  // The email header line expands to the full From/To.
  await message.getByRole('button', { name: 'Show email details' }).click()
  await message.getByText('Printer is on fire', { exact: true }).waitFor()

  // An out-of-office that matches no ticket is suspended: it stays in the mail log and opens no ticket.
  const ooo = await owner.postRawEmail(
    inbox!.id,
    rawEmail({
      from: 'Max Away <max@customer.example>',
      to: 'help@example.com',
      subject: 'Automatic reply: I am away',
      text: 'I am out of the office until Monday.',
    }).replace('MIME-Version: 1.0', 'Auto-Submitted: auto-replied\r\nX-Autoreply: yes\r\nMIME-Version: 1.0'),
  )
  expect(ooo.disposition).toBe('auto-reply')
  expect(ooo.ticketId).toBeNull()

  await page.goto('/settings/mail')
  const log = page.getByRole('table', { name: 'Inbound mail' })
  await log.getByText('dana@customer.example').waitFor()
  await log.getByText('max@customer.example').waitFor()
  await expect.poll(() => log.locator('tr[data-inbound-email-id]').count()).toBe(2)
  await log.getByRole('link', { name: `Open the ticket of mail ${posted.inboundEmailId}` }).waitFor()
  const raw = await context.request.get(`${env.server.url}/api/v1/inbound-emails/${posted.inboundEmailId}/raw`)
  expect(raw.headers()['content-type']).toContain('message/rfc822')

  await page.locator('label', { hasText: 'Failed' }).click()
  await page.getByTestId('mail-log-empty').getByText('No failed mail').waitFor()
  await page.locator('label', { hasText: 'Suspended' }).click()
  await log.getByText('max@customer.example').waitFor()
  await expect.poll(() => log.locator('tr[data-inbound-email-id]').count()).toBe(1)
  await log.getByText('Automatic reply', { exact: true }).waitFor()
  await context.close()
})
