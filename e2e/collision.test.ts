import { it } from 'vitest'
import { ApiClient, signedInPage, useServerAndBrowser } from './harness.ts'

const env = useServerAndBrowser()

it('shows presence and typing, and refuses a stale draft until the agent has seen the new message', async () => {
  const owner = await ApiClient.setup(env.server.url)
  await owner.createUser({ name: 'Bob Builder', email: 'bob@example.com', password: 'bob-password-1' })
  const ticket = await owner.createTicket('Card declined abroad', 'My card does not work in Lisbon.')

  const a = await signedInPage(env.browser, env.server.url, 'owner@example.com', 'correct-horse-1')
  const b = await signedInPage(env.browser, env.server.url, 'bob@example.com', 'bob-password-1')
  await a.page.goto(`/tickets/${ticket.id}`)
  await b.page.goto(`/tickets/${ticket.id}`)
  await a.page.getByText('My card does not work in Lisbon.').waitFor()
  await b.page.getByText('My card does not work in Lisbon.').waitFor()

  await a.page.getByTestId('presence').getByLabel('Bob Builder is viewing').waitFor()
  await b.page.getByTestId('presence').getByLabel('Olivia Owner is viewing').waitFor()

  // B drafts a reply while A answers first.
  await b.page.getByTestId('composer-editor').click()
  await b.page.keyboard.type('Let me check the card settings for you.')
  await a.page.getByText('Bob Builder is typing…').waitFor()

  await a.page.getByTestId('composer-editor').click()
  await a.page.keyboard.type('Your card is now enabled for travel.')
  await a.page.getByRole('button', { name: 'Send', exact: true }).click()
  await a.page.locator('[data-kind="reply"]').getByText('Your card is now enabled for travel.').waitFor()

  await b.page.getByRole('button', { name: 'Send', exact: true }).click()
  await b.page.getByRole('alert').getByText('New messages arrived while you were writing — review them, then send again.').waitFor()
  await b.page.locator('[data-kind="reply"]').getByText('Your card is now enabled for travel.').waitFor()
  await b.page.getByTestId('composer-editor').getByText('Let me check the card settings for you.').waitFor()

  await b.page.getByRole('button', { name: 'Send', exact: true }).click()
  await b.page.locator('[data-kind="reply"]').getByText('Let me check the card settings for you.').waitFor()
  await b.page.getByRole('alert').filter({ hasText: 'New messages arrived' }).waitFor({ state: 'detached' })
  await a.page.locator('[data-kind="reply"]').getByText('Let me check the card settings for you.').waitFor()

  await a.context.close()
  await b.context.close()
})
