import { expect, it } from 'vitest'
import { ApiClient, signedInPage, startSmtpSink, useServerAndBrowser } from './harness.ts'

const smtp = await startSmtpSink()
const env = useServerAndBrowser({ env: { SMTP_URL: smtp.url } })

it('a customer signs in by magic link and asks, staff answers on the public page, the asker accepts, staff makes a KB draft; hostile posts run no script', async () => {
  const owner = await ApiClient.setup(env.server.url)
  await owner.call('POST', '/community/categories', { name: 'Billing', description: 'Invoices and payments' })
  const { context: staffContext, page: staff } = await signedInPage(env.browser, env.server.url, 'owner@example.com', 'correct-horse-1')

  // The customer: no account, only an email address. Any dialog or trapped script call is recorded.
  const customerContext = await env.browser.newContext({ baseURL: env.server.url })
  const dialogs: string[] = []
  await customerContext.exposeFunction('__xss', (what: string) => dialogs.push(`trap: ${what}`))
  await customerContext.addInitScript(() => {
    const w = window as unknown as Record<string, unknown>
    for (const name of ['alert', 'confirm', 'prompt']) w[name] = (arg: unknown) => (w.__xss as (s: string) => void)(`${name}(${String(arg)})`)
  })
  const customer = await customerContext.newPage()
  customer.on('dialog', (d) => {
    dialogs.push(d.message())
    void d.dismiss()
  })
  await customer.goto('/community')
  await customer.getByRole('heading', { name: 'Community' }).waitFor()
  await customer.getByRole('link', { name: 'Sign in to ask and answer' }).click()
  await customer.getByLabel('Email address').fill('casey@customer.example')
  await customer.getByRole('button', { name: 'Email me a sign-in link' }).click()
  await customer.getByText('a sign-in link is on its way').waitFor()
  const link = /https?:\/\/\S+\/community\/login\/cml_[\w-]+/.exec(
    (await smtp.waitForTo('casey@customer.example', /community\/login\//, 20_000)).parsed.text ?? '',
  )![0]
  await customer.goto(new URL(link).pathname)
  await customer.getByRole('button', { name: 'Sign in' }).click()
  await customer.getByText('You are signed in.').waitFor()

  // Her first question waits for a moderator; staff approve it in the app's moderation queue.
  await customer.getByRole('link', { name: 'Ask a question' }).first().click()
  await customer.getByLabel('Title').fill('How do I download last year’s invoices?')
  await customer.getByLabel('Details').fill('I need them for my tax return.')
  await customer.getByRole('button', { name: 'Post your question' }).click()
  await customer.getByText('waiting for a moderator', { exact: false }).first().waitFor()
  const topicUrl = new URL(customer.url()).pathname

  staff.on('dialog', (d) => {
    dialogs.push(`staff: ${d.message()}`)
    void d.dismiss()
  })
  await staff.goto('/')
  await staff.waitForURL(/\/views\//)
  await staff.getByRole('link', { name: 'Community' }).click()
  await staff.getByRole('heading', { name: 'Community' }).waitFor()
  await staff.getByRole('article', { name: /Held question in How do I download/ }).waitFor()
  await staff.getByRole('button', { name: /^Approve post / }).click()
  await staff.getByText('Nothing waits for moderation').waitFor()

  // Staff answer on the public page itself, with the staff badge.
  await staff.goto(topicUrl)
  await staff.getByLabel('Your answer').fill('Open Billing › Invoices and pick the year; each invoice has a PDF download.')
  await staff.getByRole('button', { name: 'Post your answer' }).click()
  await staff.getByText('Your answer is published.').waitFor()
  await staff.getByRole('article', { name: 'Answer' }).getByText('Staff').waitFor()

  // The asker follows her question: the answer reaches her by email, and she accepts it.
  await smtp.waitForTo('casey@customer.example', /Open Billing › Invoices/, 20_000)
  await customer.goto(topicUrl)
  await customer.getByRole('button', { name: 'Accept this answer' }).click()
  await customer.getByText('Answer accepted.').waitFor()
  await customer.getByRole('article', { name: 'Accepted answer' }).waitFor()

  // Staff turn the accepted answer into a knowledge-base draft and open it in the editor.
  await staff.goto('/community-desk')
  await staff.getByRole('tab', { name: 'Topics' }).click()
  await staff.getByRole('button', { name: 'How do I download last year’s invoices?' }).click()
  await staff.getByRole('button', { name: 'Make KB draft' }).click()
  await staff.getByRole('link', { name: /^KB draft #/ }).click()
  await expect.poll(() => staff.getByLabel('Title').inputValue(), { timeout: 15_000 }).toBe('How do I download last year’s invoices?')
  await staff.getByText('Draft', { exact: true }).first().waitFor()

  // A hostile post (she is trusted now, so it is public at once): sanitized, and the page forbids script anyway.
  await customer.goto('/community/ask')
  await customer.getByLabel('Title').fill('Printer keeps failing')
  await customer
    .getByLabel('Details')
    .fill(
      '<p>Help</p><script>alert("script")</script><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onerror="alert(\'img\')"><a href="javascript:alert(\'link\')">click me</a><p onmouseover="alert(\'hover\')">Hover here</p>',
    )
  await customer.getByRole('button', { name: 'Post your question' }).click()
  await customer.getByText('Your question is published.').waitFor()
  await customer.getByText('Hover here').hover()
  await customer.getByText('click me').click()
  await customer.waitForTimeout(300)
  expect(await customer.locator('script').count()).toBe(0)
  // Staff look at it in the app too: it renders in the sandboxed frame.
  await staff.goto('/community-desk')
  await staff.getByRole('tab', { name: 'Topics' }).click()
  await staff.getByRole('button', { name: 'Printer keeps failing' }).click()
  await staff.frameLocator('iframe[title^="question"]').getByText('Hover here').waitFor()
  expect(dialogs).toEqual([])
  await customerContext.close()
  await staffContext.close()
})
