import { describe, expect, it } from 'vitest'
import { startSmtpSink } from '../../../test/email-peers.ts'
import { buildTestApp, buildUser } from '../../../test/helpers.ts'
import { enqueueStaffEmail } from './staff-email.ts'

describe('email to staff', async () => {
  const sink = await startSmtpSink()
  const app = await buildTestApp({ SMTP_URL: sink.url, PUBLIC_URL: 'https://help.acme.test' })
  const admin = await buildUser(app, { role: 'admin' })
  const agent = await buildUser(app, { role: 'agent', name: 'Alex Agent' })

  it('sends once per idempotency key, marked as automatic, with a reply-to when given', async () => {
    const email = { userId: agent.id, subject: 'Your shift starts in 1 hour', text: 'See you soon', replyTo: 'consult+1@acme.test', idempotencyKey: 'k1' }
    await enqueueStaffEmail(app.ctx.db, email)
    await enqueueStaffEmail(app.ctx.db, email)
    await app.ctx.jobs.runDue()
    const mail = await sink.waitFor(1)
    expect(mail.rcpt).toEqual([agent.email])
    expect(mail.parsed.subject).toBe('Your shift starts in 1 hour')
    expect(mail.parsed.replyTo?.text).toBe('consult+1@acme.test')
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated')
    await app.ctx.jobs.runDue()
    expect(sink.received).toHaveLength(1)
  })

  it('never mails a deactivated person', async () => {
    const res = await app.inject({ method: 'PATCH', url: `/api/v1/users/${agent.id}`, headers: admin.headers, payload: { isActive: false } })
    expect(res.statusCode).toBe(200)
    await enqueueStaffEmail(app.ctx.db, { userId: agent.id, subject: 'Reminder', text: 'x', idempotencyKey: 'k2' })
    await app.ctx.jobs.runDue()
    expect(sink.received).toHaveLength(1)
    const job = await app.ctx.db.selectFrom('jobs').select('status').where('idempotencyKey', '=', 'staff-email:k2').executeTakeFirstOrThrow()
    expect(job.status).toBe('done')
  })
})
