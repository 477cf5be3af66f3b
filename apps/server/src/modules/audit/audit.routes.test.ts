import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { buildTestApp, buildUser, unique } from '../../../test/helpers.ts'
import { recordAudit } from '../../platform/audit.ts'
import { advanceClock, now, resetClock } from '../../platform/clock.ts'

type User = Awaited<ReturnType<typeof buildUser>>

describe('audit log: request IP, append-only, search and export', async () => {
  const app = await buildTestApp()
  const db = app.ctx.db
  const admin = await buildUser(app, { role: 'admin', name: 'Ada Auditor' })
  const agent = await buildUser(app, { role: 'agent' })
  afterAll(() => resetClock())

  const get = (url: string, as: User = admin) => app.inject({ method: 'GET', url: `/api/v1${url}`, headers: as.headers })
  const search = async (query: string) => {
    const res = await get(`/audit?${query}`)
    expect(res.statusCode, res.body).toBe(200)
    return res.json() as { items: Record<string, any>[]; nextCursor: string | null }
  }

  it('records the IP and user agent of the request that made the change, and none for work outside a request', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/exports',
      headers: { ...admin.headers, 'x-forwarded-for': '198.51.100.23', 'user-agent': 'AuditTest/1.0' },
      payload: { kind: 'contacts', format: 'csv' },
    })
    expect(res.statusCode, res.body).toBe(202)
    const [entry] = (await search(`action=export.created&targetId=${res.json().id}`)).items
    expect(entry).toMatchObject({ action: 'export.created', ip: '198.51.100.23', userAgent: 'AuditTest/1.0', actor: { id: admin.id, name: 'Ada Auditor' } })

    const direct = await app.inject({
      method: 'GET',
      url: '/api/v1/audit/export?format=json&action=nothing.',
      headers: admin.headers,
      remoteAddress: '203.0.113.5',
    })
    expect(direct.statusCode).toBe(200)
    const [exported] = (await search('action=audit.exported')).items
    expect(exported).toMatchObject({ ip: '203.0.113.5', data: { format: 'json', filters: { action: 'nothing.' } } })

    await recordAudit(db, { actorId: null, action: 'job.did_something', targetType: 'job', targetId: null })
    const [fromJob] = (await search('action=job.did_something')).items
    expect(fromJob).toMatchObject({ ip: null, userAgent: null, actor: null })
  })

  it('refuses UPDATE and DELETE on the audit table itself', async () => {
    await recordAudit(db, { actorId: admin.id, action: 'test.append_only', targetType: 'test', targetId: 1 })
    await expect(sql`UPDATE audit_log SET action = 'test.rewritten' WHERE action = 'test.append_only'`.execute(db)).rejects.toThrow(/append-only/)
    await expect(sql`DELETE FROM audit_log WHERE action = 'test.append_only'`.execute(db)).rejects.toThrow(/append-only/)
    await expect(db.deleteFrom('auditLog').execute()).rejects.toThrow(/append-only/)
    expect((await search('action=test.append_only')).items).toHaveLength(1)
    expect((await search('action=test.rewritten')).items).toHaveLength(0)
  })

  it('filters by actor, action prefix, target, IP, date range and free text, with cursor paging', async () => {
    const tag = unique('case')
    const other = await buildUser(app, { role: 'admin' })
    const start = now()
    await recordAudit(db, { actorId: admin.id, action: `${tag}.opened`, targetType: 'widget', targetId: 7, data: { note: 'Blue sky' } })
    advanceClock(60_000)
    const middle = now()
    await recordAudit(db, { actorId: other.id, action: `${tag}.closed`, targetType: 'widget', targetId: 8, data: { note: 'green grass' } })
    advanceClock(60_000)
    await recordAudit(db, { actorId: admin.id, action: `${tag}.closed`, targetType: 'gadget', targetId: 7, data: { reason: '100%_sure' } })

    const actions = (items: Record<string, any>[]) => items.map((e) => `${e.action.slice(tag.length)}:${e.targetType}`)
    expect(actions((await search(`action=${tag}.`)).items)).toEqual(['.closed:gadget', '.closed:widget', '.opened:widget'])
    expect(actions((await search(`action=${tag}.clo`)).items)).toEqual(['.closed:gadget', '.closed:widget'])
    expect(actions((await search(`action=${tag}&actorId=${other.id}`)).items)).toEqual(['.closed:widget'])
    expect(actions((await search(`action=${tag}&targetType=widget&targetId=7`)).items)).toEqual(['.opened:widget'])
    expect(actions((await search(`action=${tag}&from=${middle}`)).items)).toEqual(['.closed:gadget', '.closed:widget'])
    expect(actions((await search(`action=${tag}&from=${start}&to=${middle}`)).items)).toEqual(['.opened:widget'])
    expect(actions((await search(`action=${tag}&q=GREEN`)).items)).toEqual(['.closed:widget'])
    // Shorter than a trigram: still found.
    expect(actions((await search(`action=${tag}&q=Sk`)).items)).toEqual(['.opened:widget'])
    // LIKE wildcards in the text match literally.
    expect(actions((await search(`action=${tag}&q=0%25_s`)).items)).toEqual(['.closed:gadget'])
    expect(actions((await search(`action=${tag}&q=0%25%25`)).items)).toEqual([])
    expect((await search(`q=${tag}.opened`)).items).toHaveLength(1)

    const first = await search(`action=${tag}&limit=2`)
    expect(first.items).toHaveLength(2)
    const second = await search(`action=${tag}&limit=2&cursor=${first.nextCursor}`)
    expect(actions(second.items)).toEqual(['.opened:widget'])
    expect(second.nextCursor).toBeNull()

    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/exports',
      headers: { ...admin.headers },
      remoteAddress: '192.0.2.44',
      payload: { kind: 'tickets', format: 'json' },
    })
    expect(res.statusCode).toBe(202)
    expect((await search('ip=192.0.2.44')).items.map((e) => e.action)).toEqual(['export.created'])

    expect((await get(`/audit?from=${middle}&to=${start}`)).statusCode).toBe(400)
    // The earlier path answers the same search.
    expect((await get(`/audit-log?action=${tag}.opened`)).json().items).toHaveLength(1)
  })

  it('exports the filtered entries as CSV (formula-safe) and JSON, and audits the export', async () => {
    const tag = unique('exp')
    await recordAudit(db, {
      actorId: admin.id,
      action: `${tag}.one`,
      targetType: '=HYPERLINK("http://evil.test")',
      targetId: 3,
      data: { said: 'hello, "world"' },
    })
    await recordAudit(db, { actorId: null, action: `${tag}.two`, targetType: '@sum', targetId: null })
    const csv = await app.inject({ method: 'GET', url: `/api/v1/audit/export?format=csv&action=${tag}`, headers: admin.headers })
    expect(csv.statusCode).toBe(200)
    expect(csv.headers['content-type']).toContain('text/csv')
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="allhands-audit-.*\.csv"/)
    const lines = csv.body.trimEnd().split('\r\n')
    expect(lines[0]).toBe('id,created_at,actor_id,actor_name,action,target_type,target_id,ip,user_agent,data')
    expect(lines).toHaveLength(3)
    expect(lines[1]).toContain(`,${tag}.two,'@sum,,`)
    expect(lines[2]).toContain(`,Ada Auditor,${tag}.one,"'=HYPERLINK(""http://evil.test"")",3,`)
    expect(lines[2]).toContain('"{""said"":""hello, \\""world\\""""}"')

    const json = await app.inject({ method: 'GET', url: `/api/v1/audit/export?format=json&action=${tag}`, headers: admin.headers })
    expect(json.statusCode).toBe(200)
    const entries = JSON.parse(json.body)
    expect(entries.map((e: { action: string }) => e.action)).toEqual([`${tag}.two`, `${tag}.one`])
    expect(entries[1]).toMatchObject({ targetId: 3, data: { said: 'hello, "world"' }, actor: { id: admin.id } })

    const audits = (await search('action=audit.exported')).items
    expect(audits[0]).toMatchObject({ actor: { id: admin.id }, data: { format: 'json', filters: { action: tag } } })
    expect(audits[1]).toMatchObject({ data: { format: 'csv' } })
  })

  it('is for admins and owners only', async () => {
    for (const url of ['/audit', '/audit-log', '/audit/export?format=csv']) expect((await get(url, agent)).statusCode).toBe(403)
    expect((await app.inject({ method: 'GET', url: '/api/v1/audit' })).statusCode).toBe(401)
  })
})
