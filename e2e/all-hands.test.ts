import { expect, it } from 'vitest'
import { ApiClient, rawEmail, signedInPage, startSmtpSink, useServerAndBrowser } from './harness.ts'

// Issue 5's "Done when", replayable: an owner switches on a short holiday all-hands window for a contributor;
// on shift, the contributor is offered only the low-risk tickets; their replies are held; an agent edits and
// approves the first (the customer gets the edited text by SMTP) and approves the second; two approvals
// promote the contributor to Trusted; once the window is over they can no longer reply.
const smtp = await startSmtpSink()
const env = useServerAndBrowser({ env: { SMTP_URL: smtp.url } })

/** Wall-clock date and time in a time zone: { date: 'YYYY-MM-DD', time: 'HH:mm' }. */
function wallClock(at: number, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  )
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` }
}

// The flow from switching the window on to the promotion takes about 15 s here; the window must outlast it (3× margin).
const FLOW_BUDGET_MS = 45_000

it('holiday all-hands: low-risk tickets only, held replies edited and approved, sent by SMTP, promotion after 2 approvals, no replies after the window', async () => {
  const owner = await ApiClient.setup(env.server.url)
  await owner.createUser({ name: 'Cora Contributor', email: 'cora@example.com', password: 'cora-password-1', role: 'contributor' })
  await owner.createUser({ name: 'Alice Agent', email: 'alice@example.com', password: 'alice-password-1' })
  const inbox = await owner.createEmailInbox('Support mail', ['help@example.com'])

  // Customers write in by email: two ordinary questions and one that threatens a lawyer and a chargeback.
  const mail = async (from: string, subject: string, text: string) => {
    const posted = await owner.postRawEmail(inbox.id, rawEmail({ from, to: 'help@example.com', subject, text }))
    expect(posted.disposition).toBe('ticket')
    return posted.ticketId!
  }
  const address = await mail('Dana Customer <dana@customer.example>', 'Postal address', 'Hello, how do I change my postal address?')
  const darkMode = await mail('Eli Customer <eli@customer.example>', 'Dark mode', 'Hello, is there a dark mode in the app?')
  const legal = await mail('Lee Customer <lee@customer.example>', 'Closed account', 'My lawyer will contact you, and I will file a chargeback.')

  const admin = await signedInPage(env.browser, env.server.url, 'owner@example.com', 'correct-horse-1')
  // Review policy: two approved replies with small edits promote automatically (the default needs 10).
  await admin.page.goto('/settings/reviews')
  const approvals = admin.page.getByRole('textbox', { name: 'Approvals needed for promotion in Default (no category)' })
  await approvals.fill('2')
  await approvals.press('Tab')
  await expect
    .poll(async () =>
      (await owner.call<{ categoryId: number | null; approvalsRequired: number }[]>('GET', '/review-policies')).find((p) => p.categoryId === null),
    )
    .toMatchObject({ approvalsRequired: 2 })

  // The owner switches on the all-hands window from the Rotations page: today only, daily hours from this minute
  // to a few minutes from now, so that the window ends within the test (the dialog takes wall-clock minutes).
  await admin.page.goto('/rotations')
  await admin.page.getByRole('tab', { name: 'Programs' }).click()
  await admin.page.getByRole('button', { name: 'Start an all-hands window' }).click()
  const dialog = admin.page.getByRole('dialog', { name: 'Start an all-hands window' })
  await dialog.getByRole('textbox', { name: 'Name' }).fill('Holiday all-hands')
  const timeZone = await dialog.getByRole('textbox', { name: 'Time zone' }).inputValue()
  const now = Date.now()
  const start = Math.floor(now / 60_000) * 60_000
  const end = start + Math.ceil((now - start + FLOW_BUDGET_MS) / 60_000) * 60_000
  const from = wallClock(start, timeZone)
  await dialog.getByLabel(/^From\b/).fill(from.date)
  await dialog.getByLabel(/^To \(inclusive\)/).fill(from.date)
  await dialog.getByRole('switch', { name: 'Only during daily hours' }).check()
  await dialog.getByLabel(/^Daily hours: from\b/).fill(from.time)
  await dialog.getByLabel(/^to\b/).fill(wallClock(end, timeZone).time)
  await dialog.getByRole('textbox', { name: 'People' }).click()
  await admin.page.getByRole('option', { name: 'Cora Contributor' }).click()
  await dialog.getByRole('button', { name: 'Add snippet' }).click()
  await dialog.getByRole('textbox', { name: 'Snippet 1 title' }).fill('Holiday thanks')
  await dialog.getByRole('textbox', { name: 'Snippet 1 text' }).fill('Thanks for your patience over the holidays.')
  await expect.poll(() => dialog.getByRole('switch', { name: 'Review every customer reply during these shifts' }).isChecked()).toBe(true)
  await dialog.getByRole('button', { name: 'Switch on all-hands' }).click()
  const program = admin.page.getByRole('article', { name: 'Holiday all-hands' })
  await program.getByText('Replies reviewed').waitFor()
  await program.getByText('1 people, 0 teams · 1 snippets').waitFor()

  // The contributor, on shift at once, is offered only the two low-risk tickets: the lawyer's stays with support.
  const cora = await signedInPage(env.browser, env.server.url, 'cora@example.com', 'cora-password-1')
  const shift = (await (await cora.page.request.get('/api/v1/shifts/current')).json()).shift as { endsAt: number } | null
  expect(shift?.endsAt).toBe(end)
  await cora.page.goto('/queue')
  const offered = cora.page.getByRole('table', { name: 'Tickets you may take' })
  await offered.getByText(`#${address} Postal address`).waitFor()
  await offered.getByText(`#${darkMode} Dark mode`).waitFor()
  expect(await offered.getByRole('row').count()).toBe(3)
  expect(await offered.getByText('Low risk').count()).toBe(2)
  expect(await offered.getByText('Closed account').count()).toBe(0)
  const legalTicket = await owner.call<{ riskLevel: string }>('GET', `/tickets/${legal}`)
  expect(legalTicket.riskLevel).toBe('high')

  // She takes the first one and replies: the reply is held for review, nothing reaches the customer.
  await offered.getByRole('button', { name: `Take #${address} Postal address` }).click()
  await cora.page.waitForURL(`**/tickets/${address}`)
  await cora.page.getByText('Your reply will be reviewed before it is sent').waitFor()
  const firstDraft = 'Hi Dana, you can change your postal address under Settings, then Profile, then Address.'
  await cora.page.getByTestId('composer-editor').click()
  await cora.page.keyboard.type(firstDraft)
  await cora.page.getByRole('button', { name: 'Submit for review' }).click()
  await cora.page.getByText('Held for review').first().waitFor()
  const held = cora.page.getByRole('region', { name: 'Replies held for review' })
  await held.getByText('Waiting for review').waitFor()
  expect(smtp.received.filter((m) => m.parsed.text?.includes('postal address under Settings'))).toHaveLength(0)

  // An agent edits and approves it in /reviews: it is sent by email with the edit, and the conversation shows it.
  const alice = await signedInPage(env.browser, env.server.url, 'alice@example.com', 'alice-password-1')
  await alice.page.goto('/reviews')
  const firstReview = alice.page.getByRole('article', { name: `Held reply by Cora Contributor on ticket #${address}` })
  await firstReview.getByText(firstDraft).waitFor()
  await firstReview.getByRole('button', { name: 'Edit & approve' }).click()
  await firstReview.getByRole('textbox', { name: 'Edit the reply before approving' }).click()
  await alice.page.keyboard.press('Control+End')
  await alice.page.keyboard.type(' Kind regards!')
  await firstReview.getByRole('button', { name: 'Approve edited reply' }).click()
  await alice.page.getByText('Reply approved and sent').waitFor()
  await firstReview.getByTestId('review-diff').getByText('Kind regards!').waitFor()
  const sentText = `${firstDraft} Kind regards!`
  await expect.poll(() => smtp.received.find((m) => m.parsed.text?.includes(sentText))?.rcpt, { timeout: 15_000 }).toEqual(['dana@customer.example'])
  await firstReview.getByRole('link', { name: `#${address} Postal address` }).click()
  await alice.page.waitForURL(`**/tickets/${address}`)
  const aliceConversation = alice.page.getByRole('list', { name: 'Conversation' })
  await aliceConversation.getByText(sentText).waitFor()
  await aliceConversation.getByTestId('reviewed-by').getByText('Edited by Alice Agent').waitFor()
  // The contributor's screen follows live: the held card is gone, the sent reply is in the conversation.
  await cora.page.getByRole('list', { name: 'Conversation' }).getByText(sentText).waitFor()
  await held.waitFor({ state: 'detached' })

  // A second held reply (with the window's snippet), approved as written: the second approval promotes her.
  await cora.page.goto('/queue')
  await offered.getByRole('button', { name: `Take #${darkMode} Dark mode` }).click()
  await cora.page.waitForURL(`**/tickets/${darkMode}`)
  await cora.page.getByText('Your reply will be reviewed before it is sent').waitFor()
  await cora.page.getByTestId('composer-editor').click()
  await cora.page.keyboard.type('Hi Eli, yes: choose Settings, then Appearance, then Dark.')
  await cora.page.getByRole('group', { name: 'Snippets for Holiday all-hands' }).getByRole('button', { name: 'Holiday thanks' }).click()
  await cora.page.getByTestId('composer-editor').getByText('Thanks for your patience over the holidays.').waitFor()
  await cora.page.getByRole('button', { name: 'Submit for review' }).click()
  await cora.page.getByRole('region', { name: 'Replies held for review' }).getByText('Waiting for review').waitFor()

  await alice.page.goto('/reviews')
  await alice.page.getByRole('button', { name: new RegExp(`^#${darkMode} Dark mode`) }).click()
  const secondReview = alice.page.getByRole('article', { name: `Held reply by Cora Contributor on ticket #${darkMode}` })
  await secondReview.getByText('Thanks for your patience over the holidays.').waitFor()
  await secondReview.getByRole('button', { name: 'Approve', exact: true }).click()
  await secondReview.getByText('Approved and sent').waitFor()
  await expect
    .poll(() => smtp.received.find((m) => m.parsed.text?.includes('Appearance, then Dark'))?.rcpt, { timeout: 15_000 })
    .toEqual(['eli@customer.example'])

  // Promoted automatically: her home page says Trusted, and so do the owner's user settings.
  await cora.page.goto('/home')
  await cora.page
    .getByTestId('participation-summary')
    .getByText(/^Trusted · clearance low/)
    .waitFor()
  await admin.page.goto('/settings/users')
  await expect.poll(() => admin.page.getByRole('textbox', { name: 'Trust level of Cora Contributor' }).inputValue()).toBe('Trusted')

  // Once the window is over (the one unavoidable wait), she can no longer reply, in the composer or through the API.
  const elapsed = Date.now() - now
  expect(elapsed, 'the flow outran the window: raise FLOW_BUDGET_MS').toBeLessThan(end - now)
  await new Promise((r) => setTimeout(r, Math.max(0, end - Date.now()) + 500))
  await cora.page.goto(`/tickets/${darkMode}`)
  await cora.page.getByTestId('reply-denied').getByText('Contributors reply to customers only while on shift', { exact: false }).waitFor()
  expect(await cora.page.getByRole('tab', { name: 'Reply' }).count()).toBe(0)
  const refused = await cora.page.request.post(`/api/v1/tickets/${darkMode}/replies`, { data: { body: '<p>One more thing…</p>' } })
  expect(refused.status()).toBe(403)
  await cora.page.goto('/queue')
  await cora.page.getByText('The queue offers tickets only while you are on shift').waitFor()

  await admin.context.close()
  await cora.context.close()
  await alice.context.close()
}, 240_000)
