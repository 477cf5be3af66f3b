import { beforeAll, expect, it } from 'vitest'
import { ApiClient, signedInPage, useServerAndBrowser } from './harness.ts'

const env = useServerAndBrowser()
let owner: ApiClient

beforeAll(async () => {
  owner = await ApiClient.setup(env.server.url)
  for (const subject of ['First question', 'Second question', 'Third question', 'Fourth question']) await owner.createTicket(subject)
})

it('moves through the list with j/k, opens with enter and lists shortcuts with ?', async () => {
  const { context, page } = await signedInPage(env.browser, env.server.url, 'owner@example.com', 'correct-horse-1')
  await page.goto('/views/all_open')
  const rows = page.locator('tr[data-ticket-id]')
  await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(4)
  const ids = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-ticket-id')))

  await page.keyboard.press('j')
  await page.keyboard.press('j')
  await page.keyboard.press('k')
  await page.locator(`tr[data-ticket-id="${ids[1]}"][data-active="true"]`).waitFor()
  await page.keyboard.press('Enter')
  await page.waitForURL(`**/tickets/${ids[1]}`)

  await page.keyboard.press('?')
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
  await dialog.getByText('Go to inbox').waitFor()
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'detached' })
  await context.close()
})

it('shows a ticket created through the API in an open inbox without reload', async () => {
  const { context, page } = await signedInPage(env.browser, env.server.url, 'owner@example.com', 'correct-horse-1')
  await page.goto('/views/all_open')
  await page.getByRole('link', { name: 'First question' }).waitFor()
  const countBadge = page.getByTestId('view-count-all_open')
  await expect.poll(() => countBadge.textContent(), { timeout: 15_000 }).toBe('4')

  await owner.createTicket('Live from the API', 'Created while the inbox is open.', 'live@example.com')
  await page.getByRole('link', { name: 'Live from the API' }).waitFor()
  await expect.poll(() => countBadge.textContent(), { timeout: 15_000 }).toBe('5')
  await context.close()
})
