import { expect, it } from 'vitest'
import { ApiClient, signedInPage, startSmtpSink, useServerAndBrowser } from './harness.ts'

const smtp = await startSmtpSink()
const env = useServerAndBrowser({ env: { SMTP_URL: smtp.url } })

it('a member edits their answer; a search with a typo finds the topic, on the public pages and in the desk; the ? dialog lists the desk shortcuts', async () => {
  const owner = await ApiClient.setup(env.server.url)
  await owner.call('POST', '/community/categories', { name: 'Billing', description: 'Invoices and payments' })
  const { context: staffContext, page: staff } = await signedInPage(env.browser, env.server.url, 'owner@example.com', 'correct-horse-1')

  // Staff ask on the public page (their posts need no review).
  await staff.goto('/community/ask')
  await staff.getByLabel('Title').fill('Where do I find my invoices?')
  await staff.getByLabel('Details').fill('Asking for the customers who write to us about this every month.')
  await staff.getByRole('button', { name: 'Post your question' }).click()
  await staff.getByText('Your question is published.').waitFor()
  const topicUrl = new URL(staff.url()).pathname

  // A customer signs in by magic link and answers; her first post waits for a moderator.
  const customerContext = await env.browser.newContext({ baseURL: env.server.url })
  const customer = await customerContext.newPage()
  await customer.goto('/community/login')
  await customer.getByLabel('Email address').fill('dana@customer.example')
  await customer.getByRole('button', { name: 'Email me a sign-in link' }).click()
  const link = /https?:\/\/\S+\/community\/login\/cml_[\w-]+/.exec(
    (await smtp.waitForTo('dana@customer.example', /community\/login\//, 20_000)).parsed.text ?? '',
  )![0]
  await customer.goto(new URL(link).pathname)
  await customer.getByRole('button', { name: 'Sign in' }).click()
  await customer.getByText('You are signed in.').waitFor()
  await customer.goto(topicUrl)
  await customer.getByLabel('Your answer').fill('Billing › Invoices, one PDF per month.')
  await customer.getByRole('button', { name: 'Post your answer' }).click()
  await customer.getByText('waiting for a moderator', { exact: false }).first().waitFor()
  const queue = await owner.call<{ items: { post: { id: number } }[] }>('GET', '/community/moderation')
  await owner.call('POST', `/community/posts/${queue.items[0]!.post.id}/approve`)

  // She edits her answer: the same form rules, and the page marks it edited.
  await customer.goto(topicUrl)
  await customer.getByRole('link', { name: /^Edit your answer/ }).click()
  await customer.getByLabel('Your answer').fill('Billing › Invoices, one PDF per month; older years under Archive.')
  await customer.getByRole('button', { name: 'Save changes' }).click()
  await customer.getByText('Your changes are saved.').waitFor()
  const answer = customer.getByRole('article', { name: 'Answer' })
  await answer.getByText('older years under Archive').waitFor()
  await answer.getByText(/edited \d{4}-\d{2}-\d{2}/).waitFor()

  // The search box on every community page: a typo still finds the topic.
  await customer.goto('/community')
  await customer.getByRole('searchbox', { name: 'Search the community' }).fill('invoise')
  await customer.getByRole('button', { name: 'Search community' }).click()
  await customer.getByText('Showing results for').waitFor()
  await customer.getByRole('link', { name: 'Where do I find my invoices?' }).click()
  expect(new URL(customer.url()).pathname).toBe(topicUrl)

  // Staff filter the desk's topic list with the same search, and the ? dialog lists the desk's j/k/Enter.
  await staff.goto('/community-desk')
  await staff.getByRole('tab', { name: 'Topics' }).click()
  await staff.getByLabel('Search topics').fill('archiv')
  await staff.getByRole('button', { name: 'Where do I find my invoices?' }).click()
  // Staff edit any post from the desk (audited on the server).
  await staff.getByRole('button', { name: /^Edit answer / }).click()
  await staff.getByLabel('Body (HTML)').fill('<p>Billing › Invoices; a moderator added: older years under Archive.</p>')
  await staff.getByRole('button', { name: 'Save changes' }).click()
  await staff.getByText('Post edited (audited)').waitFor()
  await staff.frameLocator('iframe[title^="answer"]').getByText('a moderator added').waitFor()
  await staff.getByLabel('Search topics').fill('nothing like this')
  await staff.getByText('No topics match').waitFor()
  await staff.locator('body').click({ position: { x: 5, y: 5 } })
  await staff.keyboard.press('?')
  const dialog = staff.getByRole('dialog')
  await dialog.getByText('Community desk').first().waitFor()
  await dialog.getByText('Next topic').waitFor()
  await customerContext.close()
  await staffContext.close()
})
