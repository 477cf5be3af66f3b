import { afterEach, describe, expect, it } from 'vitest'
import { buildTeam, buildTestApp, buildTicket, buildUser, putOnShift, setParticipation } from '../../../test/helpers.ts'
import { findActiveActor } from '../users/users.queries.ts'
import { advanceClock, resetClock } from '../../platform/clock.ts'
import { mayJoinFeatureRoom } from '../../platform/realtime.ts'

type User = Awaited<ReturnType<typeof buildUser>>

const upload = (name: string, content: string) => {
  const boundary = 'b0undary'
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/plain\r\n\r\n`)
  return {
    payload: Buffer.concat([head, Buffer.from(content), Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  }
}

describe('reviews: held replies, decisions and automatic promotion', async () => {
  const app = await buildTestApp()
  const team = await buildTeam(app)
  const admin = await buildUser(app, { role: 'admin', name: 'Ada Admin' })
  const reviewer = await buildUser(app, { role: 'agent', name: 'Rita Reviewer' })
  const secondReviewer = await buildUser(app, { role: 'agent', name: 'Sam Second' })
  afterEach(() => resetClock())

  /** A contributor of the team, on shift, in review (the default for contributors). */
  async function contributor(name = 'Cora Contributor') {
    const user = await buildUser(app, { role: 'contributor', teamIds: [team], name })
    await putOnShift(app, user.id, { ms: 24 * 3600_000 })
    return user
  }
  const ticketFor = (overrides: Record<string, unknown> = {}) =>
    buildTicket(app, admin, {
      teamId: team,
      subject: 'Where do I change my avatar',
      body: 'Hello, where is the setting for my profile picture?',
      ...overrides,
    })
  const get = (url: string, as: User) => app.inject({ method: 'GET', url: `/api/v1${url}`, headers: as.headers })
  const post = (url: string, as: User, payload?: object) =>
    app.inject({ method: 'POST', url: `/api/v1${url}`, headers: as.headers, ...(payload ? { payload } : {}) })
  const messages = async (ticketId: number) =>
    (await get(`/tickets/${ticketId}/messages`, admin)).json().items as {
      kind: string
      text: string
      html: string
      author: { id: number }
      attachments: unknown[]
    }[]

  async function hold(author: User, ticketId: number, body = 'Hi! Go to Settings, then Profile, then click your picture to change it.', extra: object = {}) {
    const res = await post(`/tickets/${ticketId}/replies`, author, { body, ...extra })
    expect(res.statusCode, res.body).toBe(202)
    expect(res.json().status).toBe('pending_review')
    return res.json().review as { id: number }
  }

  it('sends an approved reply as its author and shows who reviewed it', async () => {
    const cora = await contributor()
    const ticket = await ticketFor()
    const review = await hold(cora, ticket.id, 'Hi! Go to Settings, then Profile.', { status: 'pending' })
    expect((await messages(ticket.id)).filter((m) => m.kind === 'reply')).toHaveLength(0)

    const queue = (await get('/reviews', reviewer)).json()
    const item = queue.items.find((r: { id: number }) => r.id === review.id)
    expect(item).toMatchObject({ status: 'pending', author: { id: cora.id }, canDecide: true, canWithdraw: false, overdue: false })
    expect(item.dueAt).toBe(item.createdAt + 60 * 60_000)

    const res = await post(`/reviews/${review.id}/approve`, reviewer)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ status: 'approved', reviewer: { id: reviewer.id, name: 'Rita Reviewer' }, diff: null, editRatio: 0 })
    const replies = (await messages(ticket.id)).filter((m) => m.kind === 'reply')
    expect(replies).toHaveLength(1)
    expect(replies[0]).toMatchObject({ author: { id: cora.id }, text: 'Hi! Go to Settings, then Profile.' })
    expect(res.json().messageId).toBe((replies[0] as unknown as { id: number }).id)
    expect((await get(`/tickets/${ticket.id}`, admin)).json().status).toBe('pending')

    // The badge: the ticket's reviews show the approval to anyone who can see the ticket.
    const other = await contributor('Otto Other')
    const onTicket = (await get(`/reviews?ticketId=${ticket.id}`, other)).json().items
    expect(onTicket).toEqual([expect.objectContaining({ id: review.id, status: 'approved', reviewer: { id: reviewer.id, name: 'Rita Reviewer' } })])
    const notes = (await get('/notifications', cora)).json().items
    expect(notes[0]).toMatchObject({ kind: 'review.approved', ticketId: ticket.id })
    const audit = (await get('/audit-log?action=review.approved', admin)).json().items
    expect(audit[0]).toMatchObject({ targetType: 'reply_review', targetId: review.id, actor: { id: reviewer.id } })
  })

  it('keeps the edit and its word diff when a reviewer edits before approving', async () => {
    const cora = await contributor()
    const ticket = await ticketFor()
    const review = await hold(cora, ticket.id, 'Hello, go to Settings and click Profile.')
    const res = await post(`/reviews/${review.id}/approve`, reviewer, { html: '<p>Hello, go to <b>Settings</b> and click your Profile picture.</p>' })
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json()
    expect(body.finalHtml).toBe('<p>Hello, go to <b>Settings</b> and click your Profile picture.</p>')
    expect(body.html).toContain('Hello, go to Settings and click Profile.')
    expect(body.diff).toEqual(
      expect.arrayContaining([
        { op: 'insert', text: expect.stringContaining('your') },
        { op: 'insert', text: expect.stringContaining('picture') },
      ]),
    )
    expect(body.editRatio).toBeGreaterThan(0)
    expect(body.editRatio).toBeLessThan(0.5)
    const [sent] = (await messages(ticket.id)).filter((m) => m.kind === 'reply')
    expect(sent!.html).toContain('<b>Settings</b>')
    expect(sent!.author.id).toBe(cora.id)
    // Read again later: the diff is computed from what was kept.
    expect((await get(`/reviews/${review.id}`, cora)).json().diff).toEqual(body.diff)
  })

  it('returns a rejected reply to its author with feedback and sends nothing', async () => {
    const cora = await contributor()
    const ticket = await ticketFor()
    const review = await hold(cora, ticket.id, 'Not my problem, ask someone else.')
    expect((await post(`/reviews/${review.id}/reject`, reviewer, { feedback: '' })).statusCode).toBe(400)
    const blank = await post(`/reviews/${review.id}/reject`, reviewer, { feedback: '   ' })
    expect(blank.statusCode).toBe(422)
    const res = await post(`/reviews/${review.id}/reject`, reviewer, { feedback: 'Own the problem: say what you will do next.' })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ status: 'rejected', messageId: null })
    expect((await messages(ticket.id)).filter((m) => m.kind === 'reply')).toHaveLength(0)
    const mine = (await get('/reviews?author=me', cora)).json().items
    expect(mine).toEqual([expect.objectContaining({ id: review.id, status: 'rejected', feedback: 'Own the problem: say what you will do next.' })])
    expect((await get('/notifications', cora)).json().items[0]).toMatchObject({ kind: 'review.rejected' })
    expect((await get('/reviews/summary', cora)).json().mine).toEqual({ pending: 0, approved: 0, rejected: 1 })
  })

  it('refuses self-review, contributors, a second decision and withdrawal by others', async () => {
    const cora = await contributor()
    const colleague = await contributor('Colin Colleague')
    const ticket = await ticketFor()
    const review = await hold(cora, ticket.id)

    const byContributor = await post(`/reviews/${review.id}/approve`, colleague)
    expect(byContributor.statusCode).toBe(403)
    expect((await get(`/reviews/${review.id}`, colleague)).statusCode).toBe(403)
    expect((await get('/reviews', cora)).statusCode).toBe(403)
    expect((await post(`/reviews/${review.id}/withdraw`, reviewer)).statusCode).toBe(403)
    const trusted = await buildUser(app, { role: 'agent' })
    await setParticipation(app, trusted.id, { trustLevel: 'trusted' })
    const byTrusted = await post(`/reviews/${review.id}/approve`, trusted)
    expect(byTrusted.statusCode).toBe(403)
    expect(byTrusted.json().error.message).toMatch(/full trust/)

    expect((await post(`/reviews/${review.id}/approve`, reviewer)).statusCode).toBe(200)
    const twice = await post(`/reviews/${review.id}/approve`, secondReviewer)
    expect(twice.statusCode).toBe(409)
    expect((await post(`/reviews/${review.id}/reject`, secondReviewer, { feedback: 'Late' })).statusCode).toBe(409)
    expect((await post(`/reviews/${review.id}/withdraw`, cora)).statusCode).toBe(409)
    expect((await messages(ticket.id)).filter((m) => m.kind === 'reply')).toHaveLength(1)

    // An agent put in review holds a reply; back at full trust they still may not approve their own.
    const newHire = await buildUser(app, { role: 'agent', name: 'Nia New' })
    await setParticipation(app, newHire.id, { trustLevel: 'reviewed' })
    const own = await hold(newHire, ticket.id, 'Thanks for waiting, here is how.')
    await setParticipation(app, newHire.id, { trustLevel: 'agent' })
    const self = await post(`/reviews/${own.id}/approve`, newHire)
    expect(self.statusCode).toBe(403)
    expect(self.json().error.message).toMatch(/your own reply/)

    // The author withdraws; nobody can approve it afterwards.
    const third = await hold(cora, ticket.id, 'One more thing.')
    const withdrawn = await post(`/reviews/${third.id}/withdraw`, cora)
    expect(withdrawn.statusCode).toBe(200)
    expect(withdrawn.json().status).toBe('withdrawn')
    expect((await post(`/reviews/${third.id}/approve`, reviewer)).statusCode).toBe(409)
    expect((await post('/reviews/999999/approve', reviewer)).statusCode).toBe(404)
  })

  it('refuses a reviewer who is not cleared for the ticket', async () => {
    const cora = await contributor()
    await setParticipation(app, cora.id, { clearance: 'high' })
    const ticket = await ticketFor()
    await app.ctx.db.updateTable('tickets').set({ riskLevel: 'high' }).where('id', '=', ticket.id).execute()
    const review = await hold(cora, ticket.id)
    const junior = await buildUser(app, { role: 'agent' })
    await setParticipation(app, junior.id, { clearance: 'low' })
    const res = await post(`/reviews/${review.id}/approve`, junior)
    expect(res.statusCode).toBe(403)
    expect(res.json().error.message).toMatch(/above your clearance/)
    expect((await get('/reviews', junior)).json().items.find((r: { id: number }) => r.id === review.id).canDecide).toBe(false)
    expect((await post(`/reviews/${review.id}/approve`, reviewer)).statusCode).toBe(200)
  })

  it('sends once when two reviewers approve at the same moment', async () => {
    const cora = await contributor()
    const ticket = await ticketFor()
    const review = await hold(cora, ticket.id, 'Concurrent answer.')
    const results = await Promise.all([post(`/reviews/${review.id}/approve`, reviewer), post(`/reviews/${review.id}/approve`, secondReviewer)])
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409])
    expect((await messages(ticket.id)).filter((m) => m.kind === 'reply')).toHaveLength(1)
  })

  it('keeps held attachments for the reviewer and sends them on approval', async () => {
    const cora = await contributor()
    const ticket = await ticketFor()
    const up = upload('steps.txt', 'Step 1: Settings')
    const file = await app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      headers: { ...cora.headers, 'content-type': up.contentType },
      payload: up.payload,
    })
    expect(file.statusCode).toBe(201)
    const review = await hold(cora, ticket.id, 'See the steps attached.', { attachmentIds: [file.json().id] })
    const detail = (await get(`/reviews/${review.id}`, reviewer)).json()
    expect(detail.attachments).toEqual([expect.objectContaining({ filename: 'steps.txt', url: `/api/v1/reviews/attachments/${file.json().id}` })])
    const download = await app.inject({ method: 'GET', url: detail.attachments[0].url, headers: reviewer.headers })
    expect(download.statusCode).toBe(200)
    expect(download.body).toBe('Step 1: Settings')
    const outsider = await buildUser(app, { role: 'contributor' })
    expect((await app.inject({ method: 'GET', url: detail.attachments[0].url, headers: outsider.headers })).statusCode).toBe(403)
    expect((await post(`/reviews/${review.id}/approve`, reviewer)).statusCode).toBe(200)
    const [sent] = (await messages(ticket.id)).filter((m) => m.kind === 'reply')
    expect(sent!.attachments).toHaveLength(1)
  })

  it('runs an SLA clock per review policy and marks overdue reviews', async () => {
    const cora = await contributor()
    const ticket = await ticketFor()
    const review = await hold(cora, ticket.id)
    advanceClock(61 * 60_000)
    const item = (await get('/reviews?status=pending', reviewer)).json().items.find((r: { id: number }) => r.id === review.id)
    expect(item.overdue).toBe(true)
    const summary = (await get('/reviews/summary', reviewer)).json()
    expect(summary.isReviewer).toBe(true)
    expect(summary.queue.overdue).toBeGreaterThanOrEqual(1)
    expect((await get('/reviews/summary', cora)).json()).toMatchObject({ isReviewer: false, queue: { pending: 0, overdue: 0 }, mine: { pending: 1 } })
    await post(`/reviews/${review.id}/withdraw`, cora)
  })

  it('lists pending reviews first, oldest first, then decided ones, by cursor', async () => {
    const cora = await contributor()
    const ticket = await ticketFor()
    const a = await hold(cora, ticket.id, 'First.')
    const b = await hold(cora, ticket.id, 'Second.')
    const c = await hold(cora, ticket.id, 'Third.')
    await post(`/reviews/${b.id}/approve`, reviewer)
    const page1 = (await get(`/reviews?ticketId=${ticket.id}&limit=1`, reviewer)).json()
    expect(page1.items.map((r: { id: number }) => r.id)).toEqual([a.id])
    const page2 = (await get(`/reviews?ticketId=${ticket.id}&limit=2&cursor=${page1.nextCursor}`, reviewer)).json()
    expect(page2.items.map((r: { id: number }) => r.id)).toEqual([c.id, b.id])
    expect(page2.nextCursor).toBeNull()
    expect((await get(`/reviews?ticketId=${ticket.id}&status=approved`, reviewer)).json().items.map((r: { id: number }) => r.id)).toEqual([b.id])
  })

  it("tells the ticket's assignee when a reply on their ticket waits for review", async () => {
    const cora = await contributor()
    const ticket = await ticketFor({ assigneeId: reviewer.id })
    await hold(cora, ticket.id)
    const notes = (await get('/notifications', reviewer)).json().items
    expect(notes[0]).toMatchObject({ kind: 'review.requested', ticketId: ticket.id, actor: { id: cora.id } })
  })

  it('lets only reviewers join the live reviews room', async () => {
    const cora = await contributor()
    expect(await mayJoinFeatureRoom(app.ctx, (await findActiveActor(app.ctx.db, reviewer.id))!, 'reviews')).toBe(true)
    expect(await mayJoinFeatureRoom(app.ctx, (await findActiveActor(app.ctx.db, cora.id))!, 'reviews')).toBe(false)
  })

  describe('automatic promotion', () => {
    const trustOf = async (u: User) => (await get('/users', admin)).json().find((x: { id: number }) => x.id === u.id).trustLevel

    it('promotes after N approvals with small edits, counts from the last trust change, and audits it', async () => {
      const policies = (await get('/review-policies', admin)).json()
      const fallback = policies.find((p: { categoryId: number | null }) => p.categoryId === null)
      expect(fallback).toMatchObject({ approvalsRequired: 10, maxEditRatio: 0.2, enabled: true, slaMinutes: 60 })
      const patch = await app.inject({
        method: 'PATCH',
        url: `/api/v1/review-policies/${fallback.id}`,
        headers: admin.headers,
        payload: { approvalsRequired: 3 },
      })
      expect(patch.statusCode).toBe(200)

      const pia = await contributor('Pia Promoted')
      const ticket = await ticketFor()
      // A heavy rewrite does not count as a small edit.
      const heavy = await hold(pia, ticket.id, 'ok')
      await post(`/reviews/${heavy.id}/approve`, reviewer, { html: 'Thanks for asking! Open Settings, then Profile, and click your picture.' })
      for (const body of ['Open Settings, then Profile.', 'Click your picture to change it there.']) {
        const r = await hold(pia, ticket.id, body)
        expect((await post(`/reviews/${r.id}/approve`, reviewer)).statusCode).toBe(200)
      }
      expect(await trustOf(pia)).toBe('reviewed')
      expect((await get('/reviews/summary', pia)).json().promotion).toMatchObject({ approvals: 2, required: 3, blockedByRejection: false })
      const last = await hold(pia, ticket.id, 'Let me know if that works for you, Pia here.')
      await post(`/reviews/${last.id}/approve`, reviewer, { html: 'Let me know if that works for you. Pia here.' })
      expect(await trustOf(pia)).toBe('trusted')
      const audit = (await get('/audit-log?action=user.promoted', admin)).json().items
      expect(audit[0]).toMatchObject({
        targetType: 'user',
        targetId: pia.id,
        actor: null,
        data: { trustLevel: { from: 'reviewed', to: 'trusted' }, approvals: 3 },
      })
      expect((await get('/notifications', pia)).json().items[0].kind).toBe('trust.promoted')

      // An admin demotes them (audited); the count starts again from the demotion.
      const demote = await app.inject({ method: 'PATCH', url: `/api/v1/users/${pia.id}`, headers: admin.headers, payload: { trustLevel: 'reviewed' } })
      expect(demote.statusCode).toBe(200)
      expect(await trustOf(pia)).toBe('reviewed')
      const changed = (await get(`/audit-log?action=user.participation_changed&targetId=${pia.id}`, admin)).json().items
      expect(changed[0]).toMatchObject({ actor: { id: admin.id }, data: { trustLevel: { from: 'trusted', to: 'reviewed' } } })
      expect((await get('/reviews/summary', pia)).json().promotion.approvals).toBe(0)
      const byContributor = await app.inject({ method: 'PATCH', url: `/api/v1/users/${pia.id}`, headers: pia.headers, payload: { trustLevel: 'agent' } })
      expect(byContributor.statusCode).toBe(403)
    })

    it('does not promote after a rejection since the last trust change', async () => {
      const rex = await contributor('Rex Rejected')
      const ticket = await ticketFor()
      const rejected = await hold(rex, ticket.id, 'Whatever.')
      await post(`/reviews/${rejected.id}/reject`, reviewer, { feedback: 'Be kind and specific.' })
      for (const body of ['One.', 'Two.', 'Three.', 'Four.']) {
        const r = await hold(rex, ticket.id, body)
        await post(`/reviews/${r.id}/approve`, reviewer)
      }
      expect(await trustOf(rex)).toBe('reviewed')
      expect((await get('/reviews/summary', rex)).json().promotion).toMatchObject({ approvals: 4, blockedByRejection: true })
    })
  })

  describe('review policies', () => {
    it('lets admins override per category, and refuses bad input and others', async () => {
      const cat = await app.ctx.db
        .insertInto('categories')
        .values({ name: 'Billing', keywords: '[]', createdAt: Date.now() })
        .returning('id')
        .executeTakeFirstOrThrow()
      const create = (payload: object, as: User = admin) => app.inject({ method: 'POST', url: '/api/v1/review-policies', headers: as.headers, payload })
      const cora = await contributor()
      expect((await create({ categoryId: cat.id }, cora)).statusCode).toBe(403)
      expect((await create({ categoryId: 999999 })).statusCode).toBe(422)
      expect((await create({ categoryId: cat.id, maxEditRatio: 2 })).statusCode).toBe(400)
      const res = await create({ categoryId: cat.id, approvalsRequired: 25, slaMinutes: 15 })
      expect(res.statusCode, res.body).toBe(201)
      expect(res.json()).toMatchObject({ categoryId: cat.id, categoryName: 'Billing', approvalsRequired: 25, slaMinutes: 15 })
      expect((await create({ categoryId: cat.id })).statusCode).toBe(409)
      const fallback = (await get('/review-policies', cora)).json().find((p: { categoryId: number | null }) => p.categoryId === null)
      const del = (id: number) => app.inject({ method: 'DELETE', url: `/api/v1/review-policies/${id}`, headers: admin.headers })
      expect((await del(fallback.id)).statusCode).toBe(422)
      expect((await del(res.json().id)).statusCode).toBe(200)
      const audit = (await get('/audit-log?targetType=review_policy', admin)).json().items.map((e: { action: string }) => e.action)
      expect(audit).toEqual(expect.arrayContaining(['review_policy.created', 'review_policy.deleted']))
    })
  })
})
