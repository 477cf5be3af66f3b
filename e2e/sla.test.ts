import { expect, it } from 'vitest'
import { ApiClient, signedInPage, useServerAndBrowser } from './harness.ts'

// The test clock route exists only with ALLHANDS_TEST_CLOCK=1: it moves the server's clock and runs the SLA scan.
const env = useServerAndBrowser({ env: { ALLHANDS_TEST_CLOCK: '1' } })
const MIN = 60_000

it('counts an SLA timer down on the ticket and turns it to warning, then breached, as the server clock moves', async () => {
  const owner = await ApiClient.setup(env.server.url)
  const { context, page } = await signedInPage(env.browser, env.server.url, 'owner@example.com', 'correct-horse-1')

  // Settings → SLA policies: a one-hour first response target for normal tickets, made through the UI.
  await page.goto('/settings/sla')
  await page.getByText('No SLA policies yet').waitFor()
  await page.getByRole('button', { name: 'New policy' }).click()
  const dialog = page.getByRole('dialog', { name: 'New SLA policy' })
  await dialog.getByLabel('Name').fill('Standard support')
  await dialog.getByLabel('Normal first response minutes').fill('60')
  await dialog.getByRole('button', { name: 'Create policy' }).click()
  await dialog.waitFor({ state: 'detached' })
  const policies = page.getByRole('table', { name: 'SLA policies' })
  await policies.getByText('Standard support').waitFor()
  await policies.getByText('1h / — / —').waitFor()

  // A new ticket: its first response clock counts down on the ticket page.
  const ticket = await owner.createTicket('My parcel never arrived', 'Order 1182 is two weeks late.')
  await page.goto(`/tickets/${ticket.id}`)
  const clock = page.locator('[data-sla-metric="first_response"]')
  await clock.and(page.locator('[data-sla-state="running"]')).waitFor()
  const first = await clock.textContent()
  expect(first).toMatch(/First response\s*(59m|1h 00m)/)
  await expect.poll(() => clock.textContent(), { timeout: 5000, interval: 250 }).not.toBe(first)

  // 50 minutes later on the server (80 % of the target passed): the scan warns, and the ticket turns amber live.
  const moved = await owner.call<{ now: number }>('POST', '/test/clock', { advanceMs: 50 * MIN })
  expect(moved.now).toBeGreaterThan(Date.now() + 49 * MIN)
  await clock.and(page.locator('[data-sla-state="warning"]')).waitFor()
  await expect.poll(() => clock.textContent()).toMatch(/First response\s*(9|10)m \d\ds left/)

  // Past the due time: breached, live, without a reload.
  await owner.call('POST', '/test/clock', { advanceMs: 15 * MIN })
  await clock.and(page.locator('[data-sla-state="breached"]')).waitFor()
  await expect.poll(() => clock.textContent()).toMatch(/Breached \d+m \d\ds ago/)
  // The conversation gets a line for it, live too.
  await page.getByRole('list', { name: 'Conversation' }).getByText('First response target breached').waitFor()
  const breached = await owner.call<{ sla: { timers: { metric: string; state: string }[] } }>('GET', `/tickets/${ticket.id}`)
  expect(breached.sla.timers.find((t) => t.metric === 'first_response')?.state).toBe('breached')

  // The "Breaches next" list shows it first, with its SLA state.
  await page.goto('/breaches-next')
  const rows = page.getByRole('table', { name: 'Tickets' }).locator('tbody tr')
  await rows.first().getByText('My parcel never arrived').waitFor()
  await rows
    .first()
    .getByText(/Breached/)
    .waitFor()

  // Only the owner may move the clock.
  await owner.call('POST', '/users', { name: 'Ann Admin', email: 'ann@example.com', password: 'correct-horse-2', role: 'admin' })
  const admin = await ApiClient.login(env.server.url, 'ann@example.com', 'correct-horse-2')
  await expect(admin.call('POST', '/test/clock', { advanceMs: 1 })).rejects.toThrow(/403/)
  await context.close()
})
