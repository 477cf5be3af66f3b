import { expect, it } from 'vitest'
import { ApiClient, signedInPage, startSmtpSink, useServerAndBrowser } from './harness.ts'

const smtp = await startSmtpSink()
const env = useServerAndBrowser({ env: { SMTP_URL: smtp.url } })

it('listens to the customer: solve → CSAT email → rating and comment → cohort and person reports; VoC item shipped → close-the-loop reply', {
  timeout: 240_000,
}, async () => {
  const owner = await ApiClient.setup(env.server.url)
  await owner.createUser({ name: 'Sam Support', email: 'sam@example.com', password: 'sam-password-1', role: 'agent' })
  // Surveys go out right after the solve (the default waits an hour).
  const settings = await owner.call<Record<string, unknown>>('GET', '/surveys/csat/settings')
  await owner.call('PUT', '/surveys/csat/settings', { ...settings, enabled: true, delayMinutes: 0 })
  const ticket = await owner.createTicket('Export my invoices to CSV', 'I need all my invoices as a CSV file for my accountant.', 'casey@customer.example')

  // Sam answers and solves the ticket from the ticket view (e = solve).
  const { page } = await signedInPage(env.browser, env.server.url, 'sam@example.com', 'sam-password-1')
  await page.goto(`/tickets/${ticket.id}`)
  await page.getByRole('heading', { name: /Export my invoices to CSV/ }).waitFor()
  const sam = await ApiClient.login(env.server.url, 'sam@example.com', 'sam-password-1')
  await sam.call('POST', `/tickets/${ticket.id}/replies`, { body: 'You can export them from Billing → Invoices → Export. Here is a CSV of this year.' })
  await page.getByText('You can export them from Billing').waitFor()
  await page.keyboard.press('e')
  await expect.poll(async () => (await owner.call<{ status: string }>('GET', `/tickets/${ticket.id}`)).status, { timeout: 15_000 }).toBe('solved')

  // The survey email reaches the customer; they rate from the link and leave a comment.
  const mail = await smtp.waitForTo('casey@customer.example', /\/survey\/\S+\?rating=good/, 100_000)
  const link = new URL(mail.parsed.text!.match(/https?:\/\/\S+\/survey\/\S+\?rating=good/)![0])
  const customer = await env.browser.newContext({ baseURL: env.server.url })
  const survey = await customer.newPage()
  await survey.goto(`${link.pathname}${link.search}`)
  // Opening the link records nothing: mail scanners open links too.
  const csat = () => owner.call<{ items: { status: string; comment: string | null; score: number | null }[] }>('GET', `/tickets/${ticket.id}/csat`)
  expect((await csat()).items[0]?.status).toBe('sent')
  await survey.getByRole('button', { name: 'Submit rating' }).click()
  await survey.getByLabel('Comment').fill('Quick and <b>clear</b>, thank you!')
  await survey.getByRole('button', { name: 'Send comment' }).click()
  await survey.getByRole('heading').first().waitFor()
  const rated = (await csat()).items[0]
  expect(rated).toMatchObject({ status: 'rated', score: 5, comment: 'Quick and <b>clear</b>, thank you!' })
  await customer.close()

  // The owner sees the rating under the support cohort and under Sam.
  const { page: lead } = await signedInPage(env.browser, env.server.url, 'owner@example.com', 'correct-horse-1')
  await lead.goto('/reports?tab=cohorts')
  const support = lead.getByTestId('cohort-row-support').first()
  await expect.poll(async () => (await support.textContent()) ?? '', { timeout: 30_000 }).toMatch(/100 %/)
  await lead.goto('/reports?tab=breakdown&by=person&sort=csat')
  // The top chart's table says it; the breakdown table has Sam's row with one rating.
  await lead.getByRole('row', { name: 'Sam Support 100 %' }).waitFor({ timeout: 30_000 })
  await lead.getByRole('row', { name: /^Sam Support 1 1 / }).waitFor()
  // The comment shows on the ticket, as text.
  await lead.goto(`/tickets/${ticket.id}`)
  await lead.getByText('Quick and <b>clear</b>, thank you!').waitFor()

  // Voice of customer: link the ticket to a new feature request, quoting the customer.
  await lead.getByRole('button', { name: 'Link to item' }).click()
  const dialog = lead.getByRole('dialog', { name: 'Link to item' })
  await dialog.getByText('Create new item').click()
  await dialog.getByLabel('Title of the new item').fill('One-click invoice export')
  await dialog.getByLabel('Customer quote').fill('I need all my invoices as a CSV file for my accountant.')
  await dialog.getByRole('button', { name: 'Link ticket' }).click()
  await lead.getByRole('link', { name: 'One-click invoice export' }).click()
  await lead.waitForURL(/\/voc\/\d+/)
  const itemId = Number(new URL(lead.url()).pathname.split('/').pop())
  await lead
    .getByRole('article', { name: `Ticket #${ticket.number}` })
    .getByText('I need all my invoices as a CSV file')
    .waitFor()

  // Shipped: a reply to every linked customer is prepared; sending it goes through the normal reply path.
  await lead.getByRole('textbox', { name: 'Status' }).click()
  await lead.getByRole('option', { name: 'Shipped' }).click()
  const loop = lead.getByRole('region', { name: 'Close the loop' })
  const prepared = loop.getByRole('article', { name: 'Reply to Casey Customer' })
  await prepared.waitFor()
  expect(await prepared.getByRole('textbox').inputValue()).toMatch(/One-click invoice export/)
  await prepared.getByRole('button', { name: 'Send' }).click()
  await prepared.getByText(/Sent by Olivia Owner/).waitFor()
  const messages = await owner.call<{ items: { kind: string; text: string }[] }>('GET', `/tickets/${ticket.id}/messages`)
  expect(messages.items.filter((m) => m.kind === 'reply').map((m) => m.text)).toEqual(
    expect.arrayContaining([expect.stringMatching(/One-click invoice export/)]),
  )

  // A written answer to a custom survey feeds the same item.
  const form = await owner.call<{ id: number }>('POST', '/surveys', {
    title: 'Invoices and you',
    slug: 'invoice-feedback',
    status: 'open',
    publicLink: true,
    questions: [{ id: 'wish', kind: 'text', label: 'What would make invoices easier?', required: true }],
  })
  const respondent = await env.browser.newContext({ baseURL: env.server.url })
  const answer = await respondent.newPage()
  await answer.goto('/s/invoice-feedback')
  await answer.getByLabel(/What would make invoices easier/).fill('One button that exports every invoice at once.')
  await answer.getByRole('button', { name: 'Send answers' }).click()
  await answer.getByText(/thank/i).first().waitFor()
  await respondent.close()
  await lead.goto(`/surveys?tab=custom&survey=${form.id}`)
  await lead.getByRole('button', { name: /^Link this answer to a voice-of-customer item: One button/ }).click()
  const answerDialog = lead.getByRole('dialog', { name: 'Link to item' })
  await answerDialog.getByRole('textbox', { name: 'Item' }).click()
  await lead.getByRole('option', { name: /One-click invoice export/ }).click()
  await answerDialog.getByRole('button', { name: 'Link answer' }).click()
  await answerDialog.waitFor({ state: 'detached' })
  const item = await owner.call<{ links: { surveyResponseId: number | null; quote: string | null }[] }>('GET', `/voc/items/${itemId}`)
  expect(item.links).toEqual(expect.arrayContaining([expect.objectContaining({ quote: 'One button that exports every invoice at once.' })]))
  expect(item.links.some((l) => l.surveyResponseId !== null)).toBe(true)
})
