import { expect, it } from 'vitest'
import { ApiClient, signedInPage, useServerAndBrowser } from './harness.ts'

const env = useServerAndBrowser()

type Ticket = { id: number; tags: string[] }

it('an admin builds a rule from condition and action rows, dry-runs it, saves it and sees it fire live', async () => {
  const owner = await ApiClient.setup(env.server.url)
  const newTicket = (subject: string) =>
    owner.call<Ticket>('POST', '/tickets', { subject, body: 'Hello, I need help.', requester: { email: 'casey@customer.test', name: 'Casey Customer' } })
  const earlier = await newTicket('Refund for order 42')
  await newTicket('Where is my parcel?')
  const { page } = await signedInPage(env.browser, env.server.url, 'owner@example.com', 'correct-horse-1')

  await page.goto('/settings/workspace')
  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Automations' }).click()
  await page.getByRole('heading', { name: 'Automations' }).waitFor()
  await page.getByText('No automations yet').waitFor()

  await page.getByRole('button', { name: 'New automation' }).click()
  const dialog = page.getByRole('dialog', { name: 'New automation' })
  await dialog.getByLabel('Name').fill('Refunds')
  // A condition row: subject (the default field) contains "refund".
  await dialog.getByRole('button', { name: 'Add condition' }).click()
  await dialog.getByRole('textbox', { name: 'Condition 1 operator' }).click()
  await page.getByRole('option', { name: 'contains', exact: true }).click()
  await dialog.getByRole('textbox', { name: 'Condition 1 value' }).fill('refund')
  // An action row: add the tag "refund" (add tags is the default type).
  await dialog.getByRole('button', { name: 'Add action' }).click()
  const tags = dialog.getByRole('textbox', { name: 'Action 1 tags' })
  await tags.fill('refund')
  await tags.press('Enter')

  // Dry run: the earlier refund ticket would match; nothing changes.
  await dialog.getByRole('button', { name: 'Dry run' }).click()
  await dialog
    .getByRole('status')
    .getByText(/^1 of the 2 most recently updated tickets would match/)
    .waitFor()
  const matches = dialog.getByRole('table', { name: 'Tickets the rule would match' })
  await matches.getByText(`#${earlier.id} Refund for order 42`).waitFor()
  await matches.getByText('Add tags refund').waitFor()
  expect((await owner.call<Ticket>('GET', `/tickets/${earlier.id}`)).tags).toEqual([])

  await dialog.getByRole('button', { name: 'Create' }).click()
  await dialog.waitFor({ state: 'detached' })
  const row = page.getByRole('table', { name: 'Automations' }).locator('tr', { hasText: 'Refunds' })
  await row.getByText('Ticket created').waitFor()
  await row.getByText('0 times').waitFor()

  // A new refund ticket is tagged by the worker a moment later, and the run count updates without a reload.
  const fresh = await newTicket('Please refund my last invoice')
  await row.getByText(/^1 time/).waitFor({ timeout: 15_000 })
  expect((await owner.call<Ticket>('GET', `/tickets/${fresh.id}`)).tags).toEqual(['refund'])

  // Switched off from the list, it stays off.
  await row.getByRole('switch', { name: 'Enable Refunds' }).click({ force: true })
  await expect.poll(async () => (await owner.call<{ items: { enabled: boolean }[] }>('GET', '/automations')).items[0]!.enabled).toBe(false)
})
