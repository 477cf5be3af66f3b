import { describe, expect, it } from 'vitest'
import { postEmail, rawEmail, startSmtpSink } from '../../../test/email-peers.ts'
import { buildTeam, buildTestApp, buildUser, putOnShift } from '../../../test/helpers.ts'

describe('reviews: an approved reply on an email ticket goes out by SMTP', async () => {
  const sink = await startSmtpSink()
  const app = await buildTestApp({ SMTP_URL: sink.url, PUBLIC_URL: 'https://help.acme.test' })
  const admin = await buildUser(app, { role: 'admin' })
  const reviewer = await buildUser(app, { role: 'agent', name: 'Rita Reviewer' })
  const team = await buildTeam(app)
  const cora = await buildUser(app, { role: 'contributor', teamIds: [team], name: 'Cora Contributor' })
  await putOnShift(app, cora.id, { ms: 8 * 3600_000 })

  it('holds the reply (nothing sent), then delivers the edited text once approved', async () => {
    const inbox = await app.inject({
      method: 'POST',
      url: '/api/v1/inboxes',
      headers: admin.headers,
      payload: { name: 'Email', type: 'email', teamId: team, email: { addresses: ['help@acme.test'], displayName: 'Acme Support' } },
    })
    expect(inbox.statusCode, inbox.body).toBe(201)
    const inbound = await postEmail(
      app,
      admin.headers,
      inbox.json().id,
      rawEmail({ from: 'Carla Customer <carla@customer.test>', to: 'help@acme.test', subject: 'Profile picture', text: 'How do I change my profile picture?' }),
    )
    expect(inbound.disposition).toBe('ticket')

    const held = await app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${inbound.ticketId}/replies`,
      headers: cora.headers,
      payload: { body: 'Hi Carla, open Settings and click Profile.' },
    })
    expect(held.statusCode, held.body).toBe(202)
    await app.ctx.jobs.runDue()
    expect(sink.received).toHaveLength(0)

    const approved = await app.inject({
      method: 'POST',
      url: `/api/v1/reviews/${held.json().review.id}/approve`,
      headers: reviewer.headers,
      payload: { html: '<p>Hi Carla, open Settings and click Profile, then your picture.</p>' },
    })
    expect(approved.statusCode, approved.body).toBe(200)
    await app.ctx.jobs.runDue()
    const mail = await sink.waitFor(1)
    expect(mail.rcpt).toEqual(['carla@customer.test'])
    expect(mail.parsed.text).toContain('open Settings and click Profile, then your picture.')
    await app.ctx.jobs.runDue()
    expect(sink.received).toHaveLength(1)
  })
})
