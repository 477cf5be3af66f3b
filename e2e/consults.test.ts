import { expect, it } from 'vitest'
import { ApiClient, signedInPage, useServerAndBrowser } from './harness.ts'

const env = useServerAndBrowser()

it('an agent asks Engineering from a ticket, a contributor answers live, and the agent quotes the answer into the reply', async () => {
  const owner = await ApiClient.setup(env.server.url)
  await owner.createUser({ name: 'Alice Agent', email: 'alice@example.com', password: 'alice-password-1' })
  const erin = await owner.createUser({ name: 'Erin Engineer', email: 'erin@example.com', password: 'erin-password-1', role: 'contributor' })
  const team = await owner.call<{ id: number }>('POST', '/teams', { name: 'Engineering' })
  await owner.call('PUT', `/teams/${team.id}/members`, { userIds: [erin.id] })
  const ticket = await owner.createTicket('Export to CSV crashes', 'The export button crashes the app.')

  // Erin waits on her consults page; the question arrives live.
  const expert = await signedInPage(env.browser, env.server.url, 'erin@example.com', 'erin-password-1')
  await expert.page.goto('/consults')
  await expert.page.getByRole('tab', { name: "My team's" }).click()
  await expert.page.getByText('Nothing waits for your teams').waitFor()

  const agent = await signedInPage(env.browser, env.server.url, 'alice@example.com', 'alice-password-1')
  await agent.page.goto(`/tickets/${ticket.id}`)
  await agent.page.getByText('The export button crashes the app.').waitFor()
  await agent.page.getByRole('button', { name: 'Ask an expert' }).click()
  const dialog = agent.page.getByRole('dialog', { name: 'Ask an expert' })
  await dialog.getByRole('textbox', { name: 'Team' }).click()
  await agent.page.getByRole('option', { name: 'Engineering' }).click()
  await dialog.getByRole('textbox', { name: 'Question' }).fill('Is the CSV export crash a known bug?')
  await dialog.getByRole('button', { name: 'Ask', exact: true }).click()
  await dialog.waitFor({ state: 'hidden' })
  const panel = agent.page.getByRole('region', { name: 'Expert consults' })
  await panel.getByText('No answer yet.').waitFor()

  // Erin opens it from the live list: she sees the question and ticket subject, not the conversation.
  await expert.page.getByText('Is the CSV export crash a known bug?').click()
  await expert.page.getByRole('heading', { name: `About ticket #${ticket.id}: Export to CSV crashes` }).waitFor()
  await expert.page.getByText('the customer conversation stays with the support team').waitFor()
  expect(await expert.page.getByText('The export button crashes the app.').count()).toBe(0)
  await expert.page.getByRole('textbox', { name: 'Your answer' }).fill('Yes, fixed in 4.2.1. Clearing the cache works around it.')
  await expert.page.getByRole('button', { name: 'Send answer' }).click()
  await expert.page.getByText('answered', { exact: true }).first().waitFor()

  // The answer shows up in Alice's panel without a reload; one click quotes it into the reply.
  await panel.getByText('Yes, fixed in 4.2.1. Clearing the cache works around it.').waitFor()
  await panel.getByRole('button', { name: 'Quote in reply' }).click()
  const composer = agent.page.getByTestId('composer-editor')
  await composer.locator('blockquote').getByText('Yes, fixed in 4.2.1.').waitFor()
  await composer.getByText('— Erin Engineer, Engineering').waitFor()

  await expert.context.close()
  await agent.context.close()
})
