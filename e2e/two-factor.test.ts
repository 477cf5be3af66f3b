import { Secret, TOTP } from 'otpauth'
import { expect, it } from 'vitest'
import { ApiClient, signedInPage, useServerAndBrowser } from './harness.ts'

const env = useServerAndBrowser()
const STEP_MS = 30_000
const codeFor = (secret: string) => new TOTP({ secret: Secret.fromBase32(secret) }).generate()
/** A code is accepted once: wait for the authenticator's next time step before using another. */
const nextStep = () => new Promise((r) => setTimeout(r, STEP_MS - (Date.now() % STEP_MS) + 500))
let owner: Promise<ApiClient> | undefined
/** The workspace owner, set up by whichever test runs first. */
const ownerClient = () => (owner ??= ApiClient.setup(env.server.url))

it('enrols in 2FA from the secret on screen, signs out, signs in with password and code, and sees the session', async () => {
  await (await ownerClient()).createUser({ name: 'Sam Agent', email: 'sam@example.com', password: 'sam-password-1' })
  const { context, page } = await signedInPage(env.browser, env.server.url, 'sam@example.com', 'sam-password-1')

  // Account → Security, from the account menu.
  await page.goto('/views/all_open')
  await page.getByRole('button', { name: 'Account menu for Sam Agent' }).click()
  await page.getByRole('menuitem', { name: 'Account security' }).click()
  await page.getByRole('heading', { name: 'Two-factor authentication' }).waitFor()
  await page.getByRole('button', { name: 'Set up two-factor authentication' }).click()
  await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor()
  const secret = (await page.getByTestId('two-factor-secret').textContent())!.trim()
  expect(secret).toMatch(/^[A-Z2-7]{32}$/)

  const enrolCode = page.getByLabel('Code from your app')
  expect(await enrolCode.getAttribute('autocomplete')).toBe('one-time-code')
  await enrolCode.fill('000000')
  await page.getByRole('button', { name: 'Turn on' }).click()
  await page.getByRole('alert').getByText('That code does not match').waitFor()
  await enrolCode.fill(codeFor(secret))
  await page.getByRole('button', { name: 'Turn on' }).click()
  const codes = page.getByRole('list', { name: 'Recovery codes' })
  await codes.waitFor()
  expect(await codes.getByRole('listitem').count()).toBe(10)
  await page.getByRole('button', { name: 'Download codes' }).waitFor()
  await page.getByRole('button', { name: 'I saved my recovery codes' }).click()
  await page.getByText(/10 of 10 recovery codes left/).waitFor()

  // Sign out, then sign in: the password alone is not enough.
  await page.getByRole('button', { name: 'Account menu for Sam Agent' }).click()
  await page.getByRole('menuitem', { name: 'Sign out' }).click()
  await page.waitForURL(/\/login/)
  await page.getByLabel('Email').fill('sam@example.com')
  await page.getByLabel('Password').fill('sam-password-1')
  await page.getByRole('button', { name: 'Sign in' }).click()
  const code = page.getByLabel('Authentication code')
  await code.waitFor()
  expect(await code.getAttribute('autocomplete')).toBe('one-time-code')
  expect((await context.cookies()).some((c) => c.name === 'allhands_session')).toBe(false)

  // The recovery code link switches the field; switch back and use the app's next code.
  await page.getByRole('button', { name: 'Use a recovery code' }).click()
  await page.getByLabel('Recovery code').waitFor()
  await page.getByRole('button', { name: 'Use your authenticator app' }).click()
  await code.fill('123456')
  await page.getByRole('button', { name: 'Verify' }).click()
  await page.getByRole('alert').getByText('The code is not valid or was already used').waitFor()
  await nextStep()
  await code.fill(codeFor(secret))
  await page.getByRole('button', { name: 'Verify' }).click()
  await page.waitForURL((url) => !url.pathname.startsWith('/login'))

  // The session list shows this browser as the current session.
  await page.goto('/settings/account-security')
  const sessions = page.getByRole('table', { name: 'Sessions' })
  await sessions.getByText('This session').waitFor()
  await sessions.getByText('127.0.0.1').first().waitFor()
  const status = await page.evaluate(async () => (await fetch('/api/v1/auth/two-factor')).json())
  expect(status).toMatchObject({ enabled: true, recoveryCodesRemaining: 10 })
  await context.close()
})

it('sends a person whose role requires 2FA to enrolment first; an admin can sign them out everywhere', async () => {
  const api = await ownerClient()
  await api.createUser({ name: 'Ada Admin', email: 'ada@example.com', password: 'ada-password-1', role: 'admin' })
  const { context, page } = await signedInPage(env.browser, env.server.url, 'owner@example.com', 'correct-horse-1')

  // Settings → Security: admins must use 2FA.
  await page.goto('/settings/security')
  await page.getByRole('checkbox', { name: 'Admins' }).check()
  await page.getByRole('button', { name: 'Save' }).click()
  await page.getByRole('status').getByText('Saved.').waitFor()

  // Ada signs in with her password only and lands on the enrolment screen; the rest of the API is closed to her.
  const ada = await env.browser.newContext({ baseURL: env.server.url, viewport: { width: 1200, height: 900 } })
  const adaPage = await ada.newPage()
  await adaPage.goto('/login')
  await adaPage.getByLabel('Email').fill('ada@example.com')
  await adaPage.getByLabel('Password').fill('ada-password-1')
  await adaPage.getByRole('button', { name: 'Sign in' }).click()
  await adaPage.waitForURL(/\/two-factor\/setup/)
  expect(await adaPage.evaluate(async () => (await fetch('/api/v1/tickets')).status)).toBe(403)
  await adaPage.getByRole('button', { name: 'Set up two-factor authentication' }).click()
  const secret = (await adaPage.getByTestId('two-factor-secret').textContent())!.trim()
  await adaPage.getByLabel('Code from your app').fill(codeFor(secret))
  await adaPage.getByRole('button', { name: 'Turn on' }).click()
  await adaPage.getByRole('list', { name: 'Recovery codes' }).waitFor()
  await adaPage.getByRole('button', { name: 'I saved my recovery codes' }).click()
  await adaPage.waitForURL((url) => !url.pathname.startsWith('/two-factor'))
  expect(await adaPage.evaluate(async () => (await fetch('/api/v1/tickets')).status)).toBe(200)

  // The owner signs Ada out everywhere from the user admin page.
  page.on('dialog', (d) => void d.accept())
  await page.goto('/settings/users')
  await page.getByRole('button', { name: 'Sign Ada Admin out everywhere' }).click()
  await page.getByText('Ada Admin was signed out of 1 session.').waitFor()
  expect(await adaPage.evaluate(async () => (await fetch('/api/v1/auth/me')).status)).toBe(401)
  await ada.close()
  await context.close()
})
