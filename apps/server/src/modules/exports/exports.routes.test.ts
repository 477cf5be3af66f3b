import { parse } from 'csv-parse/sync'
import { afterEach, describe, expect, it } from 'vitest'
import { buildTestApp, buildTicket, buildUser, unique } from '../../../test/helpers.ts'
import { connectAgentSocket } from '../../../test/sockets.ts'
import { exportTuning } from './jobs/write-export.ts'

type User = Awaited<ReturnType<typeof buildUser>>

const parseCsv = (body: string): string[][] => parse(body, { relaxColumnCount: false })

describe('exports: tickets and contacts as CSV and JSON', async () => {
  const app = await buildTestApp()
  const admin = await buildUser(app, { role: 'admin', name: 'Ada Admin' })
  const agent = await buildUser(app, { role: 'agent' })
  const tag = unique('exp')
  const hostile = await buildTicket(app, admin, {
    subject: `=HYPERLINK("http://evil.test","${tag}")`,
    requester: { email: `${tag}-1@customer.test`, name: '+Plus, "Quoted" Name' },
    tags: ['billing', 'vip'],
  })
  const plain = await buildTicket(app, admin, { subject: `Plain ${tag}`, requester: { email: `${tag}-2@customer.test`, name: '-Minus' } })
  const third = await buildTicket(app, admin, { subject: `@Third ${tag}`, requester: { email: `${tag}-3@customer.test`, name: 'Third Person' } })
  await app.inject({ method: 'PATCH', url: `/api/v1/tickets/${plain.id}`, headers: admin.headers, payload: { status: 'solved' } })
  afterEach(() => Object.assign(exportTuning, { batch: 2000, batchesPerRun: 25 }))

  const call = (method: 'GET' | 'POST', url: string, as: User = admin, payload?: object) =>
    app.inject({ method, url: `/api/v1${url}`, headers: as.headers, ...(payload ? { payload } : {}) })

  /** Requests an export, runs the job queue to the end and returns the finished export and its file. */
  async function exportOf(payload: object) {
    const res = await call('POST', '/exports', admin, payload)
    expect(res.statusCode, res.body).toBe(202)
    expect(res.json()).toMatchObject({ status: 'queued', rowCount: 0, requestedBy: { id: admin.id, name: 'Ada Admin' } })
    const id = res.json().id as number
    expect((await call('GET', `/exports/${id}/download`)).statusCode).toBe(409)
    while ((await app.ctx.jobs.runDue()) > 0);
    const done = (await call('GET', `/exports/${id}`)).json()
    expect(done.status).toBe('done')
    const file = await call('GET', `/exports/${id}/download`)
    expect(file.statusCode).toBe(200)
    expect(Number(file.headers['content-length'])).toBe(done.size)
    expect(file.headers['content-disposition']).toBe(`attachment; filename="${done.fileName}"`)
    return { export: done, file }
  }

  it('writes tickets as CSV with every text cell safe from formula injection', async () => {
    const { export: done, file } = await exportOf({ kind: 'tickets', format: 'csv' })
    expect(file.headers['content-type']).toContain('text/csv')
    const rows = parseCsv(file.body)
    const header = rows[0]!
    expect(header.slice(0, 9)).toEqual(['id', 'subject', 'status', 'priority', 'inbox_id', 'inbox', 'requester_id', 'requester_name', 'requester_email'])
    expect(rows).toHaveLength(done.rowCount + 1)
    expect(done.totalEstimate).toBe(done.rowCount)
    const byId = (id: number) => Object.fromEntries(header.map((h, i) => [h, rows.find((r) => r[0] === String(id))![i]]))
    expect(byId(hostile.id)).toMatchObject({
      subject: `'=HYPERLINK("http://evil.test","${tag}")`,
      requester_name: `'+Plus, "Quoted" Name`,
      requester_email: `${tag}-1@customer.test`,
      tags: 'billing, vip',
      status: 'new',
    })
    expect(byId(plain.id)).toMatchObject({ subject: `Plain ${tag}`, requester_name: "'-Minus", status: 'solved' })
    expect(byId(third.id).subject).toBe(`'@Third ${tag}`)
    expect(byId(plain.id).created_at).toMatch(/^\d{4}-\d\d-\d\dT/)
  })

  it('writes tickets as JSON across batches and job runs, filtered by status and date', async () => {
    Object.assign(exportTuning, { batch: 1, batchesPerRun: 2 })
    const all = await exportOf({ kind: 'tickets', format: 'json' })
    const rows = JSON.parse(all.file.body) as Record<string, unknown>[]
    expect(rows.map((r) => r.id)).toEqual([...rows.map((r) => r.id as number)].sort((a, b) => a - b))
    expect(rows.length).toBe(all.export.rowCount)
    expect(rows.find((r) => r.id === hostile.id)).toMatchObject({
      subject: `=HYPERLINK("http://evil.test","${tag}")`,
      tags: ['billing', 'vip'],
      requester_name: '+Plus, "Quoted" Name',
    })

    const solved = await exportOf({ kind: 'tickets', format: 'json', filters: { status: ['solved'] } })
    expect(JSON.parse(solved.file.body).map((r: { id: number }) => r.id)).toEqual([plain.id])
    expect(solved.export.filters).toEqual({ status: ['solved'] })

    const none = await exportOf({ kind: 'tickets', format: 'json', filters: { createdFrom: 0, createdTo: 1 } })
    expect(JSON.parse(none.file.body)).toEqual([])
    expect(none.export.rowCount).toBe(0)
  })

  it('writes contacts as CSV and JSON', async () => {
    const csv = await exportOf({ kind: 'contacts', format: 'csv' })
    const rows = parseCsv(csv.file.body)
    expect(rows[0]).toEqual(['id', 'name', 'emails', 'organization_id', 'organization', 'vip', 'notes', 'ticket_count', 'created_at', 'updated_at'])
    const row = rows.find((r) => r[2] === `${tag}-1@customer.test`)!
    expect(row[1]).toBe(`'+Plus, "Quoted" Name`)
    expect(row[7]).toBe('1')
    const json = await exportOf({ kind: 'contacts', format: 'json' })
    const contacts = JSON.parse(json.file.body) as Record<string, unknown>[]
    expect(contacts.find((c) => c.id === hostile.requester.id)).toMatchObject({
      name: '+Plus, "Quoted" Name',
      emails: [`${tag}-1@customer.test`],
      ticket_count: 1,
      vip: false,
    })
  })

  it('lists exports newest first and audits who exported and downloaded what', async () => {
    const list = (await call('GET', '/exports?limit=2')).json()
    expect(list.items).toHaveLength(2)
    expect(list.items[0].id).toBeGreaterThan(list.items[1].id)
    const next = (await call('GET', `/exports?limit=2&cursor=${list.nextCursor}`)).json()
    expect(next.items[0].id).toBeLessThan(list.items[1].id)
    const audit = (await call('GET', `/audit?targetType=export&targetId=${list.items[0].id}`)).json().items.map((e: { action: string }) => e.action)
    expect(audit).toEqual(['export.downloaded', 'export.created'])
  })

  it('pushes progress to open export pages over the websocket (admins only), ending with the finished export', async () => {
    const base = await app.listen({ port: 0, host: '127.0.0.1' })
    const live = await connectAgentSocket(base, admin.headers)
    const outsider = await connectAgentSocket(base, agent.headers)
    expect(await live.join('exports')).toMatchObject({ type: 'subscribed', room: 'exports' })
    expect((await outsider.join('exports')).type).toBe('error')
    Object.assign(exportTuning, { batch: 1, batchesPerRun: 2 })
    const id = (await call('POST', '/exports', admin, { kind: 'tickets', format: 'json', filters: { createdFrom: hostile.createdAt } })).json().id as number
    while ((await app.ctx.jobs.runDue()) > 0);
    const done = (await call('GET', `/exports/${id}`)).json()
    expect(done).toMatchObject({ status: 'done', rowCount: 3 })
    await live.event('export.changed', (p) => p.exportId === id && p.status === 'done')
    const mine = live.events('export.changed').filter((e) => e.payload.exportId === id)
    expect(mine[0]!.payload).toMatchObject({ status: 'running', rowCount: 0, totalEstimate: 3 })
    // One event per part written: the row count only grows, and the last event is the finished export.
    const counts = mine.map((e) => e.payload.rowCount as number)
    expect(counts).toEqual([...counts].sort((a, b) => a - b))
    expect(counts).toEqual(expect.arrayContaining([1, 2, 3]))
    expect(mine.at(-1)!.payload).toEqual({ exportId: id, status: 'done', rowCount: 3, totalEstimate: 3 })
    expect(outsider.events('export.changed')).toEqual([])
    live.ws.close()
    outsider.ws.close()
  })

  it('refuses bad requests and everyone but admins', async () => {
    expect((await call('POST', '/exports', admin, { kind: 'users', format: 'csv' })).statusCode).toBe(400)
    expect((await call('POST', '/exports', admin, { kind: 'tickets', format: 'xlsx' })).statusCode).toBe(400)
    expect((await call('POST', '/exports', admin, { kind: 'tickets', format: 'csv', filters: { createdFrom: 5, createdTo: 5 } })).statusCode).toBe(400)
    expect((await call('GET', '/exports/999999')).statusCode).toBe(404)
    const some = (await call('GET', '/exports')).json().items[0].id
    for (const [method, url] of [
      ['POST', '/exports'],
      ['GET', '/exports'],
      ['GET', `/exports/${some}`],
      ['GET', `/exports/${some}/download`],
    ] as const)
      expect((await call(method, url, agent, method === 'POST' ? { kind: 'tickets', format: 'csv' } : undefined)).statusCode).toBe(403)
  })
})
