import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { postEmail, startSmtpSink } from '../../../test/email-peers.ts'
import { buildTestApp, buildTicket, buildUser, unique } from '../../../test/helpers.ts'
import { now } from '../../platform/clock.ts'
import { markForReports } from '../../platform/report-queue.ts'
import { drainAll } from '../reports/index.ts'
import { isoDay } from '../reports/reports.service.ts'
import { dayOf } from '../reports/reports.rollup.ts'
import { ERASED_MESSAGE } from './privacy.erase.ts'

type User = Awaited<ReturnType<typeof buildUser>>

describe('privacy requests: a contact’s data export and erasure', async () => {
  const sink = await startSmtpSink()
  const app = await buildTestApp({ SMTP_URL: sink.url })
  const db = app.ctx.db
  const admin = await buildUser(app, { role: 'admin' })
  const agent = await buildUser(app, { role: 'agent', name: 'Alex Agent' })
  const support = `${unique('support')}@acme.test`
  const inbox = await app.inject({
    method: 'POST',
    url: '/api/v1/inboxes',
    headers: admin.headers,
    payload: { name: 'Email', type: 'email', email: { addresses: [support] } },
  })
  const inboxId = inbox.json().id as number

  const person = unique('zelda')
  const email = `${person}@customer.test`
  const name = `Zelda ${person}`
  const secretWord = unique('quokka')
  const fileText = `contract for ${person}`
  const boundary = 'mixed-boundary'
  const raw = [
    `From: ${name} <${email}>`,
    `To: ${support}`,
    `Subject: Refund for order ${secretWord}`,
    `Message-ID: <${person}@customer.test>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Please refund order ${secretWord}. My phone is 555-0100.`,
    `--${boundary}`,
    'Content-Type: text/plain; name="contract.txt"',
    'Content-Disposition: attachment; filename="contract.txt"',
    '',
    fileText,
    `--${boundary}--`,
    '',
  ].join('\r\n')
  const inbound = await postEmail(app, admin.headers, inboxId, raw)
  const ticketId = inbound.ticketId!
  const contactId = (await db.selectFrom('tickets').select('requesterId').where('id', '=', ticketId).executeTakeFirstOrThrow()).requesterId
  await app.inject({ method: 'POST', url: `/api/v1/tickets/${ticketId}/replies`, headers: agent.headers, payload: { body: 'Refund is on its way.' } })
  await app.inject({ method: 'PATCH', url: `/api/v1/tickets/${ticketId}`, headers: agent.headers, payload: { status: 'solved' } })
  await app.ctx.jobs.runDue()
  await db
    .insertInto('csatRequests')
    .values({
      ticketId,
      contactId,
      email,
      solvedAt: now(),
      tokenHash: null,
      status: 'rated',
      skipReason: null,
      scale: 'five',
      sendAt: now(),
      sentAt: now(),
      expiresAt: now() + 86_400_000,
      ratedAt: now(),
      score: 5,
      comment: `Thanks, signed ${name}`,
      createdAt: now(),
    })
    .execute()
  await markForReports(db, [ticketId])
  const bystander = await buildTicket(app, admin, {
    subject: `Bystander ${secretWord}`,
    requester: { email: `${unique('by')}@customer.test`, name: 'Bea Bystander' },
  })

  const call = (method: 'GET' | 'POST', url: string, as: User = admin, payload?: object) =>
    app.inject({ method, url: `/api/v1${url}`, headers: as.headers, ...(payload ? { payload } : {}) })
  const attachment = await db.selectFrom('attachments').selectAll().where('messageId', '=', inbound.messageId!).executeTakeFirstOrThrow()
  const blobFile = path.join(app.ctx.config.dataDir, 'blobs', attachment.blobHash.slice(0, 2), attachment.blobHash)
  const search = async (q: string) => (await call('GET', `/search?q=${encodeURIComponent(q)}`)).json()
  const summary = async () => {
    await drainAll(app.ctx)
    const day = isoDay(dayOf(now()))
    const res = await call('GET', `/reports/summary?from=${day}&to=${day}`)
    expect(res.statusCode, res.body).toBe(200)
    const { metrics, backlog } = res.json()
    return { metrics, backlog }
  }
  let exportId = 0

  it('exports everything about the contact as a JSON document', async () => {
    const res = await call('POST', `/contacts/${contactId}/data-export`)
    expect(res.statusCode, res.body).toBe(202)
    expect(res.json()).toMatchObject({ kind: 'contact_data', format: 'json', contactId, status: 'queued' })
    exportId = res.json().id
    while ((await app.ctx.jobs.runDue()) > 0);
    const listed = (await call('GET', `/exports?contactId=${contactId}`)).json().items
    expect(listed.map((e: { id: number; status: string }) => [e.id, e.status])).toEqual([[exportId, 'done']])
    const file = await call('GET', `/exports/${exportId}/download`)
    expect(file.statusCode).toBe(200)
    expect(file.headers['content-disposition']).toContain(`allhands-contact-${contactId}-data-${exportId}.json`)
    const doc = JSON.parse(file.body)
    expect(doc.contact).toMatchObject({ id: contactId, name })
    expect(doc.identities).toEqual([expect.objectContaining({ kind: 'email', value: email })])
    expect(doc.tickets).toHaveLength(1)
    const [customer, reply] = doc.tickets[0].messages
    expect(customer).toMatchObject({ direction: 'inbound', writtenByContact: true })
    expect(customer.text).toContain(secretWord)
    expect(customer.attachments).toEqual([
      expect.objectContaining({ filename: 'contract.txt', sha256: attachment.blobHash, downloadPath: `/api/v1/attachments/${attachment.id}` }),
    ])
    expect(reply).toMatchObject({ direction: 'outbound', text: 'Refund is on its way.' })
    expect(doc.satisfactionRatings).toEqual([expect.objectContaining({ score: 5, comment: `Thanks, signed ${name}` })])
    const audit = (await call('GET', `/audit?action=contact.data_exported&targetId=${contactId}`)).json().items
    expect(audit).toEqual([expect.objectContaining({ actor: expect.objectContaining({ id: admin.id }), data: { exportId } })])
  })

  it('erases the contact: anonymized, messages replaced, files deleted, unsearchable, report totals kept, audited', async () => {
    expect((await search(email)).contacts.map((c: { id: number }) => c.id)).toEqual([contactId])
    expect((await search(secretWord)).tickets.map((t: { id: number }) => t.id).sort()).toEqual([ticketId, bystander.id].sort())
    expect(fs.existsSync(blobFile)).toBe(true)
    const before = await summary()
    expect(before.metrics.created).toBeGreaterThan(0)
    expect(before.metrics.csat.denominator).toBe(1)

    const wrong = await call('POST', `/contacts/${contactId}/erase`, admin, { confirmation: 'erase' })
    expect(wrong.statusCode).toBe(422)
    expect(wrong.json().error.message).toContain(`ERASE ${contactId}`)
    const res = await call('POST', `/contacts/${contactId}/erase`, admin, { confirmation: `ERASE ${contactId}` })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({ contactId, messagesErased: 1, attachmentsDeleted: 1, ticketsKept: 1 })

    const contact = (await call('GET', `/contacts/${contactId}`)).json()
    expect(contact).toMatchObject({ name: `Erased contact #${contactId}`, emails: [], notes: '', ticketCount: 1 })
    const messages = (await call('GET', `/tickets/${ticketId}/messages`)).json().items
    const written = messages.filter((m: { kind: string }) => m.kind !== 'event')
    expect(written.map((m: { text: string }) => m.text)).toEqual([ERASED_MESSAGE, 'Refund is on its way.'])
    expect(JSON.stringify(messages)).not.toContain(secretWord)
    expect(JSON.stringify(messages)).not.toContain(email)
    const ticket = (await call('GET', `/tickets/${ticketId}`)).json()
    expect(ticket.subject).not.toContain(secretWord)
    expect(ticket.status).toBe('solved')
    expect((await call('GET', `/attachments/${attachment.id}`)).statusCode).toBe(404)
    expect(fs.existsSync(blobFile)).toBe(false)
    expect(await db.selectFrom('inboundEmails').select('id').where('messageId', '=', inbound.messageId!).execute()).toEqual([])
    const rating = await db.selectFrom('csatRequests').select(['score', 'comment', 'email']).where('ticketId', '=', ticketId).executeTakeFirstOrThrow()
    expect(rating).toEqual({ score: 5, comment: null, email: null })

    expect((await search(email)).contacts).toEqual([])
    expect((await search(person)).contacts).toEqual([])
    expect((await search(person)).tickets).toEqual([])
    expect((await search(secretWord)).tickets.map((t: { id: number }) => t.id)).toEqual([bystander.id])

    // The earlier data export held everything: it is gone too.
    expect((await call('GET', `/exports/${exportId}`)).json()).toMatchObject({ status: 'deleted', size: 0 })
    expect((await call('GET', `/exports/${exportId}/download`)).statusCode).toBe(409)

    // Recomputing the reports from scratch for the ticket gives the same totals.
    await markForReports(db, [ticketId])
    expect(await summary()).toEqual(before)

    const [entry] = (await call('GET', `/audit?action=contact.erased&targetId=${contactId}`)).json().items
    expect(entry).toMatchObject({ actor: { id: admin.id }, targetType: 'contact', data: { messagesErased: 1, attachmentsDeleted: 1, ticketsKept: 1 } })
    const stored = JSON.stringify(entry)
    for (const secret of [email, person, secretWord]) expect(stored).not.toContain(secret)
  })

  it('refuses agents, unknown contacts and merged contacts', async () => {
    expect((await call('POST', `/contacts/${bystander.requester.id}/data-export`, agent)).statusCode).toBe(403)
    expect((await call('POST', `/contacts/${bystander.requester.id}/erase`, agent, { confirmation: `ERASE ${bystander.requester.id}` })).statusCode).toBe(403)
    expect((await call('POST', '/contacts/999999/erase', admin, { confirmation: 'ERASE 999999' })).statusCode).toBe(404)
    expect((await call('POST', '/contacts/999999/data-export')).statusCode).toBe(404)
    const other = await buildTicket(app, admin)
    const merged = await call('POST', `/contacts/${other.requester.id}/merge`, admin, { intoContactId: bystander.requester.id })
    expect(merged.statusCode, merged.body).toBe(200)
    expect((await call('POST', `/contacts/${other.requester.id}/erase`, admin, { confirmation: `ERASE ${other.requester.id}` })).statusCode).toBe(409)
    // Bystander untouched by all of this.
    expect((await call('GET', `/contacts/${bystander.requester.id}`)).json().name).toBe('Bea Bystander')
  })
})
