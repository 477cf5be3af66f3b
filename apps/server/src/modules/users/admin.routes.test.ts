import { describe, expect, it } from 'vitest'
import { buildTestApp, buildUser, unique } from '../../../test/helpers.ts'

describe('administration', async () => {
  const app = await buildTestApp()
  const owner = await buildUser(app, { role: 'owner' })
  const admin = await buildUser(app, { role: 'admin' })
  const agent = await buildUser(app, { role: 'agent' })
  const lone = await buildTestApp()

  it('creates users and changes roles; only an owner makes owners', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin.headers,
      payload: { email: `${unique('u')}@acme.test`, name: 'Una User', role: 'agent', password: 'a good password' },
    })
    expect(created.statusCode).toBe(201)
    const id = created.json().id
    expect((await app.inject({ method: 'PATCH', url: `/api/v1/users/${id}`, headers: admin.headers, payload: { role: 'owner' } })).statusCode).toBe(403)
    expect((await app.inject({ method: 'PATCH', url: `/api/v1/users/${id}`, headers: owner.headers, payload: { role: 'owner' } })).json().role).toBe('owner')
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/v1/users',
          headers: agent.headers,
          payload: { email: 'x@acme.test', name: 'X', role: 'agent', password: 'a good password' },
        })
      ).statusCode,
    ).toBe(403)
  })

  it('deactivates a user: their sessions end and they cannot sign in', async () => {
    const victim = await buildUser(app, { role: 'agent' })
    const res = await app.inject({ method: 'PATCH', url: `/api/v1/users/${victim.id}`, headers: admin.headers, payload: { isActive: false } })
    expect(res.json().isActive).toBe(false)
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: victim.headers })).statusCode).toBe(401)
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: victim.email, password: victim.password } })).statusCode).toBe(401)
  })

  it('keeps at least one active owner', async () => {
    const onlyOwner = await buildUser(lone, { role: 'owner' })
    const res = await lone.inject({ method: 'PATCH', url: `/api/v1/users/${onlyOwner.id}`, headers: onlyOwner.headers, payload: { role: 'admin' } })
    expect(res.statusCode).toBe(422)
  })

  it('manages teams and their members', async () => {
    const team = await app.inject({ method: 'POST', url: '/api/v1/teams', headers: admin.headers, payload: { name: unique('Billing ') } })
    expect(team.statusCode).toBe(201)
    const id = team.json().id
    const members = await app.inject({ method: 'PUT', url: `/api/v1/teams/${id}/members`, headers: admin.headers, payload: { userIds: [agent.id, admin.id] } })
    expect(members.json().memberIds.sort()).toEqual([agent.id, admin.id].sort())
    expect((await app.inject({ method: 'POST', url: '/api/v1/teams', headers: admin.headers, payload: { name: team.json().name } })).statusCode).toBe(409)
    expect((await app.inject({ method: 'PUT', url: `/api/v1/teams/${id}/members`, headers: admin.headers, payload: { userIds: [999999] } })).statusCode).toBe(
      422,
    )
    const me = (await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: agent.headers })).json()
    expect(me.user.teamIds).toContain(id)
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/teams/${id}`, headers: admin.headers })).statusCode).toBe(200)
  })

  it('configures inboxes including the auto-reply', async () => {
    const inbox = await app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: admin.headers, payload: { name: 'Partners' } })
    expect(inbox.json()).toMatchObject({ name: 'Partners', type: 'api', autoReply: { enabled: false } })
    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/v1/inboxes/${inbox.json().id}`,
      headers: admin.headers,
      payload: { autoReply: { enabled: true, subject: 'We got it', body: 'Thanks for writing.' } },
    })
    // Without a window the inbox acknowledges each sender at most once a day.
    expect(patched.json().autoReply).toEqual({ enabled: true, subject: 'We got it', body: 'Thanks for writing.', onceEveryHours: 24 })
    expect((await app.inject({ method: 'PATCH', url: `/api/v1/inboxes/${inbox.json().id}`, headers: agent.headers, payload: { name: 'x' } })).statusCode).toBe(
      403,
    )
  })

  it('changes workspace settings (admins only)', async () => {
    const res = await app.inject({
      method: 'PATCH',
      url: '/api/v1/settings',
      headers: admin.headers,
      payload: { workspaceName: 'Acme Help', webFormTitle: 'Write to Acme' },
    })
    expect(res.json()).toMatchObject({ workspaceName: 'Acme Help', webFormTitle: 'Write to Acme', webFormEnabled: true })
    expect((await app.inject({ method: 'PATCH', url: '/api/v1/settings', headers: agent.headers, payload: { workspaceName: 'Mine' } })).statusCode).toBe(403)
  })

  it('defines custom fields and validates values against them', async () => {
    const field = await app.inject({
      method: 'POST',
      url: '/api/v1/custom-fields',
      headers: admin.headers,
      payload: { entity: 'ticket', key: 'plan', label: 'Plan', type: 'select', options: ['free', 'pro'] },
    })
    expect(field.statusCode).toBe(201)
    const good = await app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: agent.headers,
      payload: { subject: 'Upgrade', body: 'Please upgrade me', requester: { email: 'p@c.test' }, customFields: { plan: 'pro' } },
    })
    expect(good.json().customFields).toEqual({ plan: 'pro' })
    const bad = await app.inject({
      method: 'PATCH',
      url: `/api/v1/tickets/${good.json().id}`,
      headers: agent.headers,
      payload: { customFields: { plan: 'gold' } },
    })
    expect(bad.statusCode).toBe(422)
    const unknown = await app.inject({
      method: 'PATCH',
      url: `/api/v1/tickets/${good.json().id}`,
      headers: agent.headers,
      payload: { customFields: { nope: 'x' } },
    })
    expect(unknown.statusCode).toBe(422)
    const filtered = (await app.inject({ method: 'GET', url: '/api/v1/tickets?field=plan:pro', headers: agent.headers })).json()
    expect(filtered.items.map((t: { id: number }) => t.id)).toEqual([good.json().id])
  })
})
