import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildTestApp, buildTicket, buildUser } from './helpers.ts'

/** Hundreds of generated hostile requests: none may produce a 5xx or damage what is stored. */
describe('bad input never breaks the server', async () => {
  const app = await buildTestApp()
  const agent = await buildUser(app, { role: 'admin' })
  const ticket = await buildTicket(app, agent)
  const before = (await app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/messages`, headers: agent.headers })).json()

  const targets: { method: 'POST' | 'PATCH' | 'PUT' | 'GET'; url: string }[] = [
    { method: 'POST', url: '/api/v1/tickets' },
    { method: 'PATCH', url: `/api/v1/tickets/${ticket.id}` },
    { method: 'POST', url: `/api/v1/tickets/${ticket.id}/replies` },
    { method: 'POST', url: `/api/v1/tickets/${ticket.id}/notes` },
    { method: 'POST', url: `/api/v1/tickets/${ticket.id}/merge` },
    { method: 'POST', url: '/api/v1/tickets/bulk' },
    { method: 'POST', url: '/api/v1/contacts' },
    { method: 'POST', url: '/api/v1/organizations' },
    { method: 'POST', url: '/api/v1/views' },
    { method: 'POST', url: '/api/v1/users' },
    { method: 'POST', url: '/api/v1/teams' },
    { method: 'PUT', url: '/api/v1/teams/1/members' },
    { method: 'POST', url: '/api/v1/custom-fields' },
    { method: 'PATCH', url: '/api/v1/settings' },
    { method: 'POST', url: '/api/v1/auth/login' },
    { method: 'POST', url: '/api/v1/public/form' },
  ]
  const value = fc.letrec((tie) => ({
    any: fc.oneof(
      { depthSize: 'small' },
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('any'), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 12 }), tie('any'), { maxKeys: 4 }),
    ),
  })).any
  const knownKeys = [
    'subject',
    'body',
    'requester',
    'requesterId',
    'status',
    'priority',
    'tags',
    'assigneeId',
    'teamId',
    'customFields',
    'baseMessageId',
    'intoTicketId',
    'ticketIds',
    'changes',
    'name',
    'emails',
    'filters',
    'email',
    'password',
    'role',
    'userIds',
    'key',
    'type',
    'entity',
    'options',
    'workspaceName',
    'message',
    'attachmentIds',
    'domain',
  ]
  const payload = fc.oneof(fc.dictionary(fc.constantFrom(...knownKeys), value, { maxKeys: 6 }), value)

  it('answers every generated payload with a 2xx or a clear 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), payload, async (target, body) => {
        const res = await app.inject({
          method: target.method,
          url: target.url,
          headers: { ...agent.headers, 'content-type': 'application/json' },
          payload: JSON.stringify(body),
        })
        expect(res.statusCode, `${target.method} ${target.url} ${JSON.stringify(body)} → ${res.body}`).toBeLessThan(500)
        if (res.statusCode >= 400) expect(res.json().error.message).toEqual(expect.any(String))
      }),
      { numRuns: 300 },
    )
  })

  it('answers garbage query strings and ids with 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 40 }),
        fc.constantFrom('status', 'assignee', 'team', 'inbox', 'priority', 'cursor', 'field', 'view', 'q', 'createdFrom', 'limit'),
        async (raw, key) => {
          const res = await app.inject({ method: 'GET', url: `/api/v1/tickets?${key}=${encodeURIComponent(raw)}`, headers: agent.headers })
          expect(res.statusCode, `${key}=${raw} → ${res.body}`).toBeLessThan(500)
          const byId = await app.inject({ method: 'GET', url: `/api/v1/tickets/${encodeURIComponent(raw)}`, headers: agent.headers })
          expect(byId.statusCode).toBeLessThan(500)
        },
      ),
      { numRuns: 150 },
    )
  })

  it('refuses malformed JSON with 400', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: { ...agent.headers, 'content-type': 'application/json' },
      payload: '{"subject": "x",',
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.code).toBe('bad_request')
  })

  it('names the invalid field in schema errors', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: agent.headers,
      payload: { subject: 'x', body: 'y', priority: 'extreme', requester: { email: 'a@b.test' } },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({ code: 'validation_failed', details: [expect.objectContaining({ path: '/priority' })] })
  })

  it('keeps the stored conversation intact', async () => {
    const after = (await app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/messages`, headers: agent.headers })).json()
    const customerMessages = (m: { items: { kind: string }[] }) => m.items.filter((x) => x.kind === 'customer')
    expect(customerMessages(after)).toEqual(customerMessages(before))
    expect((await app.inject({ method: 'GET', url: '/api/v1/health' })).json().db).toBe(true)
  })
})
