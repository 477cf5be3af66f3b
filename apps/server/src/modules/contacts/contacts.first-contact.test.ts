import { describe, expect, it } from 'vitest'
import { buildTeam, buildTestApp, buildUser, unique } from '../../../test/helpers.ts'

describe('first contact from a new address', async () => {
  const app = await buildTestApp()
  const agent = await buildUser(app, { role: 'agent' })
  const team = await buildTeam(app)

  it('creates one contact when several requests from the same new person arrive at once', async () => {
    const email = `${unique('new')}@customer.example`
    const name = unique('New Person')
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        app.inject({
          method: 'POST',
          url: '/api/v1/tickets',
          headers: agent.headers,
          payload: { subject: `Question ${i}`, body: 'Hello', teamId: team, requester: { email, name } },
        }),
      ),
    )
    expect(results.map((r) => r.statusCode)).toEqual(Array(8).fill(201))
    const requesters = new Set(results.map((r) => r.json().requester.id))
    expect(requesters.size).toBe(1)
    const identities = await app.ctx.db.selectFrom('contactIdentities').select('contactId').where('value', '=', email).execute()
    expect(identities).toHaveLength(1)
    // A creation that lost the race leaves no contact behind.
    const contacts = await app.ctx.db.selectFrom('contacts').select('id').where('name', '=', name).execute()
    expect(contacts.map((c) => c.id)).toEqual([identities[0]!.contactId])
  })
})
