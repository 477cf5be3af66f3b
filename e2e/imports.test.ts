import { expect, it } from 'vitest'
import { zipOf } from '../apps/server/test/zip-archive.ts'
import { ApiClient, signedInPage, useServerAndBrowser } from './harness.ts'

const env = useServerAndBrowser()

const CSV = [
  'Name,Email address,Company,Notes,Phone',
  'Nora North,nora@north.example,North Corp,Prefers phone,+44 20 7946 0018',
  'Bad Row,nora-at-north,North Corp,,',
  'Sam South,sam@south.example,South Ltd,,',
].join('\n')

it('an admin imports a CSV of contacts with one bad row: maps the columns, watches it finish and reads the bad row in the report', async () => {
  const owner = await ApiClient.setup(env.server.url)
  const { page } = await signedInPage(env.browser, env.server.url, 'owner@example.com', 'correct-horse-1')
  await page.goto('/settings/workspace')
  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Import' }).click()
  await page.getByRole('heading', { name: 'Import', exact: true }).waitFor()
  await page.getByText('No imports yet').waitFor()

  await page.locator('input[type="file"]').setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) })
  await page.getByRole('button', { name: 'Upload and map columns' }).click()

  // The mapping step: every column pre-mapped from its header, the first rows shown under it.
  const mapping = page.getByRole('table', { name: 'Column mapping and preview' })
  await mapping.getByText('Nora North').waitFor()
  expect(await mapping.getByLabel('Column “Email address”').inputValue()).toBe('Email (required)')
  expect(await mapping.getByLabel('Column “Company”').inputValue()).toBe('Organization (name or domain)')
  expect(await mapping.getByLabel('Column “Phone”').inputValue()).toBe('Phone')
  // Notes stay out of this import: the admin changes that column to "Do not import" from the keyboard.
  await mapping.getByLabel('Column “Notes”').click()
  await page.getByRole('option', { name: 'Do not import' }).click()
  await page.getByRole('button', { name: 'Start import' }).click()

  // The live report: finished, two imported, the bad row listed with its row number, field and reason.
  const report = page.getByRole('region', { name: 'Import report for contacts.csv' })
  await report.getByTestId('import-status').getByText('Finished').waitFor({ timeout: 20_000 })
  await report.getByText('2 new').waitFor()
  await report.getByText('1 failed').waitFor()
  const failed = report.getByRole('table', { name: 'Failed rows' })
  const bad = failed.locator('tr', { hasText: 'nora-at-north' })
  await bad.waitFor()
  expect(await bad.locator('td').allTextContents()).toEqual(['2', 'email', '"nora-at-north" is not a valid email address'])
  await report.getByText('2 contacts created · 2 organizations created').waitFor()

  // The list of past imports shows it too, and the good contacts exist with their organizations.
  await page.getByRole('table', { name: 'Past imports' }).locator('tr', { hasText: 'contacts.csv' }).getByText('Finished').waitFor()
  const contacts = await owner.call<{
    items: { id: number; name: string; emails: string[]; phones: string[]; organizationName: string | null; notes: string }[]
  }>('GET', '/contacts?limit=50')
  const byName = new Map(contacts.items.map((c) => [c.name, c]))
  expect(byName.get('Nora North')).toMatchObject({ emails: ['nora@north.example'], phones: ['+442079460018'], organizationName: 'North Corp', notes: '' })
  expect(byName.get('Sam South')).toMatchObject({ emails: ['sam@south.example'], phones: [], organizationName: 'South Ltd' })
  expect(byName.has('Bad Row')).toBe(false)

  // The imported phone number shows on the contact's profile.
  await page.goto(`/contacts/${byName.get('Nora North')!.id}`)
  await page.getByText('Phone numbers').waitFor()
  expect(await page.getByRole('link', { name: '+442079460018' }).getAttribute('href')).toBe('tel:+442079460018')
})

it('an admin imports a maildir packed as .zip into an inbox and finds the threaded ticket', async () => {
  const owner = await ApiClient.login(env.server.url, 'owner@example.com', 'correct-horse-1')
  const mail = (id: string, extra: string, body: string) =>
    `From: Zed Zip <zed@zip.example>\r\nTo: support@acme.example\r\nSubject: Zipped printer trouble\r\nMessage-ID: <${id}@zip.example>\r\n${extra}\r\n${body}\r\n`
  const archive = zipOf([
    { name: 'Maildir/cur/1600000000.1.host:2,S', data: mail('zip-1', '', 'The printer is zipped.') },
    { name: 'Maildir/new/1600000100.2.host', data: mail('zip-2', 'In-Reply-To: <zip-1@zip.example>\r\n', 'Still zipped.') },
  ])
  const { page } = await signedInPage(env.browser, env.server.url, 'owner@example.com', 'correct-horse-1')
  await page.goto('/settings/workspace')
  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Import' }).click()
  await page.getByRole('textbox', { name: 'What to import' }).click()
  await page.getByRole('option', { name: 'Maildir (.zip, .tar or .tar.gz)' }).click()
  await page.getByRole('textbox', { name: 'Inbox for the imported tickets' }).click()
  await page.getByRole('option').first().click()
  expect(await page.locator('input[type="file"]').getAttribute('accept')).toContain('.zip')
  await page.locator('input[type="file"]').setInputFiles({ name: 'maildir.zip', mimeType: 'application/zip', buffer: archive })
  await page.getByRole('button', { name: 'Upload and import' }).click()

  const report = page.getByRole('region', { name: 'Import report for maildir.zip' })
  await report.getByTestId('import-status').getByText('Finished').waitFor({ timeout: 20_000 })
  await report.getByText('2 new').waitFor()
  const tickets = await owner.call<{ items: { id: number; subject: string }[] }>('GET', '/tickets?q=Zipped')
  const ticket = tickets.items.find((t) => t.subject === 'Zipped printer trouble')!
  const messages = await owner.call<{ items: { kind: string }[] }>('GET', `/tickets/${ticket.id}/messages`)
  expect(messages.items.filter((m) => m.kind === 'customer')).toHaveLength(2)
})
