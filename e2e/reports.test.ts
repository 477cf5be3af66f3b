import fs from 'node:fs'
import { expect, it } from 'vitest'
import { ApiClient, signedInPage, useServerAndBrowser } from './harness.ts'

const env = useServerAndBrowser()

it('an admin reads the reports: KPI cards and charts, cohorts, the live dashboard, and a CSV export', async () => {
  const owner = await ApiClient.setup(env.server.url)
  await owner.createUser({ name: 'Adam Admin', email: 'adam@example.com', password: 'adam-password-1', role: 'admin' })
  // A small day of support: three tickets answered and solved, one still waiting for us.
  for (const subject of ['Card declined at checkout', 'Refund for order 1042', 'Change my delivery address']) {
    const t = await owner.createTicket(subject, `About: ${subject}`)
    await owner.call('POST', `/tickets/${t.id}/replies`, { body: 'Thanks, this is sorted now.' })
    await owner.call('PATCH', `/tickets/${t.id}`, { status: 'solved' })
  }
  const waiting = await owner.createTicket('Still no parcel after two weeks', 'Where is my parcel?', 'waiting@example.com')

  const { context, page } = await signedInPage(env.browser, env.server.url, 'adam@example.com', 'adam-password-1')
  await page.goto('/home')
  await page.getByRole('region', { name: 'This week', exact: true }).waitFor()
  // `g r` jumps to the reports from anywhere.
  await page.keyboard.press('g')
  await page.keyboard.press('r')
  await page.waitForURL(/\/reports/)
  await page.getByRole('heading', { name: 'Reports' }).waitFor()

  // Overview: the rollups catch up within seconds and the page refetches on `reports.updated`.
  const kpis = page.getByTestId('report-kpis')
  await kpis.getByRole('article', { name: 'Created: 4' }).waitFor({ timeout: 30_000 })
  await kpis.getByRole('article', { name: 'Solved: 3' }).waitFor({ timeout: 30_000 })
  await kpis.getByRole('article', { name: /^CSAT: / }).waitFor()
  const chart = page.getByRole('figure', { name: /Bar chart: 4 tickets created and 3 solved/ })
  await chart.waitFor()
  expect(await chart.locator('.recharts-surface').count()).toBeGreaterThan(0)

  // The range is in the URL, so the view is linkable.
  await page.getByText('7 days', { exact: true }).click()
  await page.waitForURL(/range=7d/)
  const newYear = `${new Date().getUTCFullYear()}-01-01`
  await page.getByText('Custom', { exact: true }).click()
  await page.getByLabel('From').fill(newYear)
  await page.waitForURL(new RegExp(`range=custom.*from=${newYear}|from=${newYear}.*range=custom`))
  await kpis.getByRole('article', { name: 'Created: 4' }).waitFor()

  // Cohorts: the support team answered everything.
  await page.getByRole('tab', { name: 'Cohorts' }).click()
  await page.waitForURL(/tab=cohorts/)
  await page.getByTestId('cohort-row-support').first().waitFor()
  await page.getByRole('figure', { name: /Bar chart of CSAT per responder cohort/ }).waitFor()

  // The CSV export downloads the same request's CSV variant.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export Cohorts as CSV' }).first().click()])
  expect(download.suggestedFilename()).toMatch(/^allhands-cohorts-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/)
  const csv = fs.readFileSync((await download.path())!, 'utf8')
  expect(csv.split('\n')[0]).toMatch(/group/i)
  expect(csv).toMatch(/support/i)
  const href = await page.getByRole('link', { name: 'Export Cohorts as CSV' }).first().getAttribute('href')
  const res = await context.request.get(href!)
  expect(res.headers()['content-type']).toMatch(/^text\/csv/)
  expect(res.headers()['content-disposition']).toMatch(/attachment; filename="allhands-cohorts-/)

  // Breakdown per person with a sortable table.
  await page.getByRole('tab', { name: 'Breakdown' }).click()
  await page
    .getByRole('table', { name: /By person/ })
    .getByRole('rowheader', { name: 'Olivia Owner' })
    .waitFor()
  await page.getByRole('button', { name: 'Created', exact: true }).click()
  await page.waitForURL(/sort=created/)

  // Live: the waiting customer, refreshed on its own.
  await page.getByRole('tab', { name: 'Live' }).click()
  const longest = page.getByRole('region', { name: 'Waiting longest' })
  await longest.getByRole('link', { name: `#${waiting.id} Still no parcel after two weeks` }).waitFor()
  await page
    .getByTestId('live-updated')
    .getByText(/Updated \d+ s ago/)
    .waitFor()
  const late = await owner.createTicket('Invoice shows the wrong VAT', 'Please fix the VAT.', 'vat@example.com')
  await longest.getByRole('link', { name: `#${late.id} Invoice shows the wrong VAT` }).waitFor({ timeout: 20_000 })

  await context.close()
})
