import { expect, it } from 'vitest'
import { ApiClient, signedInPage, useServerAndBrowser } from './harness.ts'

const env = useServerAndBrowser()

it('an owner puts a new hire in review, their reply is held, an agent edits and approves it, and it is sent as theirs', async () => {
  const owner = await ApiClient.setup(env.server.url)
  await owner.createUser({ name: 'Alice Agent', email: 'alice@example.com', password: 'alice-password-1' })
  await owner.createUser({ name: 'Nia New', email: 'nia@example.com', password: 'nia-password-1' })
  const ticket = await owner.createTicket('Change my avatar', 'Where do I change my profile picture?')

  // The owner puts Nia in review from the users settings; the change is in the audit log.
  const admin = await signedInPage(env.browser, env.server.url, 'owner@example.com', 'correct-horse-1')
  await admin.page.goto('/settings/users')
  await admin.page.getByRole('textbox', { name: 'Trust level of Nia New' }).click()
  await admin.page.getByRole('option', { name: 'In review' }).click()
  await admin.page.goto('/settings/audit')
  await admin.page.getByText('Trust or clearance changed: Nia New (trustLevel agent → reviewed)').waitFor()

  // Nia's composer says her reply will be reviewed; submitting holds it.
  const nia = await signedInPage(env.browser, env.server.url, 'nia@example.com', 'nia-password-1')
  await nia.page.goto(`/tickets/${ticket.id}`)
  await nia.page.getByText('Your reply will be reviewed before it is sent').waitFor()
  await nia.page.getByTestId('composer-editor').click()
  await nia.page.keyboard.type('Hi! Go to Settings and click Profile.')
  await nia.page.getByRole('button', { name: 'Submit for review' }).click()
  await nia.page.getByText('Held for review').waitFor()
  const held = nia.page.getByRole('region', { name: 'Replies held for review' })
  await held.getByText('Waiting for review').waitFor()
  await held.getByRole('button', { name: 'Withdraw' }).waitFor()

  // Alice sees it in her queue (badge in the navigation), edits it and approves the edited reply.
  const alice = await signedInPage(env.browser, env.server.url, 'alice@example.com', 'alice-password-1')
  await alice.page.goto('/reviews')
  await alice.page.getByTestId('reviews-count').getByText('1').waitFor()
  const detail = alice.page.getByRole('article', { name: `Held reply by Nia New on ticket #${ticket.id}` })
  await detail.getByText('Hi! Go to Settings and click Profile.').waitFor()
  await detail.getByRole('button', { name: 'Edit & approve' }).click()
  const editor = detail.getByRole('textbox', { name: 'Edit the reply before approving' })
  await editor.click()
  await alice.page.keyboard.press('End')
  await alice.page.keyboard.type(' Then upload your new picture.')
  await detail.getByRole('button', { name: 'Approve edited reply' }).click()
  await alice.page.getByText('Reply approved and sent').waitFor()
  await detail.getByTestId('review-diff').getByText('Then upload your new picture.').waitFor()

  // Nia's ticket updates live: the held card is gone and her reply is in the conversation, marked as edited by Alice.
  const conversation = nia.page.getByRole('list', { name: 'Conversation' })
  await conversation.getByText('Hi! Go to Settings and click Profile. Then upload your new picture.').waitFor()
  await conversation.getByTestId('reviewed-by').getByText('Edited by Alice Agent').waitFor()
  await held.waitFor({ state: 'detached' })
  const messages = await owner.call<{ items: { kind: string; author: { name: string } }[] }>('GET', `/tickets/${ticket.id}/messages`)
  expect(messages.items.filter((m) => m.kind === 'reply').map((m) => m.author.name)).toEqual(['Nia New'])

  await admin.context.close()
  await nia.context.close()
  await alice.context.close()
})
