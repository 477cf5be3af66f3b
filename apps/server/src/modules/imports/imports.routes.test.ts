import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as tar from 'tar'
import { beforeAll, describe, expect, it } from 'vitest'
import { startSmtpSink } from '../../../test/email-peers.ts'
import { buildTestApp, buildUser, type TestApp } from '../../../test/helpers.ts'
import { zipOf } from '../../../test/zip-archive.ts'
import { runImport } from './imports.run.ts'

const CORPORA = path.resolve(import.meta.dirname, '../../../../../../shared/corpora')
const FIXTURES = path.join(import.meta.dirname, 'fixtures')

function multipart(fields: Record<string, string>, file: { name: string; content: Buffer | string }) {
  const boundary = '----allhands-import-boundary'
  const parts: Buffer[] = []
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`))
  parts.push(
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
  )
  parts.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content))
  parts.push(Buffer.from(`\r\n--${boundary}--\r\n`))
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

type Who = { headers: Record<string, string> }

async function upload(app: TestApp, as: Who, kind: string, name: string, content: Buffer | string, inboxId?: number) {
  const form = multipart({ kind, ...(inboxId ? { inboxId: String(inboxId) } : {}) }, { name, content })
  return app.inject({ method: 'POST', url: '/api/v1/imports', headers: { ...as.headers, ...form.headers }, payload: form.payload })
}

/** Uploads, starts and runs an import to its end through the job queue; returns the finished import. */
async function importFile(app: TestApp, as: Who, kind: string, name: string, content: Buffer | string, start: Record<string, unknown> = {}, inboxId?: number) {
  const up = await upload(app, as, kind, name, content, inboxId)
  expect(up.statusCode, up.body).toBe(201)
  const started = await app.inject({ method: 'POST', url: `/api/v1/imports/${up.json().id}/start`, headers: as.headers, payload: start })
  expect(started.statusCode, started.body).toBe(202)
  await app.ctx.jobs.runDue()
  const done = await app.inject({ method: 'GET', url: `/api/v1/imports/${up.json().id}`, headers: as.headers })
  return done.json()
}

const CONTACTS_CSV = [
  'Full Name,E-mail,Phone,Company,Notes,Plan',
  'Ada Lovelace,ada@analytical.example,+44 20 7946 0001,analytical.example,First programmer,gold',
  'Bad Email,not-an-email,,,,',
  '"Grace Hopper","grace@navy.example; ghopper@navy.example",,US Navy,"Found a bug, literally",silver',
  'No Email,,,,,',
  'Wrong Plan,wrong@plan.example,,,,platinum',
  'Alan Turing,alan@bletchley.example,,Bletchley Park,,',
].join('\n')

describe('imports', async () => {
  const sink = await startSmtpSink()
  const app = await buildTestApp({ SMTP_URL: sink.url })
  const admin = await buildUser(app, { role: 'admin', name: 'Ida Admin' })
  const agent = await buildUser(app, { role: 'agent' })
  const contributor = await buildUser(app, { role: 'contributor' })
  let inboxId: number

  beforeAll(async () => {
    const inbox = await app.inject({
      method: 'POST',
      url: '/api/v1/inboxes',
      headers: admin.headers,
      payload: { name: 'Imported mail', type: 'email', email: { addresses: ['support@acme.example'], displayName: 'Acme Support' } },
    })
    expect(inbox.statusCode, inbox.body).toBe(201)
    inboxId = inbox.json().id
    // Acknowledgements are on: imported mail must still never trigger one.
    const ack = await app.inject({
      method: 'PATCH',
      url: `/api/v1/inboxes/${inboxId}`,
      headers: admin.headers,
      payload: { autoReply: { enabled: true, subject: 'We got your message', body: 'Thanks' } },
    })
    expect(ack.statusCode, ack.body).toBe(200)
    const field = await app.inject({
      method: 'POST',
      url: '/api/v1/custom-fields',
      headers: admin.headers,
      payload: { entity: 'contact', key: 'plan', label: 'Plan', type: 'select', options: ['gold', 'silver', 'bronze'] },
    })
    expect(field.statusCode, field.body).toBe(201)
  })

  const contactByEmail = async (email: string) => {
    const row = await app.ctx.db.selectFrom('contactIdentities').select('contactId').where('kind', '=', 'email').where('value', '=', email).executeTakeFirst()
    if (!row) return undefined
    return (await app.inject({ method: 'GET', url: `/api/v1/contacts/${row.contactId}`, headers: admin.headers })).json()
  }
  const count = async (table: 'contacts' | 'organizations' | 'tickets' | 'messages') =>
    Number(
      (
        await app.ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )

  it('is for admins only: agents and contributors are refused, anonymous callers too', async () => {
    for (const who of [agent, contributor]) {
      expect((await upload(app, who, 'csv-contacts', 'c.csv', CONTACTS_CSV)).statusCode).toBe(403)
      expect((await app.inject({ method: 'GET', url: '/api/v1/imports', headers: who.headers })).statusCode).toBe(403)
    }
    expect((await app.inject({ method: 'GET', url: '/api/v1/imports' })).statusCode).toBe(401)
  })

  it('refuses an oversized upload with 413 and a clear message, and a file of the wrong kind with 422', async () => {
    const big = await upload(app, admin, 'csv-contacts', 'big.csv', Buffer.alloc(50 * 1024 * 1024 + 10, 'a'))
    expect(big.statusCode).toBe(413)
    expect(big.json().error.message).toMatch(/larger than the 50 MB import limit/)
    expect((await upload(app, admin, 'mbox', 'mail.mbox', 'Subject: not an mbox\n\nhi')).statusCode).toBe(422)
    expect((await upload(app, admin, 'maildir', 'mail.zip', Buffer.from('PK\u0003\u0004zip'))).statusCode).toBe(422)
    expect((await upload(app, admin, 'nonsense', 'x.csv', 'a,b')).statusCode).toBe(422)
  })

  it('previews a CSV with a suggested mapping, imports the good rows and reports each bad one with its row and field', async () => {
    const up = await upload(app, admin, 'csv-contacts', 'contacts.csv', CONTACTS_CSV)
    expect(up.statusCode, up.body).toBe(201)
    expect(up.json()).toMatchObject({ kind: 'csv-contacts', status: 'uploaded', filename: 'contacts.csv' })
    const preview = (await app.inject({ method: 'GET', url: `/api/v1/imports/${up.json().id}/preview`, headers: admin.headers })).json()
    expect(preview.headers).toEqual(['Full Name', 'E-mail', 'Phone', 'Company', 'Notes', 'Plan'])
    expect(preview.rows[0]).toEqual(['Ada Lovelace', 'ada@analytical.example', '+44 20 7946 0001', 'analytical.example', 'First programmer', 'gold'])
    expect(preview.suggestedMapping).toEqual({
      'Full Name': 'name',
      'E-mail': 'email',
      Phone: 'phone',
      Company: 'organization',
      Notes: 'notes',
      Plan: 'custom:plan',
    })
    expect(preview.fields.find((f: { value: string }) => f.value === 'email').required).toBe(true)

    const bad = await app.inject({
      method: 'POST',
      url: `/api/v1/imports/${up.json().id}/start`,
      headers: admin.headers,
      payload: { mapping: { 'Full Name': 'name' } },
    })
    expect(bad.statusCode).toBe(422)
    expect(bad.json().error.message).toMatch(/required field "email"/)

    const started = await app.inject({
      method: 'POST',
      url: `/api/v1/imports/${up.json().id}/start`,
      headers: admin.headers,
      payload: { mapping: preview.suggestedMapping },
    })
    expect(started.statusCode, started.body).toBe(202)
    expect(started.json().status).toBe('queued')
    await app.ctx.jobs.runDue()
    const done = (await app.inject({ method: 'GET', url: `/api/v1/imports/${up.json().id}`, headers: admin.headers })).json()
    expect(done.status).toBe('completed')
    expect(done.counters).toEqual({ total: 6, processed: 6, imported: 3, updated: 0, skipped: 0, failed: 3 })
    expect(done.errors).toEqual([
      { row: 2, field: 'email', message: '"not-an-email" is not a valid email address' },
      { row: 4, field: 'email', message: 'Email is required' },
      { row: 5, field: 'custom:plan', message: 'Plan: must be one of gold, silver, bronze (got "platinum")' },
    ])
    expect(done.report).toEqual({ contacts: 3, organizations: 3 })
    expect(await contactByEmail('ada@analytical.example')).toMatchObject({
      name: 'Ada Lovelace',
      emails: ['ada@analytical.example'],
      phones: ['+442079460001'],
      notes: 'First programmer',
      customFields: { plan: 'gold' },
    })
    const grace = await contactByEmail('ghopper@navy.example')
    expect(grace).toMatchObject({ name: 'Grace Hopper', emails: ['grace@navy.example', 'ghopper@navy.example'], phones: [], organizationName: 'US Navy' })
    const ada = await contactByEmail('ada@analytical.example')
    const org = (await app.inject({ method: 'GET', url: `/api/v1/organizations/${ada.organizationId}`, headers: admin.headers })).json()
    expect(org).toMatchObject({ name: 'analytical.example', domain: 'analytical.example' })
    expect(await contactByEmail('wrong@plan.example')).toBeUndefined()
    const phone = await app.ctx.db
      .selectFrom('contactIdentities')
      .select('contactId')
      .where('kind', '=', 'phone')
      .where('value', '=', '+442079460001')
      .executeTakeFirst()
    expect(phone?.contactId).toBe(ada.id)
  })

  it('updates contacts on a re-run instead of duplicating them', async () => {
    const contactsBefore = await count('contacts')
    const orgsBefore = await count('organizations')
    const edited = CONTACTS_CSV.replace('First programmer', 'Wrote the first program')
    const done = await importFile(app, admin, 'csv-contacts', 'contacts-again.csv', edited)
    expect(done.counters).toMatchObject({ imported: 0, updated: 3, failed: 3 })
    expect(await count('contacts')).toBe(contactsBefore)
    expect(await count('organizations')).toBe(orgsBefore)
    expect((await contactByEmail('ada@analytical.example')).notes).toBe('Wrote the first program')
  })

  it('imports organizations (name, domain, notes, tier) and matches them by domain on a re-run', async () => {
    const csv = 'Name,Domain,Tier,Notes\nInitrode,https://www.initrode.example/,enterprise,Big\n,nameless.example,,\nBad Domain,not a domain,,\n'
    const done = await importFile(app, admin, 'csv-organizations', 'orgs.csv', csv)
    expect(done.counters).toMatchObject({ total: 3, imported: 1, failed: 2 })
    expect(done.errors.map((e: { row: number; field: string }) => [e.row, e.field])).toEqual([
      [2, 'name'],
      [3, 'domain'],
    ])
    const org = await app.ctx.db.selectFrom('organizations').selectAll().where('domain', '=', 'initrode.example').execute()
    expect(org).toHaveLength(1)
    expect(org[0]).toMatchObject({ name: 'Initrode', tier: 'enterprise', notes: 'Big' })
    const again = await importFile(app, admin, 'csv-organizations', 'orgs.csv', csv.replace('Big', 'Bigger'))
    expect(again.counters).toMatchObject({ imported: 0, updated: 1 })
    expect(await app.ctx.db.selectFrom('organizations').select('notes').where('domain', '=', 'initrode.example').execute()).toEqual([{ notes: 'Bigger' }])
  })

  it('resumes after a crash from the saved cursor, and can be cancelled and resumed through the API', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => `Person ${i},person${i}@resume.example`)
    const up = await upload(app, admin, 'csv-contacts', 'resume.csv', ['Name,Email', ...rows].join('\n'))
    const id = up.json().id
    await app.inject({ method: 'POST', url: `/api/v1/imports/${id}/start`, headers: admin.headers, payload: {} })
    // The worker dies after its first batch of 3: the cursor and counters of that batch are saved.
    await runImport(app.ctx, id, { batchSize: 3, stopAfterBatches: 1 })
    const mid = (await app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: admin.headers })).json()
    expect(mid).toMatchObject({ status: 'running', counters: { total: 7, processed: 3, imported: 3 } })
    // Cancelled while running: it stops; resumed, the job continues after row 3.
    const cancelled = await app.inject({ method: 'POST', url: `/api/v1/imports/${id}/cancel`, headers: admin.headers })
    expect(cancelled.json().status).toBe('cancelled')
    expect((await app.inject({ method: 'POST', url: `/api/v1/imports/${id}/cancel`, headers: admin.headers })).statusCode).toBe(409)
    const resumed = await app.inject({ method: 'POST', url: `/api/v1/imports/${id}/resume`, headers: admin.headers })
    expect(resumed.statusCode, resumed.body).toBe(202)
    await app.ctx.jobs.runDue()
    // The queued job of the first start ran too (a second handler run): it finds the import finished.
    await runImport(app.ctx, id)
    const done = (await app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: admin.headers })).json()
    expect(done).toMatchObject({ status: 'completed', counters: { total: 7, processed: 7, imported: 7, updated: 0, failed: 0 } })
    expect(await app.ctx.db.selectFrom('contactIdentities').select('value').where('value', 'like', '%@resume.example').execute()).toHaveLength(7)
    const list = (await app.inject({ method: 'GET', url: '/api/v1/imports?limit=2', headers: admin.headers })).json()
    expect(list.items[0].id).toBe(id)
    expect(list.nextCursor).toBeTruthy()
  })

  it('hands the job queue back between slices of a long import and continues in a queued follow-up job', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => `Slice ${i},slice${i}@slices.example`)
    const up = await upload(app, admin, 'csv-contacts', 'slices.csv', ['Name,Email', ...rows].join('\n'))
    const id = up.json().id
    await app.inject({ method: 'POST', url: `/api/v1/imports/${id}/start`, headers: admin.headers, payload: {} })
    await runImport(app.ctx, id, { batchSize: 2, sliceMs: 0 })
    expect(await app.ctx.db.selectFrom('jobs').select('idempotencyKey').where('idempotencyKey', '=', `run-import:${id}:2`).executeTakeFirst()).toBeTruthy()
    await app.ctx.jobs.runDue()
    const done = (await app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: admin.headers })).json()
    expect(done).toMatchObject({ status: 'completed', counters: { processed: 5, imported: 5 } })
  })

  it('imports an mbox through the email pipeline: threaded, unescaped, deduplicated on a re-run, no acknowledgement sent', async () => {
    const gmail = fs.readFileSync(path.join(CORPORA, 'talon/standard_replies/gmail.eml'))
    const mbox = Buffer.concat([
      Buffer.from(
        [
          'From carla@customer.example Mon Jan  4 10:00:00 2021',
          'From: Carla Customer <carla@customer.example>',
          'To: support@acme.example',
          'Subject: Order 1234 never arrived',
          'Message-ID: <order-1@customer.example>',
          'Date: Mon, 4 Jan 2021 10:00:00 +0000',
          '',
          'Hello, my order never arrived.',
          '>From the tracking page it looks lost.',
          '',
          `From ${agent.email} Mon Jan  4 11:00:00 2021`,
          `From: Alex Agent <${agent.email}>`,
          'To: carla@customer.example',
          'Subject: Re: Order 1234 never arrived',
          'Message-ID: <reply-1@acme.example>',
          'In-Reply-To: <order-1@customer.example>',
          'References: <order-1@customer.example>',
          '',
          'We are on it.',
          '',
          'From carla@customer.example Mon Jan  4 12:00:00 2021',
          'From: Carla Customer <carla@customer.example>',
          'To: support@acme.example',
          'Subject: Re: Order 1234 never arrived',
          'Message-ID: <order-2@customer.example>',
          'In-Reply-To: <reply-1@acme.example>',
          'References: <order-1@customer.example> <reply-1@acme.example>',
          '',
          'Any news?',
          '',
          'From nobody Mon Jan  4 13:00:00 2021',
          'this message has no headers at all',
          '',
          'From someone@real.example Mon Jan  4 14:00:00 2021',
          '',
        ].join('\n'),
      ),
      gmail,
      Buffer.from('\n'),
    ])
    const before = sink.received.length
    const done = await importFile(app, admin, 'mbox', 'archive.mbox', mbox, { inboxId })
    expect(done.status).toBe('completed')
    expect(done.counters).toMatchObject({ total: 5, imported: 4, failed: 1 })
    expect(done.errors).toEqual([{ row: 4, field: null, message: 'The message has no headers' }])
    expect(done.report).toMatchObject({ tickets: 2, messages: 4 })
    const carla = await contactByEmail('carla@customer.example')
    const tickets = await app.ctx.db.selectFrom('tickets').select(['id', 'inboxId', 'messageCount', 'createdAt']).where('requesterId', '=', carla.id).execute()
    expect(tickets).toHaveLength(1)
    expect(tickets[0]!.inboxId).toBe(inboxId)
    // Imported history keeps its own time (the Date header), not the time of the import.
    expect(Number(tickets[0]!.createdAt)).toBe(Date.parse('2021-01-04T10:00:00Z'))
    const msgs = (await app.inject({ method: 'GET', url: `/api/v1/tickets/${tickets[0]!.id}/messages`, headers: admin.headers })).json().items
    expect(msgs[0].createdAt).toBe(Date.parse('2021-01-04T10:00:00Z'))
    const texts = msgs.filter((m: { kind: string }) => m.kind !== 'event').map((m: { fullText: string }) => m.fullText)
    expect(texts[0]).toContain('From the tracking page it looks lost.')
    expect(texts[0]).not.toContain('>From')
    expect(texts).toHaveLength(3)
    // Nothing went to customers: the acknowledgement is on, yet no job was queued to send one.
    await app.ctx.jobs.runDue()
    expect(sink.received.length).toBe(before)
    expect(await app.ctx.db.selectFrom('jobs').select('id').where('name', '=', 'send-auto-reply').where('status', '!=', 'done').execute()).toHaveLength(0)

    const ticketsBefore = await count('tickets')
    const again = await importFile(app, admin, 'mbox', 'archive.mbox', mbox, { inboxId })
    expect(again.counters).toMatchObject({ imported: 0, skipped: 4, failed: 1 })
    expect(await count('tickets')).toBe(ticketsBefore)
  })

  it('imports a maildir packed as .tar.gz, oldest first, and refuses a start without an inbox', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maildir-'))
    for (const sub of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(dir, 'Maildir', sub), { recursive: true })
    const mail = (id: string, extra: string, body: string) =>
      `From: Dana Doe <dana@maildir.example>\r\nTo: support@acme.example\r\nSubject: Printer on fire\r\nMessage-ID: <${id}@maildir.example>\r\n${extra}\r\n${body}\r\n`
    fs.writeFileSync(path.join(dir, 'Maildir/cur/1600000000.1.host:2,S'), mail('m1', '', 'It is on fire.'))
    fs.writeFileSync(path.join(dir, 'Maildir/new/1600000100.2.host'), mail('m2', 'In-Reply-To: <m1@maildir.example>\r\n', 'Still burning.'))
    fs.writeFileSync(path.join(dir, 'Maildir/tmp/1600000200.3.host'), mail('m3', '', 'half-written, ignored'))
    const archive = path.join(dir, 'maildir.tar.gz')
    await tar.c({ gzip: true, file: archive, cwd: dir }, ['Maildir'])
    const up = await upload(app, admin, 'maildir', 'maildir.tar.gz', fs.readFileSync(archive))
    expect(up.statusCode, up.body).toBe(201)
    const noInbox = await app.inject({ method: 'POST', url: `/api/v1/imports/${up.json().id}/start`, headers: admin.headers, payload: {} })
    expect(noInbox.statusCode).toBe(422)
    await app.inject({ method: 'POST', url: `/api/v1/imports/${up.json().id}/start`, headers: admin.headers, payload: { inboxId } })
    await app.ctx.jobs.runDue()
    const done = (await app.inject({ method: 'GET', url: `/api/v1/imports/${up.json().id}`, headers: admin.headers })).json()
    expect(done).toMatchObject({ status: 'completed', counters: { total: 2, imported: 2, failed: 0 }, report: { tickets: 1, messages: 2 } })
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('imports a maildir packed as .zip one message at a time: oldest first, broken and oversized entries reported, resumable', async () => {
    const mail = (id: string, extra: string, body: string) =>
      `From: Zed Zip <zed@zipdir.example>\r\nTo: support@acme.example\r\nSubject: Zipped woes\r\nMessage-ID: <${id}@zipdir.example>\r\n${extra}\r\n${body}\r\n`
    const archive = zipOf([
      { name: 'Maildir/new/1600000100.2.host', data: mail('z2', 'In-Reply-To: <z1@zipdir.example>\r\n', 'Still zipped.') },
      { name: 'Maildir/cur/1600000000.1.host:2,S', data: mail('z1', '', 'It is zipped.') },
      { name: 'Maildir/tmp/1600000001.9.host', data: mail('z9', '', 'half-written, ignored') },
      { name: 'Maildir/cur/1600000050.3.host', data: 'no headers at all' },
      { name: 'Maildir/new/1600000200.4.host', data: mail('z4', '', 'Says it is huge.'), declaredSize: 26 * 1024 * 1024 },
    ])
    const up = await upload(app, admin, 'maildir', 'maildir.zip', archive)
    expect(up.statusCode, up.body).toBe(201)
    const id = up.json().id
    await app.inject({ method: 'POST', url: `/api/v1/imports/${id}/start`, headers: admin.headers, payload: { inboxId } })
    // The worker stops after the first message; the rest continue from the saved cursor without unpacking it again.
    await runImport(app.ctx, id, { batchSize: 1, stopAfterBatches: 1 })
    const mid = (await app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: admin.headers })).json()
    expect(mid).toMatchObject({ status: 'running', counters: { total: 4, processed: 1, imported: 1 } })
    await app.ctx.jobs.runDue()
    await runImport(app.ctx, id)
    const done = (await app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: admin.headers })).json()
    expect(done).toMatchObject({ status: 'completed', counters: { total: 4, imported: 2, failed: 2 }, report: { tickets: 1, messages: 2 } })
    expect(done.errors.map((e: { row: number; message: string }) => [e.row, e.message])).toEqual([
      [2, 'The message has no headers'],
      [4, 'The message is larger than 25 MB'],
    ])
    const ticket = await app.ctx.db.selectFrom('tickets').select('id').where('subject', '=', 'Zipped woes').execute()
    expect(ticket).toHaveLength(1)

    // Unsafe names are refused at upload, as is a zip for any other kind, or one without maildir messages.
    for (const name of ['../cur/1600000000.1.host', 'Maildir/cur/../../../etc/cur/passwd', '/Maildir/cur/1600000000.1.host']) {
      const res = await upload(app, admin, 'maildir', 'evil.zip', zipOf([{ name, data: mail('evil', '', 'x') }]))
      expect(res.statusCode, name).toBe(422)
      expect(res.json().error.message).toMatch(/could not be read as a zip archive: invalid relative path|absolute path/)
    }
    expect((await upload(app, admin, 'maildir', 'empty.zip', zipOf([{ name: 'notes.txt', data: 'hi' }]))).json().error.message).toMatch(
      /holds no maildir messages/,
    )
    expect((await upload(app, admin, 'mbox', 'mail.zip', archive)).json().error.message).toMatch(/Zip archives are for maildir imports only/)
  })

  it('imports a Zendesk export: organizations, users, tickets with public replies and private notes, tags, dates; idempotent', async () => {
    const json = fs.readFileSync(path.join(FIXTURES, 'zendesk-export.json'), 'utf8').replace('MATCHED_AGENT_EMAIL', admin.email)
    const done = await importFile(app, admin, 'zendesk', 'zendesk.json', json, {}, inboxId)
    expect(done.status).toBe('completed')
    expect(done.counters).toMatchObject({ total: 9, imported: 5, failed: 2 })
    expect(done.errors.map((e: { row: number; field: string }) => [e.row, e.field])).toEqual([
      [6, 'email'],
      [9, 'requester_id'],
    ])
    expect(done.report).toMatchObject({ organizations: 1, contacts: 2, tickets: 2, messages: 6, matchedAgents: 1, unmatchedAgents: 1 })
    const hank = await contactByEmail('hank@globex.example')
    expect(hank).toMatchObject({ name: 'Hank Scorpio', organizationName: 'Globex Corporation' })
    const ticket = await app.ctx.db.selectFrom('tickets').selectAll().where('requesterId', '=', hank.id).executeTakeFirstOrThrow()
    expect(ticket).toMatchObject({ subject: 'Invoice shows the wrong VAT number', status: 'solved', priority: 'high', inboxId })
    expect(Number(ticket.createdAt)).toBe(Date.parse('2021-05-04T08:15:00Z'))
    const dto = (await app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, headers: admin.headers })).json()
    expect(dto.tags.sort()).toEqual(['billing', 'vat'])
    const msgs = (await app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/messages`, headers: admin.headers }))
      .json()
      .items.filter((m: { kind: string }) => m.kind !== 'event')
    expect(msgs.map((m: { kind: string }) => m.kind)).toEqual(['customer', 'note', 'reply', 'customer'])
    expect(msgs[0].html).not.toContain('script')
    expect(msgs[1].email.notes[0]).toMatch(/Written by Zoe Zendesk-Agent/)
    expect(msgs[2].author).toMatchObject({ type: 'user', id: admin.id })
    expect(msgs[3].createdAt).toBe(Date.parse('2021-05-06T16:00:00Z'))
    // Solved elsewhere long ago: no satisfaction survey is scheduled for it.
    expect(await app.ctx.db.selectFrom('csatRequests').select(['status', 'skipReason']).where('ticketId', '=', ticket.id).execute()).toEqual([
      { status: 'skipped', skipReason: 'imported' },
    ])

    const counts = [await count('tickets'), await count('contacts'), await count('organizations'), await count('messages')]
    const again = await importFile(app, admin, 'zendesk', 'zendesk.json', json, {}, inboxId)
    expect(again.counters).toMatchObject({ imported: 0, failed: 2 })
    expect([await count('tickets'), await count('contacts'), await count('organizations'), await count('messages')]).toEqual(counts)
  })

  it('imports a Freshdesk export: companies, contacts, conversations (private → note), numeric status and priority', async () => {
    const json = fs.readFileSync(path.join(FIXTURES, 'freshdesk-export.json'), 'utf8')
    const done = await importFile(app, admin, 'freshdesk', 'freshdesk.json', json, {}, inboxId)
    expect(done.status).toBe('completed')
    expect(done.counters).toMatchObject({ total: 5, failed: 1 })
    expect(done.errors).toEqual([{ row: 4, field: 'email', message: '"not-an-email" is not a valid email address' }])
    const peter = await contactByEmail('pgibbons@home.example')
    expect(peter).toMatchObject({ name: 'Peter Gibbons', organizationName: 'Initech' })
    const ticket = await app.ctx.db.selectFrom('tickets').selectAll().where('requesterId', '=', peter.id).executeTakeFirstOrThrow()
    expect(ticket).toMatchObject({ subject: 'Stapler missing', status: 'solved', priority: 'low' })
    const kinds = await app.ctx.db.selectFrom('messages').select('kind').where('ticketId', '=', ticket.id).where('kind', '!=', 'event').orderBy('id').execute()
    expect(kinds.map((k) => k.kind)).toEqual(['customer', 'reply', 'note', 'customer'])
    const again = await importFile(app, admin, 'freshdesk', 'freshdesk.json', json, {}, inboxId)
    expect(again.counters).toMatchObject({ imported: 0 })
    expect(await app.ctx.db.selectFrom('tickets').select('id').where('requesterId', '=', peter.id).execute()).toHaveLength(1)
  })

  it('reports a broken line of an NDJSON export and goes on with the others', async () => {
    const lines = [
      JSON.stringify({ users: [{ id: 1, name: 'Nd Json', email: 'nd@json.example', role: 'end-user' }] }),
      '{"id": 77, "subject": "broken',
      JSON.stringify({
        id: 78,
        subject: 'Line ticket',
        status: 'open',
        requester_id: 1,
        comments: [{ id: 1, author_id: 1, body: 'Hi from NDJSON', public: true }],
      }),
    ].join('\n')
    const done = await importFile(app, admin, 'zendesk', 'tickets.ndjson', lines, {}, inboxId)
    expect(done.counters).toMatchObject({ total: 3, imported: 2, failed: 1 })
    expect(done.errors[0]).toMatchObject({ row: 2, field: null })
    expect(done.errors[0].message).toMatch(/Not valid JSON/)
  })
})
