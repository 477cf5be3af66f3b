import { expect, it } from 'vitest'
import { ApiClient, signedInPage, useServerAndBrowser } from './harness.ts'

const env = useServerAndBrowser()

it('creates a macro in Settings, applies it with / in the composer and from the command palette', async () => {
  const owner = await ApiClient.setup(env.server.url)
  const ticket = await owner.createTicket('Where is my refund?', 'I returned the shoes two weeks ago.', 'casey@example.com')
  const { context, page } = await signedInPage(env.browser, env.server.url, 'owner@example.com', 'correct-horse-1')

  // Settings → Macros: empty at first, then a macro with a placeholder and a status action, made through the UI.
  await page.goto('/settings/macros')
  await page.getByText('No macros yet').waitFor()
  await page.getByRole('button', { name: 'New macro' }).click()
  const dialog = page.getByRole('dialog', { name: 'New macro' })
  await dialog.getByLabel('Name').fill('Refund issued')
  await dialog.getByTestId('macro-body-editor').click()
  await page.keyboard.type('Hi ')
  await dialog.getByRole('button', { name: 'Insert placeholder' }).click()
  await page.getByRole('menuitem', { name: /Requester's first name/ }).click()
  await page.keyboard.type(', your refund is on its way.')
  await dialog.getByRole('textbox', { name: 'Set status' }).click()
  await page.getByRole('option', { name: 'Pending', exact: true }).click()
  await dialog.getByRole('button', { name: 'Create macro' }).click()
  await dialog.waitFor({ state: 'detached' })
  const table = page.getByRole('table', { name: 'Macros' })
  await table.getByText('Refund issued').waitFor()
  await table.getByText('Status: Pending').waitFor()

  // A second one, made through the API, for the command palette.
  await owner.call('POST', '/macros', { name: 'Escalate to billing', body: 'Escalating this, {{agent.firstName}} here.', actions: { addTags: ['escalated'] } })

  // In the ticket: "/" plus part of the name opens the picker; Enter inserts the rendered text and applies the action.
  await page.goto(`/tickets/${ticket.id}`)
  await page.getByTestId('ticket-status-badge').getByText('New').waitFor()
  const editor = page.getByTestId('composer-editor')
  await editor.click()
  const picker = page.getByRole('listbox', { name: 'Macros' })
  await page.keyboard.type('/zzz')
  await picker.getByText('No macro matches “zzz”').waitFor()
  await page.keyboard.press('Escape')
  await picker.waitFor({ state: 'detached' })
  await page.keyboard.press('Control+a')
  await page.keyboard.press('Backspace')
  await page.keyboard.type('/refu')
  await picker.getByRole('option', { name: 'Refund issued' }).waitFor()
  expect(await picker.getByRole('option').count()).toBe(1)
  await page.keyboard.press('Enter')
  await editor.getByText('Hi Casey, your refund is on its way.').waitFor()
  expect(await editor.textContent()).not.toContain('/refu')
  await page.getByTestId('ticket-status-badge').getByText('Pending').waitFor()
  await picker.waitFor({ state: 'detached' })

  // The command palette offers the open ticket's macros.
  await editor.blur()
  await page.keyboard.press('Control+k')
  await page.getByLabel('Command palette search').fill('escalate')
  await page.getByRole('button', { name: /Apply macro: Escalate to billing/ }).click()
  await editor.getByText('Escalating this, Olivia here.').waitFor()
  await expect.poll(async () => (await owner.call<{ tags: string[] }>('GET', `/tickets/${ticket.id}`)).tags).toContain('escalated')

  // Usage counts, kept by the server and shown in Settings, where a macro can also be deleted (after a confirmation).
  const macros = await owner.call<{ items: { name: string; usageCount: number }[] }>('GET', '/macros')
  expect(macros.items.map((m) => [m.name, m.usageCount])).toEqual([
    ['Escalate to billing', 1],
    ['Refund issued', 1],
  ])
  await page.goto('/settings/macros')
  await table.getByRole('cell', { name: 'Used 1 times' }).first().waitFor()
  await table.getByRole('button', { name: 'Delete macro Escalate to billing' }).click()
  const confirm = page.getByRole('dialog', { name: 'Delete macro?' })
  await confirm.getByRole('button', { name: 'Delete' }).click()
  await table.getByText('Escalate to billing').waitFor({ state: 'detached' })
  await table.getByText('Refund issued').waitFor()
  await context.close()
})
