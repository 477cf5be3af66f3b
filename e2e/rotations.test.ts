import { expect, it } from 'vitest'
import { ApiClient, signedInPage, useServerAndBrowser } from './harness.ts'

const env = useServerAndBrowser()

it('an owner switches on an all-hands window for a contributor, who sees the shift at home and ends it', async () => {
  const owner = await ApiClient.setup(env.server.url)
  await owner.createUser({ name: 'Cora Contributor', email: 'cora@example.com', password: 'cora-password-1', role: 'contributor' })

  const admin = await signedInPage(env.browser, env.server.url, 'owner@example.com', 'correct-horse-1')
  const page = admin.page
  await page.goto('/rotations')
  await page.getByRole('tab', { name: 'Programs' }).click()
  await page.getByText('No rotations yet.').waitFor()
  await page.getByRole('button', { name: 'Start an all-hands window' }).click()
  const dialog = page.getByRole('dialog', { name: 'Start an all-hands window' })
  await dialog.getByRole('textbox', { name: 'Name' }).fill('Winter all-hands')
  await dialog.getByRole('textbox', { name: 'People' }).click()
  await page.getByRole('option', { name: 'Cora Contributor' }).click()
  await dialog.getByRole('button', { name: 'Add snippet' }).click()
  await dialog.getByRole('textbox', { name: 'Snippet 1 title' }).fill('Thanks')
  await dialog.getByRole('textbox', { name: 'Snippet 1 text' }).fill('Thanks for your patience over the holidays.')
  await dialog.getByRole('button', { name: 'Switch on all-hands' }).click()
  const program = page.getByRole('article', { name: 'Winter all-hands' })
  await program.getByText('Replies reviewed').waitFor()
  await program.getByText('1 people, 0 teams · 1 snippets').waitFor()

  // The calendar shows who is on duty today, today highlighted.
  await page.getByRole('tab', { name: 'Calendar' }).click()
  const today = page.locator('[role="gridcell"][aria-current="date"]')
  await today.getByRole('button', { name: /^Cora Contributor/ }).waitFor()

  // The contributor is on shift at once: the home card says until when, and ending it ends their access.
  const cora = await signedInPage(env.browser, env.server.url, 'cora@example.com', 'cora-password-1')
  await cora.page.goto('/home')
  const card = cora.page.getByRole('region', { name: 'Your current shift' })
  await card.getByText('On shift now').waitFor()
  await card.getByText(/Winter all-hands/).waitFor()
  const current = await (await cora.page.request.get('/api/v1/shifts/current')).json()
  expect(current.shift.snippets).toEqual([{ title: 'Thanks', body: 'Thanks for your patience over the holidays.' }])
  await card.getByRole('button', { name: 'End shift' }).click()
  await cora.page.getByRole('region', { name: 'Your next shift' }).getByText('No shifts planned.', { exact: false }).waitFor()
  const me = await (await cora.page.request.get('/api/v1/auth/me')).json()
  expect(me.participation.onShiftUntil).toBeNull()

  // The owner's summary counts the cohort.
  await page.getByRole('tab', { name: 'Programs' }).click()
  await program.getByRole('button', { name: 'Summary' }).click()
  const summary = page.getByRole('dialog', { name: 'Summary: Winter all-hands' })
  await summary.getByText('1 shifts · 1 attended', { exact: false }).waitFor()
})
