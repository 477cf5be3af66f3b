import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, expect, it } from 'vitest'
import { ApiClient, rawEmail, signedInPage, startSmtpSink, useServerAndBrowser } from './harness.ts'

// The server's data directory is ours, so the test can read the job queue's clock (see skipBackoff).
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'allhands-e2e-jobs-'))
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }))
const smtp = await startSmtpSink()
const env = useServerAndBrowser({ env: { SMTP_URL: smtp.url, DATA_DIR: dataDir } })

type Summary = { counts: { dead: number }; deadByName: { name: string; count: number }[] }

/**
 * The reply job backs off 5 s, 10 s, … between its six attempts (minutes in all): each round makes the waiting
 * attempt due now, as time passing would, and the server's worker runs it against the failing relay.
 */
async function waitUntilDead(owner: ApiClient, name: string) {
  const db = new Database(path.join(dataDir, 'allhands.db'))
  db.pragma('busy_timeout = 5000')
  const skipBackoff = db.prepare("UPDATE jobs SET run_at = 0 WHERE status = 'pending' AND name = ?")
  try {
    await expect
      .poll(
        async () => {
          skipBackoff.run(name)
          return (await owner.call<Summary>('GET', '/admin/jobs/summary')).deadByName.find((k) => k.name === name)?.count ?? 0
        },
        { timeout: 60_000, interval: 300 },
      )
      .toBe(1)
  } finally {
    db.close()
  }
}

it('shows a reply email that failed for good under Settings → Background jobs, and retrying it sends it', async () => {
  const owner = await ApiClient.setup(env.server.url)
  const inbox = await owner.createEmailInbox('Support mail', ['help@example.com'])
  const opened = await owner.postRawEmail(
    inbox.id,
    rawEmail({ from: 'Dana Customer <dana@customer.example>', to: 'help@example.com', subject: 'Where is my parcel?', text: 'It has been a week.' }),
  )
  // The relay refuses every message: the reply's job uses up its attempts and dies.
  smtp.failNext(100)
  const reply = await owner.call<{ id: number }>('POST', `/tickets/${opened.ticketId}/replies`, { body: 'Your parcel left our warehouse today.' })
  await waitUntilDead(owner, 'send-email')

  const { context, page } = await signedInPage(env.browser, env.server.url, 'owner@example.com', 'correct-horse-1')
  await page.goto('/settings/workspace')
  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Background jobs' }).click()
  await page.getByRole('heading', { name: 'Background jobs' }).waitFor()
  const counts = page.getByRole('list', { name: 'Background jobs by status' })
  await counts.getByText('Failed: 1').waitFor()

  const table = page.getByRole('table', { name: 'Failed background jobs' })
  const row = table.locator('tr', { hasText: 'Send reply email' })
  await row.waitFor()
  expect(await row.textContent()).toContain('6 / 6')
  expect(await row.textContent()).toMatch(/451|temporarily unavailable/i)
  const jobId = Number(await row.getAttribute('data-job-id'))

  // The payload opens below the row, from the keyboard too.
  const payloadToggle = row.getByRole('button', { name: `Payload of job ${jobId}` })
  await payloadToggle.focus()
  await page.keyboard.press('Enter')
  expect(await payloadToggle.getAttribute('aria-expanded')).toBe('true')
  await page
    .getByRole('region', { name: `Payload of job ${jobId}` })
    .getByText(`"messageId": ${reply.id}`)
    .waitFor()

  // The relay works again: Retry queues the job, the worker sends the email and the job leaves the list.
  smtp.failNext(0)
  await row.getByRole('button', { name: `Retry job ${jobId}: Send reply email` }).click()
  await page.getByTestId('background-jobs-empty').getByText('No failed background jobs — everything that was queued ran.').waitFor({ timeout: 20_000 })
  await counts.getByText('Failed: 0').waitFor()
  const mail = await smtp.waitFor(1)
  expect(mail.parsed.text).toContain('Your parcel left our warehouse today.')
  await expect
    .poll(async () => {
      const messages = await owner.call<{ items: { id: number; delivery: { status: string } | null }[] }>('GET', `/tickets/${opened.ticketId}/messages`)
      return messages.items.find((m) => m.id === reply.id)?.delivery?.status
    })
    .toBe('sent')

  // The retry is in the audit log with the error the job died with.
  const audit = await owner.call<{ items: { action: string; targetId: number; data: { lastError: string } }[] }>('GET', '/audit-log?action=job.retried')
  expect(audit.items[0]).toMatchObject({ targetId: jobId, data: { lastError: expect.stringMatching(/451|temporarily/i) } })
  await context.close()
})
