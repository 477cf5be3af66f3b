import fs from 'node:fs'
import { expect, it } from 'vitest'
import { ApiClient, signedInPage, useServerAndBrowser } from './harness.ts'

const env = useServerAndBrowser()

it('an admin exports tickets, reads the audit log, exports a contact’s data and erases the contact', async () => {
  const owner = await ApiClient.setup(env.server.url)
  const ticket = await owner.createTicket('=Formula subject', 'Please delete my data.', 'erase-me@customer.example')
  const contactId = (await owner.call<{ requester: { id: number } }>('GET', `/tickets/${ticket.id}`)).requester.id
  const { page } = await signedInPage(env.browser, env.server.url, 'owner@example.com', 'correct-horse-1')

  // Settings → Export: a tickets CSV, written in the background, then downloaded with the formula cell defused.
  await page.goto('/settings/workspace')
  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Export', exact: true }).click()
  await page.getByText('No exports yet').waitFor()
  await page.getByRole('button', { name: 'Start export' }).click()
  const row = page.getByRole('table', { name: 'Exports' }).getByTestId('export-row').first()
  const link = row.getByRole('link', { name: /^Download allhands-tickets-\d+\.csv$/ })
  await link.waitFor()
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
  const csv = fs.readFileSync((await download.path())!, 'utf8')
  expect(csv.split('\r\n')[0]).toMatch(/^id,subject,status,/)
  expect(csv).toContain(`${ticket.id},'=Formula subject,new,`)

  // Settings → Audit log: the export is there with the browser's IP; its details open from the keyboard.
  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Audit log' }).click()
  await page.getByRole('textbox', { name: 'Action starts with' }).fill('export.')
  await page.keyboard.press('Escape')
  const entries = page.getByRole('table', { name: 'Audit log entries' })
  const created = entries.locator('tr[data-action="export.created"]').first()
  await created.waitFor()
  expect(await entries.locator('tr[data-action="export.downloaded"]').count()).toBe(1)
  expect((await created.getByTestId('audit-ip').textContent())?.trim()).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/)
  const toggle = created.getByRole('button', { name: /^Details of audit entry \d+$/ })
  await toggle.focus()
  await page.keyboard.press('Enter')
  await page.getByLabel('Entry data').getByText('"kind": "tickets"').waitFor()

  // The contact page: a data export with a download link, then erasure with the typed confirmation.
  await page.goto(`/contacts/${contactId}`)
  const privacy = page.getByRole('region', { name: 'Privacy requests' })
  await privacy.getByRole('button', { name: 'Export contact data' }).click()
  const dataLink = privacy.getByRole('link', { name: new RegExp(`^Download allhands-contact-${contactId}-data-\\d+\\.json$`) })
  await dataLink.waitFor()
  const [dataDownload] = await Promise.all([page.waitForEvent('download'), dataLink.click()])
  const doc = JSON.parse(fs.readFileSync((await dataDownload.path())!, 'utf8'))
  expect(doc.identities[0].value).toBe('erase-me@customer.example')
  expect(doc.tickets[0].messages[0].text).toContain('Please delete my data.')

  await privacy.getByRole('button', { name: 'Erase contact…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Erase Casey Customer' })
  const confirm = dialog.getByRole('button', { name: 'Erase contact' })
  expect(await confirm.isDisabled()).toBe(true)
  await dialog.getByLabel(`Type ERASE ${contactId} to confirm`).fill(`ERASE ${contactId}`)
  await confirm.click()
  await dialog.getByText('Contact erased').waitFor()
  await dialog.getByRole('button', { name: 'Close' }).click()
  await page.getByRole('heading', { name: `Erased contact #${contactId}` }).waitFor()
  await privacy.getByText('Deleted when the contact was erased').waitFor()
  const messages = await owner.call<{ items: { text: string; kind: string }[] }>('GET', `/tickets/${ticket.id}/messages`)
  expect(messages.items.filter((m) => m.kind !== 'event').map((m) => m.text)).toEqual(['[Erased at the customer’s request]'])
})
