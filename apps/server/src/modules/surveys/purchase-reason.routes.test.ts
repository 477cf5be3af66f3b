import type { PurchaseReasonSummaryDto } from '@allhands/contract'
import { describe, expect, it } from 'vitest'
import { startSmtpSink } from '../../../test/email-peers.ts'
import { buildTestApp, buildUser, unique } from '../../../test/helpers.ts'

describe('"why did you buy?" survey', async () => {
  const sink = await startSmtpSink()
  const app = await buildTestApp({ SMTP_URL: sink.url, PUBLIC_URL: 'https://help.acme.test' })
  const admin = await buildUser(app, { role: 'admin' })
  const agent = await buildUser(app, { role: 'agent' })
  const token = (await app.inject({ method: 'POST', url: '/api/v1/tokens', headers: agent.headers, payload: { name: 'shop' } })).json().token as string
  const shop = { authorization: `Bearer ${token}` }
  const email = `${unique('buyer')}@customer.test`
  const invite = (payload: unknown) => app.inject({ method: 'POST', url: '/api/v1/surveys/purchase-reason', headers: shop, payload: payload as object })

  let contactId = 0

  it('invites once per contact and order, creating the contact on first purchase', async () => {
    const first = await invite({ contact: { email, name: 'Bea Buyer' }, orderRef: 'ORD-1' })
    expect(first.statusCode).toBe(202)
    expect(first.json()).toMatchObject({ status: 'queued', orderRef: 'ORD-1', contact: { name: 'Bea Buyer' } })
    contactId = first.json().contact.id
    const again = await invite({ contact: { email }, orderRef: 'ORD-1' })
    expect(again.json().id).toBe(first.json().id)
    const byId = await invite({ contact: { id: contactId }, orderRef: 'ORD-2' })
    expect(byId.json().id).not.toBe(first.json().id)
    expect(byId.json().contact.id).toBe(contactId)
    expect((await invite({ contact: { id: 999_999 } })).statusCode).toBe(404)
    expect((await invite({ contact: { email: 'not an email' } })).statusCode).toBe(400)

    await app.ctx.jobs.runDue()
    await sink.waitFor(2)
    expect(sink.received.every((m) => m.rcpt.includes(email))).toBe(true)
    expect(sink.received).toHaveLength(2)
    await invite({ contact: { email }, orderRef: 'ORD-1' })
    await app.ctx.jobs.runDue()
    expect(sink.received).toHaveLength(2)
  })

  it('stores the answer on the contact profile and aggregates reasons', async () => {
    const link = /https:\/\/help\.acme\.test\/s\/(sv_[A-Za-z0-9_-]+)/.exec(sink.received[0]!.parsed.text!)![1]!
    const page = await app.inject({ method: 'GET', url: `/s/${link}` })
    expect(page.body).toContain('What made you choose us?')
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/public/surveys/responses/${link}`,
      payload: { answers: { reasons: ['The price', 'Your support reputation'], details: 'Friends said <you> answer fast' } },
    })
    expect(res.statusCode).toBe(201)

    const byLink = await app.inject({ method: 'GET', url: '/s/why-you-bought' })
    expect(byLink.statusCode).toBe(200)
    const anonymous = await app.inject({
      method: 'POST',
      url: '/api/v1/public/surveys/responses/why-you-bought',
      payload: { answers: { reasons: 'The price' } },
    })
    expect(anonymous.statusCode).toBe(201)

    const profile = await app.inject({ method: 'GET', url: `/api/v1/contacts/${contactId}/purchase-reasons`, headers: agent.headers })
    expect(profile.json().items).toEqual([
      expect.objectContaining({
        orderRef: expect.stringMatching(/^ORD-/),
        reasons: ['The price', 'Your support reputation'],
        text: 'Friends said <you> answer fast',
      }),
    ])
    const summary: PurchaseReasonSummaryDto = (
      await app.inject({ method: 'GET', url: '/api/v1/surveys/purchase-reason/summary', headers: agent.headers })
    ).json()
    expect(summary.responses).toBe(2)
    expect(summary.reasons.find((r) => r.category === 'The price')?.count).toBe(2)
    expect(summary.reasons.find((r) => r.category === 'Your support reputation')?.count).toBe(1)
    expect(summary.latest).toHaveLength(2)
  })

  it('lets admins change the categories, keeping retired answers in the counts', async () => {
    const body = { categories: ['Price', 'Recommendation', 'Other'] }
    expect((await app.inject({ method: 'PUT', url: '/api/v1/surveys/purchase-reason/categories', headers: agent.headers, payload: body })).statusCode).toBe(403)
    const res = await app.inject({ method: 'PUT', url: '/api/v1/surveys/purchase-reason/categories', headers: admin.headers, payload: body })
    expect(res.statusCode).toBe(200)
    const summary: PurchaseReasonSummaryDto = res.json()
    expect(summary.reasons.map((r) => r.category)).toEqual(['Price', 'Recommendation', 'Other', 'The price', 'Your support reputation'])
    const patch = await app.inject({
      method: 'PATCH',
      url: `/api/v1/surveys/${summary.survey.id}`,
      headers: admin.headers,
      payload: { questions: [{ id: 'x', kind: 'text', label: 'X', required: false }] },
    })
    expect(patch.statusCode).toBe(422)
  })
})
