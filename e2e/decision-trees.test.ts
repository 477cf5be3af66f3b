import { expect, it } from 'vitest'
import { ApiClient, signedInPage, useServerAndBrowser } from './harness.ts'

const env = useServerAndBrowser()

const CARD_TREE = {
  startNodeId: 'start',
  nodes: [
    {
      id: 'start',
      type: 'question',
      title: 'What happened to your card?',
      text: '<p>Tell us what is going on.</p>',
      variable: 'problem',
      choices: [
        { label: 'It was declined', next: 'limits' },
        { label: 'It is lost', next: 'email' },
      ],
    },
    { id: 'limits', type: 'end', title: 'Daily limits', text: '<p>Raise the limit in the app.</p>' },
    { id: 'email', type: 'input', title: 'Your email', text: '<p>Where can we reach you?</p>', inputKind: 'email', variable: 'email', next: 'replace' },
    {
      id: 'replace',
      type: 'action',
      title: 'Replacement card',
      text: '<p>We will write to {{email}}.</p>',
      action: { kind: 'open_ticket', subject: 'Lost card' },
    },
  ],
}

const SCRIPT = {
  startNodeId: 'start',
  nodes: [
    {
      id: 'start',
      type: 'question',
      title: 'Sender verified?',
      text: '<p>Does the sender match the account?</p>',
      choices: [
        { label: 'Yes, matches', next: 'ok' },
        { label: 'No', next: 'stop' },
      ],
    },
    { id: 'ok', type: 'action', title: 'Verified', text: '<p>Go ahead.</p>', action: { kind: 'resolved' } },
    { id: 'stop', type: 'end', title: 'Not verified', text: '<p>Stop here.</p>' },
  ],
}

it('publishes a tree in the editor; a customer finds no article, runs the tree on the help center and a ticket with the path appears; an agent runs a script on a ticket', async () => {
  const owner = await ApiClient.setup(env.server.url)
  const { context, page } = await signedInPage(env.browser, env.server.url, 'owner@example.com', 'correct-horse-1')

  // Settings → Decision trees: create a tree, which opens the editor; its nodes come from the API, publishing from the UI.
  await page.goto('/settings/decision-trees')
  await page.getByText('No decision trees yet').waitFor()
  await page.getByLabel('New tree').fill('Card help')
  await page.getByRole('button', { name: 'Create' }).click()
  await page.getByRole('heading', { name: 'Card help' }).waitFor()
  const tree = (await owner.call<{ items: { id: number; slug: string }[] }>('GET', '/decision-trees')).items[0]!
  await owner.call('PATCH', `/decision-trees/${tree.id}`, { draft: CARD_TREE, audience: 'public', description: 'Declined or lost cards' })
  await page.reload()
  await page.getByRole('region', { name: 'Node What happened to your card?' }).waitFor()
  await page.getByRole('button', { name: 'Publish' }).click()
  await page.getByText('Published v1').waitFor()
  // The test pane runs the draft without counting it.
  await page.getByRole('tab', { name: 'Test' }).click()
  await page.getByRole('button', { name: 'Start test run' }).click()
  await page.getByRole('heading', { name: 'What happened to your card?' }).waitFor()
  await page.getByRole('button', { name: 'It was declined' }).click()
  await page.getByRole('heading', { name: 'Daily limits' }).waitFor()
  await page.getByRole('button', { name: 'Resolved', exact: true }).click()
  await page.getByText('Finished').waitFor()

  // A customer (no sign-in) on the help center.
  const customer = await env.browser.newContext({ baseURL: env.server.url })
  const visitor = await customer.newPage()
  const scriptErrors: string[] = []
  visitor.on('pageerror', (e) => scriptErrors.push(e.message))
  // They search the help center first, find nothing, and follow its pointer to guided help.
  await visitor.goto('/help')
  await visitor.getByLabel('Search the help center').fill('card swallowed by machine')
  await visitor.keyboard.press('Enter')
  await visitor.getByText('0 articles for “card swallowed by machine”').waitFor()
  await visitor.getByRole('main').getByRole('link', { name: 'guided help' }).click()
  await visitor.getByRole('link', { name: 'Card help' }).click()
  await visitor.getByRole('button', { name: 'Start' }).click()
  await visitor.getByRole('heading', { name: 'What happened to your card?' }).waitFor()
  await visitor.getByRole('button', { name: 'It is lost' }).click()
  await visitor.getByRole('heading', { name: 'Your email' }).waitFor()
  await visitor.getByLabel('Your answer').fill('lee@customer.test')
  await visitor.getByRole('button', { name: 'Continue' }).click()
  await visitor.getByText('We will write to lee@customer.test.').waitFor()
  await visitor.getByRole('button', { name: 'Contact support' }).click()
  const status = visitor.getByRole('status').filter({ hasText: 'We opened request' })
  await status.waitFor()
  const ticketId = Number((await status.textContent())!.match(/#(\d+)/)![1])
  expect(scriptErrors).toEqual([])
  await customer.close()

  const messages = await owner.call<{ items: { kind: string; fullText: string }[] }>('GET', `/tickets/${ticketId}/messages`)
  expect(messages.items[0]!.fullText).toContain('1. What happened to your card? — It is lost')
  expect(messages.items[0]!.fullText).toContain('2. Your email — lee@customer.test')
  const ticket = await owner.call<{ subject: string; tags: string[]; requester: { email: string } }>('GET', `/tickets/${ticketId}`)
  expect(ticket).toMatchObject({ subject: 'Lost card', requester: { email: 'lee@customer.test' } })
  expect(ticket.tags).toContain('decision-tree')

  // Analytics count the customer's run (not the test run) and where it led.
  await page.getByRole('tab', { name: 'Analytics' }).click()
  const runs = page.getByText('Runs', { exact: true }).locator('..')
  await runs.getByText('1', { exact: true }).waitFor()
  await page.getByRole('cell', { name: 'Replacement card' }).waitFor()

  // An agent script, run from the ticket's scripts panel: the answers become an internal note.
  await owner
    .call('POST', '/decision-trees', { name: 'Verify sender', audience: 'agents', draft: SCRIPT })
    .then((t) => owner.call('POST', `/decision-trees/${(t as { id: number }).id}/publish`))
  await page.goto(`/tickets/${ticketId}/scripts`)
  await page.getByRole('textbox', { name: 'Script' }).click()
  await page.getByRole('option', { name: 'Verify sender' }).click()
  await page.getByRole('button', { name: 'Run script' }).click()
  await page.getByRole('heading', { name: 'Sender verified?' }).waitFor()
  await page.getByRole('button', { name: 'Yes, matches' }).click()
  await page.getByRole('heading', { name: 'Verified' }).waitFor()
  await page.getByRole('button', { name: 'Done' }).click()
  await page.getByText('The answers were added to the ticket as an internal note.').waitFor()
  await expect
    .poll(
      async () =>
        (await owner.call<{ items: { kind: string; fullText: string }[] }>('GET', `/tickets/${ticketId}/messages`)).items.find((m) => m.kind === 'note')
          ?.fullText,
    )
    .toMatch(/Script “Verify sender”: resolved[\s\S]*Sender verified\? — Yes, matches/)
  await page.goto(`/tickets/${ticketId}`)
  await page.getByText('Script “Verify sender”').first().waitFor()
  await context.close()
})
