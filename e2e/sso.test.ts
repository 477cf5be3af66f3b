import { afterAll, expect, it } from 'vitest'
import { startTestOidcProvider, type TestOidcProvider } from '../apps/server/src/modules/auth/test-oidc-provider.ts'
import { ApiClient, useServerAndBrowser } from './harness.ts'

const env = useServerAndBrowser()
let idp: TestOidcProvider | undefined
afterAll(() => idp?.stop())

it('an admin sets up single sign-on in Settings, and a person signs in with it at a real OIDC provider', async () => {
  // The server's public URL is http://localhost:<port> (its default): use that origin so the callback finds the cookies.
  const base = env.server.url.replace('127.0.0.1', 'localhost')
  idp = await startTestOidcProvider(`${base}/api/v1/auth/oidc/callback`)
  idp.accounts.set('sam', { email: 'sam@acme.test', email_verified: true, name: 'Sam Agent' })
  const owner = await ApiClient.setup(env.server.url)
  await owner.createUser({ name: 'Sam Agent', email: 'sam@acme.test', password: 'sam-password-1' })

  // The owner configures the provider in Settings → Single sign-on, testing the connection first.
  const admin = await env.browser.newContext({ baseURL: base, viewport: { width: 1400, height: 900 } })
  const res = await admin.request.post(`${base}/api/v1/auth/login`, { data: { email: 'owner@example.com', password: 'correct-horse-1' } })
  expect(res.ok()).toBe(true)
  const page = await admin.newPage()
  await page.goto('/settings/single-sign-on')
  const form = page.getByRole('form', { name: 'Single sign-on' })
  await form.getByLabel('Issuer URL').fill('http://127.0.0.1:9')
  await form.getByRole('button', { name: 'Test connection' }).click()
  await form.getByText('Connection failed').waitFor()
  await form.getByLabel('Issuer URL').fill(idp.issuer)
  await form.getByRole('button', { name: 'Test connection' }).click()
  await form.getByText('Connection works').waitFor()
  await form.getByLabel('Button name').fill('Acme ID')
  await form.getByLabel('Client ID').fill(idp.clientId)
  await form.getByLabel('Client secret').fill(idp.clientSecret)
  await form.getByLabel('Allowed email domains').fill('acme.test')
  await form.getByLabel('Allowed email domains').press('Enter')
  await form.getByLabel('Offer single sign-on on the login page').check()
  await form.getByRole('button', { name: 'Save single sign-on' }).click()
  await form.getByText('Single sign-on settings saved.').waitFor()
  await form.getByText('A secret is set. Leave empty to keep it.').waitFor()
  await admin.close()

  // Sam signs in with the provider: its login page, its consent page, then back in the inbox, signed in.
  const context = await env.browser.newContext({ baseURL: base, viewport: { width: 1400, height: 900 } })
  const sam = await context.newPage()
  await sam.goto('/login')
  await sam.getByRole('link', { name: 'Sign in with Acme ID' }).click()
  await sam.waitForURL((u) => u.href.startsWith(idp!.issuer))
  await sam.locator('input[name="login"]').fill('sam')
  await sam.locator('input[name="password"]').fill('anything')
  await sam.locator('button[type="submit"]').click()
  await sam.getByRole('button', { name: 'Continue' }).click()
  await sam.waitForURL((u) => u.href.startsWith(base) && !u.pathname.startsWith('/login') && !u.pathname.startsWith('/api/'))
  await sam.getByRole('button', { name: 'Account menu for Sam Agent' }).waitFor()
  expect((await context.cookies()).some((c) => c.name === 'allhands_session')).toBe(true)

  // A refused sign-in (the provider does not vouch for the address) comes back to the login page with the reason.
  idp.accounts.set('mallory', { email: 'mallory@acme.test', email_verified: false })
  const other = await env.browser.newContext({ baseURL: base })
  const refused = await other.newPage()
  await refused.goto('/login')
  await refused.getByRole('link', { name: 'Sign in with Acme ID' }).click()
  await refused.locator('input[name="login"]').fill('mallory')
  await refused.locator('input[name="password"]').fill('anything')
  await refused.locator('button[type="submit"]').click()
  await refused.getByRole('button', { name: 'Continue' }).click()
  await refused.waitForURL(/\/login\?ssoError=/)
  await refused
    .getByRole('alert')
    .getByText(/has not verified your email address/)
    .waitFor()
  await other.close()
  await context.close()
})

it('creates a read-only API token with an expiry date in Settings, and the token can read but not write', async () => {
  const base = env.server.url
  const context = await env.browser.newContext({ baseURL: base, viewport: { width: 1400, height: 900 } })
  const login = await context.request.post(`${base}/api/v1/auth/login`, { data: { email: 'owner@example.com', password: 'correct-horse-1' } })
  expect(login.ok()).toBe(true)
  const page = await context.newPage()
  await page.goto('/settings/tokens')
  const form = page.getByRole('form', { name: 'Create API token' })
  await form.getByLabel('Token name').fill('Reporting export')
  await form.getByRole('checkbox', { name: 'Write' }).uncheck()
  const nextYear = `${new Date().getFullYear() + 1}-06-30`
  await form.getByLabel('Expires').fill(nextYear)
  await form.getByRole('button', { name: 'Create token' }).click()
  const token = (await page.getByText(/^ah_/).textContent())!.trim()
  const row = page.getByRole('table', { name: 'API tokens' }).getByRole('row', { name: /Reporting export/ })
  await row.getByText('read', { exact: true }).waitFor()
  expect(await row.getByText('write', { exact: true }).count()).toBe(0)
  await row.getByText(String(new Date().getFullYear() + 1)).waitFor()

  const read = await fetch(`${base}/api/v1/tickets`, { headers: { authorization: `Bearer ${token}` } })
  expect(read.status).toBe(200)
  const write = await fetch(`${base}/api/v1/tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ subject: 'x', body: 'y', requester: { email: 'c@example.com' } }),
  })
  expect(write.status).toBe(403)
  expect((await write.json()).error.message).toMatch(/"write" scope/)

  // Used once: the list shows when, after a reload.
  await page.reload()
  await row.getByText('Never').waitFor({ state: 'detached' })
  await context.close()
})
