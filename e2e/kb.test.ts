import { expect, it } from 'vitest'
import { ApiClient, signedInPage, useServerAndBrowser } from './harness.ts'

const env = useServerAndBrowser()

it('an author publishes an article, a visitor finds it with a typo, votes, and hostile HTML runs no script', async () => {
  const owner = await ApiClient.setup(env.server.url)
  const { context, page } = await signedInPage(env.browser, env.server.url, 'owner@example.com', 'correct-horse-1')

  // The author writes and publishes an article in the knowledge base.
  await page.goto('/kb')
  await page.getByText('No articles here yet').waitFor()
  await page.getByRole('link', { name: 'New article' }).click()
  await page.getByLabel('Title').fill('Reset your password')
  await page.getByRole('textbox', { name: 'Article body' }).click()
  await page.keyboard.type('Open Settings, choose Security and click "Reset password". The link expires after one hour.')
  await page.getByRole('button', { name: 'Create draft' }).click()
  await page.getByText('Draft', { exact: true }).first().waitFor()
  await page.getByRole('button', { name: 'Publish' }).click()
  await page.getByText('Published', { exact: true }).first().waitFor()
  await page.getByRole('link', { name: 'View in help center' }).waitFor()

  // Hostile HTML saved through the API: sanitized on save, and the page forbids inline script anyway.
  const hostile = await owner.call<{ id: number; url: string }>('POST', '/kb/articles', {
    title: 'Printer troubleshooting',
    bodyHtml:
      '<p>Try turning it off.</p><script>window.__pwned = 1; alert(1)</script><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onerror="window.__pwned = 2; alert(2)"><p onmouseover="alert(3)">Hover me</p><a href="javascript:alert(4)">click</a>',
  })
  await owner.call('POST', `/kb/articles/${hostile.id}/publish`, {})

  // A visitor without an account: /help picks the language, the search box tolerates a typo.
  const visitorContext = await env.browser.newContext({ baseURL: env.server.url, locale: 'en-US' })
  const visitor = await visitorContext.newPage()
  const dialogs: string[] = []
  visitor.on('dialog', (d) => {
    dialogs.push(d.message())
    void d.dismiss()
  })
  await visitor.goto('/help')
  expect(new URL(visitor.url()).pathname).toBe('/help/en')
  await visitor.getByRole('link', { name: 'Reset your password' }).waitFor()
  await visitor.getByLabel('Search the help center').fill('pasword expires')
  await visitor.getByRole('button', { name: 'Search' }).click()
  await visitor.getByText('Showing results for').waitFor()
  await visitor.getByRole('link', { name: 'Reset your password' }).click()
  await visitor.getByRole('heading', { name: 'Reset your password' }).waitFor()
  await visitor.getByLabel('No').check()
  await visitor.getByLabel('Comment (optional)').fill('The link had already expired.')
  await visitor.getByRole('button', { name: 'Send feedback' }).click()
  await visitor.getByText('Thank you for your feedback!').waitFor()

  await visitor.goto(hostile.url)
  await visitor.getByText('Hover me').hover()
  await visitor.getByText('Try turning it off.').waitFor()
  expect(await visitor.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined()
  expect(dialogs).toEqual([])
  expect(await visitor.locator('script').count()).toBe(0)

  // The author sees the vote in the gaps report.
  await page.goto('/kb')
  await page.getByRole('tab', { name: 'Gaps' }).click()
  await page.getByText('The link had already expired.').waitFor()

  // On a ticket about it, the article is suggested and its link goes into the reply.
  const ticket = await owner.createTicket('Cannot reset my password', 'The reset password link does not work.')
  await page.goto(`/tickets/${ticket.id}`)
  await page.getByRole('region', { name: 'Suggested articles' }).getByRole('link', { name: 'Reset your password' }).waitFor()
  await page.getByRole('button', { name: 'Insert link to Reset your password' }).click()
  await page.getByTestId('composer-editor').getByRole('link', { name: 'Reset your password' }).waitFor()
  await visitorContext.close()
  await context.close()
})
