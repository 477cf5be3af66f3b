import { expect, it } from 'vitest'
import { ApiClient, signedInPage, useServerAndBrowser } from './harness.ts'

const env = useServerAndBrowser()

it('shows a mention live on the bell, opens its ticket from the centre and marks it read', async () => {
  const owner = await ApiClient.setup(env.server.url)
  await owner.createUser({ name: 'Ann Agent', email: 'ann@example.com', password: 'correct-horse-2' })
  const ben = await owner.createUser({ name: 'Ben Agent', email: 'ben@example.com', password: 'correct-horse-3' })
  const ann = await ApiClient.login(env.server.url, 'ann@example.com', 'correct-horse-2')
  const ticket = await owner.createTicket('Invoice shows the wrong VAT', 'My invoice has 19% VAT but I am in Austria.')

  const { context, page } = await signedInPage(env.browser, env.server.url, 'ben@example.com', 'correct-horse-3')
  await page.goto('/notifications')
  await page.getByText('No notifications yet').waitFor()
  const bell = page.getByTestId('notifications-bell')
  await expect.poll(() => bell.getAttribute('aria-label')).toBe('Notifications, 0 unread')

  // Ann mentions Ben in an internal note: Ben's badge and list update without a reload.
  await ann.call('POST', `/tickets/${ticket.id}/notes`, {
    body: `<p><span data-type="mention" data-id="${ben.id}" data-label="Ben Agent">@Ben Agent</span> can you check the VAT rate?</p>`,
  })
  await expect.poll(() => bell.getAttribute('aria-label'), { timeout: 10_000 }).toBe('Notifications, 1 unread')
  const title = `Ann Agent mentioned you on #${ticket.id}: Invoice shows the wrong VAT`
  await page.getByTestId('notifications-list').getByText(title).waitFor()

  // The centre from the bell, by keyboard: the unread notification opens the ticket and is marked read.
  await bell.focus()
  await page.keyboard.press('Enter')
  const panel = page.getByRole('dialog', { name: 'Notifications' })
  await panel.getByRole('button', { name: `Unread: ${title}` }).click()
  await page.waitForURL(`**/tickets/${ticket.id}`)
  await page.getByText('can you check the VAT rate?').first().waitFor()
  await expect.poll(() => bell.getAttribute('aria-label')).toBe('Notifications, 0 unread')
  const ben$ = await ApiClient.login(env.server.url, 'ben@example.com', 'correct-horse-3')
  const list = await ben$.call<{ items: { kind: string; readAt: number | null }[]; unreadCount: number }>('GET', '/notifications')
  expect(list.items[0]).toMatchObject({ kind: 'mention', readAt: expect.any(Number) })
  expect(list.unreadCount).toBe(0)

  // Unread filter on the full page now shows nothing; preferences are one click away.
  await page.goto('/notifications')
  await page.getByRole('group', { name: 'Filters' }).getByText('Unread', { exact: true }).click()
  await page.getByText('Nothing matches these filters.').waitFor()
  await page.getByRole('button', { name: 'Preferences' }).click()
  await page.getByRole('switch', { name: 'Mentions: show in the app' }).waitFor()
  await context.close()
})
