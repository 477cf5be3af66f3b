import { expect, it } from 'vitest'
import { ApiClient, signedInPage, useServerAndBrowser } from './harness.ts'

const env = useServerAndBrowser()

it('lets a lead ride along with an agent: live ticket, draft and sent reply, side chat, and the agent ends it', async () => {
  const owner = await ApiClient.setup(env.server.url)
  await owner.createUser({ name: 'Alice Agent', email: 'alice@example.com', password: 'alice-password-1' })
  const ticket = await owner.createTicket('Parcel never arrived', 'Where is my parcel?')

  const alice = await signedInPage(env.browser, env.server.url, 'alice@example.com', 'alice-password-1')
  const lead = await signedInPage(env.browser, env.server.url, 'owner@example.com', 'correct-horse-1')
  await alice.page.goto(`/tickets/${ticket.id}`)
  await alice.page.getByText('Where is my parcel?').waitFor()

  // The lead picks Alice and lands on the live view; Alice sees who rides along, live.
  await lead.page.goto('/ride-along')
  await lead.page.getByRole('button', { name: 'Ride along with Alice Agent' }).click()
  await lead.page.getByRole('heading', { name: 'Riding along with Alice Agent' }).waitFor()
  const banner = alice.page.getByTestId('ride-along-banner')
  await banner.getByText('Olivia Owner').waitFor()

  // Where she is, what she types, what she sends.
  const activity = lead.page.getByTestId('ride-along-activity')
  await activity.getByRole('link', { name: `#${ticket.id} Parcel never arrived` }).waitFor()
  await alice.page.getByTestId('composer-editor').click()
  await alice.page.keyboard.type('I am checking with the carrier right now.')
  await lead.page.getByTestId('ride-along-draft').frameLocator('iframe').getByText('I am checking with the carrier right now.').waitFor()
  await alice.page.getByRole('button', { name: 'Send', exact: true }).click()
  await lead.page.getByTestId('ride-along-sent').frameLocator('iframe').getByText('I am checking with the carrier right now.').waitFor()

  // Side chat both ways: Enter sends.
  const leadInput = lead.page.getByTestId('side-chat-input')
  await leadInput.fill('Why the carrier first?')
  await leadInput.press('Enter')
  await banner.getByRole('button', { name: 'Side chat with Olivia Owner' }).click()
  const drawer = alice.page.getByRole('dialog', { name: 'Side chat with Olivia Owner' })
  await drawer.getByText('Why the carrier first?').waitFor()
  const aliceInput = drawer.getByTestId('side-chat-input')
  await aliceInput.fill('They answer fastest.')
  await aliceInput.press('Enter')
  await lead.page.getByTestId('side-chat-log').getByText('They answer fastest.').waitFor()
  await alice.page.keyboard.press('Escape')
  await drawer.waitFor({ state: 'hidden' })

  // Alice ends it: her banner goes, the lead's view says so.
  await banner.getByRole('button', { name: 'End ride-along with Olivia Owner' }).click()
  await banner.waitFor({ state: 'detached' })
  await lead.page.getByText('Ended', { exact: true }).waitFor()
  await lead.page.getByText('This ride-along has ended; the side chat is read-only.').waitFor()

  const audit = await owner.call<{ items: { action: string }[] }>('GET', '/audit-log?targetType=ride_along')
  expect(audit.items.map((a) => a.action).sort()).toEqual(['ride_along.ended', 'ride_along.started'])

  await alice.context.close()
  await lead.context.close()
})
