import { expect, it } from 'vitest'
import { ApiClient, signedInPage, useServerAndBrowser } from './harness.ts'

const env = useServerAndBrowser()

it('a contributor on shift is offered only the low-risk ticket, takes it with t, hands it back, and support is told; the admin sees what each rule matched', async () => {
  const owner = await ApiClient.setup(env.server.url)
  const cora = await owner.createUser({ name: 'Cora Contributor', email: 'cora@example.com', password: 'cora-password-1', role: 'contributor' })
  const calm = await owner.createTicket('Address change', 'Hello, how do I change my postal address?', 'calm@example.com')
  await owner.createTicket('Money back', 'I would like a refund for last month.', 'refund@example.com')
  const legal = await owner.createTicket('Closed account', 'My lawyer will contact you about this.', 'legal@example.com')

  const contributor = await signedInPage(env.browser, env.server.url, 'cora@example.com', 'cora-password-1')
  const page = contributor.page
  // Off shift the queue explains why it offers nothing.
  await page.goto('/queue')
  await page.getByText('The queue offers tickets only while you are on shift').waitFor()

  // On shift: only the low-risk ticket is offered (the refund is medium, the lawyer high; Cora is cleared for low).
  const now = Date.now()
  await owner.call('POST', '/shifts', { rotationId: null, userId: cora.id, startsAt: now - 60_000, endsAt: now + 4 * 3_600_000 })
  await page.reload()
  const offered = page.getByRole('table', { name: 'Tickets you may take' })
  await offered.getByText(`#${calm.id} Address change`).waitFor()
  expect(await offered.getByRole('row').count()).toBe(2)
  await offered.getByText('Low risk').waitFor()

  // `t` takes the next ticket and opens it; the sidebar shows its risk and the hand-back button.
  await page.keyboard.press('t')
  await page.waitForURL(`**/tickets/${calm.id}`)
  const risk = page.getByRole('region', { name: 'Risk' })
  await risk.getByText('Low risk').waitFor()
  await risk.getByText('No risk rule matches this ticket.').waitFor()
  await risk.getByRole('button', { name: 'Hand back to support' }).click()
  const dialog = page.getByRole('dialog', { name: 'Hand back to support' })
  await dialog.getByRole('textbox', { name: 'Why are you handing it back?' }).fill('They also ask about a court order')
  await dialog.getByRole('button', { name: 'Hand back' }).click()

  // Back in the queue, which offers the ticket again; support (the owner) was told why.
  await page.waitForURL('**/queue')
  await offered.getByText(`#${calm.id} Address change`).waitFor()
  const notes = await owner.call<{ items: { kind: string; title: string }[] }>('GET', '/notifications')
  expect(notes.items.find((n) => n.kind === 'handed_back')?.title).toBe(
    `Cora Contributor handed back #${calm.id}: Address change — They also ask about a court order`,
  )

  // The admin sees the rules and the tickets each one matched.
  const admin = await signedInPage(env.browser, env.server.url, 'owner@example.com', 'correct-horse-1')
  await admin.page.goto('/settings/risk-rules')
  await admin.page.getByRole('button', { name: '1 ticket matched by Legal, security and chargebacks' }).click()
  const drawer = admin.page.getByRole('dialog', { name: 'Tickets matched by “Legal, security and chargebacks”' })
  await drawer.getByText(`#${legal.id} Closed account`).waitFor()
  await drawer.getByText('Mentions “lawyer”', { exact: false }).waitFor()

  await contributor.context.close()
  await admin.context.close()
})
