import { expect, it } from 'vitest'
import { signedInPage, useServerAndBrowser } from './harness.ts'

const env = useServerAndBrowser()

it('sets up the workspace, creates and answers a ticket, mentions a colleague and solves it', async () => {
  const context = await env.browser.newContext({ baseURL: env.server.url, viewport: { width: 1400, height: 900 } })
  const page = await context.newPage()

  await page.goto('/')
  await page.waitForURL('**/setup')
  await page.getByLabel('Workspace name').fill('E2E Support')
  await page.getByLabel('Your name').fill('Olivia Owner')
  await page.getByLabel('Email').fill('owner@example.com')
  await page.getByLabel('Password').fill('correct-horse-1')
  await page.getByRole('button', { name: 'Create workspace' }).click()
  await page.waitForURL('**/views/all_open')
  await page.getByRole('heading', { name: 'All open' }).waitFor()

  // The colleague to mention, created with the owner's browser session.
  const created = await context.request.post('/api/v1/users', {
    data: { name: 'Sam Second', email: 'sam@example.com', password: 'sam-password-1', role: 'agent' },
  })
  expect(created.status()).toBe(201)

  // Sam is signed in elsewhere and should see the mention arrive live.
  const sam = await signedInPage(env.browser, env.server.url, 'sam@example.com', 'sam-password-1')
  await sam.page.goto('/')
  await sam.page.getByRole('button', { name: 'Notifications, 0 unread' }).waitFor()

  await page.getByRole('button', { name: 'New ticket' }).click()
  const dialog = page.getByRole('dialog', { name: 'New ticket' })
  await dialog.getByLabel('Subject').fill('Cannot reset my password')
  await dialog.getByLabel('Requester email').fill('casey@example.com')
  await dialog.getByLabel('Requester name').fill('Casey Customer')
  await dialog.getByLabel('Message').fill('The reset link says it expired.')
  await dialog.getByRole('button', { name: 'Create ticket' }).click()
  await page.waitForURL(/\/tickets\/\d+$/)
  const ticketUrl = page.url()

  await page.goto('/views/all_open')
  await page.getByRole('link', { name: 'Cannot reset my password' }).click()
  await page.waitForURL(ticketUrl)
  await page.locator('[data-kind="customer"]').getByText('The reset link says it expired.').waitFor()

  const editor = page.getByTestId('composer-editor')
  await editor.click()
  await page.keyboard.type('Sorry about that, here is a fresh link.')
  await page.getByRole('button', { name: 'Send', exact: true }).click()
  await page.locator('[data-kind="reply"]').getByText('Sorry about that, here is a fresh link.').waitFor()

  await page.getByRole('tab', { name: 'Internal note' }).click()
  await editor.click()
  await page.keyboard.type('Looping in @Sa')
  await page.getByRole('option', { name: 'Sam Second' }).click()
  await page.keyboard.type('can you double-check the token expiry?')
  await page.getByRole('button', { name: 'Add note' }).click()
  const note = page.locator('[data-kind="note"]')
  await note.getByText('Internal note', { exact: true }).waitFor()
  await note.getByText('can you double-check the token expiry?').waitFor()

  await editor.blur()
  await page.keyboard.press('e')
  await page.getByTestId('ticket-status-badge').getByText('Solved').waitFor()

  await sam.page.getByRole('button', { name: 'Notifications, 1 unread' }).waitFor()
  await sam.page.getByRole('button', { name: 'Notifications, 1 unread' }).click()
  await sam.page.getByText(/Olivia Owner mentioned you on #\d+: Cannot reset my password/).waitFor()

  await sam.context.close()
  await context.close()
})
