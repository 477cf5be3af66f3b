import { afterEach, describe, expect, it } from 'vitest'
import { postEmail, rawEmail, startSmtpSink } from '../../../test/email-peers.ts'
import { buildTeam, buildTestApp, buildTicket, buildUser, putOnShift } from '../../../test/helpers.ts'
import { connectAgentSocket } from '../../../test/sockets.ts'
import { advanceClock, now, resetClock } from '../../platform/clock.ts'
import { notify } from '../tickets/messages.service.ts'
import { sendNotificationDigestsJob } from './jobs/send-notification-digests.ts'
import { localDayAndHour } from './notifications.email.ts'

type User = Awaited<ReturnType<typeof buildUser>>
type Note = { id: number; kind: string; ticketId: number | null; title: string; readAt: number | null; actor: { id: number } | null }

describe('notifications: kinds, preferences, email, digest, deactivated people', async () => {
  const sink = await startSmtpSink()
  const app = await buildTestApp({ SMTP_URL: sink.url, PUBLIC_URL: 'https://help.acme.test' })
  const team = await buildTeam(app, 'Support')
  const admin = await buildUser(app, { role: 'admin', name: 'Ada Admin' })
  const alice = await buildUser(app, { role: 'agent', name: 'Alice Agent', teamIds: [team] })
  const bob = await buildUser(app, { role: 'agent', name: 'Bob Agent', teamIds: [team] })
  afterEach(() => resetClock())

  const call = (as: User, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) =>
    app.inject({ method, url: `/api/v1${url}`, headers: as.headers, ...(payload ? { payload } : {}) })
  const inbox = async (as: User, query = '') =>
    (await call(as, 'GET', `/notifications${query}`)).json() as { items: Note[]; unreadCount: number; nextCursor: string | null }
  const mention = (u: User, name: string) => `<span data-type="mention" data-id="${u.id}" data-label="${name}">@${name}</span>`
  const ticket = (subject: string) => buildTicket(app, admin, { teamId: team, subject })
  const mailsTo = (u: User) => sink.received.filter((m) => m.rcpt.includes(u.email))
  const setPrefs = async (as: User, payload: object) => {
    const res = await call(as, 'PUT', '/me/notification-preferences', payload)
    expect(res.statusCode, res.body).toBe(200)
    return res.json()
  }

  it('notifies a mentioned colleague, not the author, and emails them at once by default', async () => {
    const t = await ticket('Printer on fire')
    const res = await call(alice, 'POST', `/tickets/${t.id}/notes`, { body: `<p>${mention(bob, 'Bob')} and ${mention(alice, 'Alice')}, look</p>` })
    expect(res.statusCode, res.body).toBe(201)
    const bobs = await inbox(bob)
    expect(bobs.items[0]).toMatchObject({ kind: 'mention', ticketId: t.id, actor: { id: alice.id }, readAt: null })
    expect(bobs.unreadCount).toBe(1)
    expect((await inbox(alice)).items.some((n) => n.kind === 'mention')).toBe(false)

    await app.ctx.jobs.runDue()
    await expect.poll(() => mailsTo(bob).length).toBe(1)
    const mail = mailsTo(bob)[0]!
    expect(mail.parsed.subject).toBe(`Alice Agent mentioned you on #${t.id}: Printer on fire`)
    expect(mail.parsed.text).toContain(`https://help.acme.test/tickets/${t.id}`)
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated')
    await app.ctx.jobs.runDue()
    expect(mailsTo(bob)).toHaveLength(1)
  })

  it('notifies on assignment by someone else, never for assigning oneself', async () => {
    const t = await ticket('Refund please')
    expect((await call(alice, 'PATCH', `/tickets/${t.id}`, { assigneeId: bob.id })).statusCode).toBe(200)
    expect((await inbox(bob)).items[0]).toMatchObject({ kind: 'assigned', ticketId: t.id, title: `Alice Agent assigned you #${t.id}: Refund please` })
    const t2 = await ticket('Mine now')
    expect((await call(alice, 'PATCH', `/tickets/${t2.id}`, { assigneeId: alice.id })).statusCode).toBe(200)
    expect((await inbox(alice)).items.some((n) => n.ticketId === t2.id)).toBe(false)
  })

  it('notifies followers of a ticket about replies, not the one who replied', async () => {
    const t = await ticket('Login loop')
    const base = await app.listen({ port: 0, host: '127.0.0.1' })
    const live = await connectAgentSocket(base, bob.headers)
    expect((await call(bob, 'POST', `/tickets/${t.id}/follow`)).statusCode).toBe(200)
    expect((await call(alice, 'POST', `/tickets/${t.id}/follow`)).statusCode).toBe(200)
    const res = await call(alice, 'POST', `/tickets/${t.id}/replies`, { body: 'Clear your cookies, please.' })
    expect(res.statusCode, res.body).toBe(201)
    const told = (await inbox(bob)).items.find((n) => n.kind === 'reply' && n.ticketId === t.id)
    expect(told).toMatchObject({ title: `Alice Agent replied on #${t.id}: Login loop`, actor: { id: alice.id } })
    // It arrives live on Bob's socket (his user room), published after the reply's transaction committed.
    await live.event('notification.created', (p) => p.notificationId === told!.id)
    live.ws.close()
    expect((await inbox(alice)).items.some((n) => n.kind === 'reply' && n.ticketId === t.id)).toBe(false)
    // Not following: nothing.
    const other = await buildUser(app, { role: 'agent', teamIds: [team] })
    expect((await inbox(other)).items).toEqual([])
  })

  it('notifies followers when the customer answers by email', async () => {
    const created = await call(admin, 'POST', '/inboxes', { name: 'Email', type: 'email', email: { addresses: ['help@acme.test'], displayName: 'Acme' } })
    expect(created.statusCode, created.body).toBe(201)
    const inboxId = created.json().id as number
    const first = await postEmail(
      app,
      admin.headers,
      inboxId,
      rawEmail({
        from: 'Casey Customer <casey@customer.test>',
        to: 'help@acme.test',
        subject: 'Broken zipper',
        text: 'My zipper broke.',
        messageId: '<zip1@customer.test>',
      }),
    )
    expect(first.disposition).toBe('ticket')
    expect((await call(bob, 'POST', `/tickets/${first.ticketId}/follow`)).statusCode).toBe(200)
    const again = await postEmail(
      app,
      admin.headers,
      inboxId,
      rawEmail({
        from: 'Casey Customer <casey@customer.test>',
        to: 'help@acme.test',
        subject: 'Re: Broken zipper',
        text: 'Any news?',
        headers: { 'In-Reply-To': '<zip1@customer.test>' },
      }),
    )
    expect(again).toMatchObject({ disposition: 'reply', ticketId: first.ticketId })
    const told = (await inbox(bob)).items.find((n) => n.kind === 'reply' && n.ticketId === first.ticketId)
    expect(told).toMatchObject({ title: `Casey Customer replied on #${first.ticketId}: Broken zipper`, actor: null })
  })

  it('asks the assignee to review a held reply and tells a consulted colleague', async () => {
    const cora = await buildUser(app, { role: 'contributor', name: 'Cora Contributor', teamIds: [team] })
    await putOnShift(app, cora.id, { ms: 24 * 3600_000 })
    const t = await buildTicket(app, admin, { teamId: team, subject: 'Avatar', assigneeId: bob.id })
    const held = await call(cora, 'POST', `/tickets/${t.id}/replies`, { body: 'Go to Settings, then Profile.' })
    expect(held.statusCode, held.body).toBe(202)
    expect((await inbox(bob)).items[0]).toMatchObject({ kind: 'review.requested', ticketId: t.id, actor: { id: cora.id } })
    expect((await inbox(bob, '?group=review')).items.every((n) => n.kind.startsWith('review.'))).toBe(true)

    const asked = await call(alice, 'POST', `/tickets/${t.id}/consults`, { userId: bob.id, question: 'Is the avatar upload broken?', dueInHours: 4 })
    expect(asked.statusCode, asked.body).toBe(201)
    const consults = (await inbox(bob, '?group=consult')).items
    expect(consults[0]).toMatchObject({ kind: 'consult' })
    expect(consults.every((n) => n.kind === 'consult')).toBe(true)
    expect((await inbox(alice, '?group=consult')).items).toEqual([])
  })

  it('keeps preferences per person: defaults, changes, validation', async () => {
    const carl = await buildUser(app, { role: 'agent', teamIds: [team] })
    const defaults = (await call(carl, 'GET', '/me/notification-preferences')).json()
    expect(defaults).toMatchObject({ timeZone: 'UTC', digestHour: 8, lastDigestAt: null })
    expect(defaults.preferences).toEqual([
      { group: 'mention', inApp: true, email: 'immediately' },
      { group: 'assignment', inApp: true, email: 'immediately' },
      { group: 'reply', inApp: true, email: 'off' },
      { group: 'review', inApp: true, email: 'off' },
      { group: 'consult', inApp: true, email: 'off' },
      { group: 'other', inApp: true, email: 'off' },
    ])
    const saved = await setPrefs(carl, { preferences: [{ group: 'mention', inApp: false, email: 'off' }], timeZone: 'Europe/Berlin', digestHour: 18 })
    expect(saved).toMatchObject({ timeZone: 'Europe/Berlin', digestHour: 18 })
    expect(saved.preferences[0]).toEqual({ group: 'mention', inApp: false, email: 'off' })
    expect(saved.preferences[1]).toEqual({ group: 'assignment', inApp: true, email: 'immediately' })
    // Someone else's preferences are untouched.
    expect((await call(bob, 'GET', '/me/notification-preferences')).json().preferences[0]).toEqual({ group: 'mention', inApp: true, email: 'immediately' })

    const bad = await call(carl, 'PUT', '/me/notification-preferences', { timeZone: 'Mars/Olympus' })
    expect(bad.statusCode).toBe(422)
    expect(bad.json().error.message).toContain('Mars/Olympus')
    const twice = await call(carl, 'PUT', '/me/notification-preferences', {
      preferences: [
        { group: 'mention', inApp: true, email: 'off' },
        { group: 'mention', inApp: false, email: 'off' },
      ],
    })
    expect(twice.statusCode).toBe(422)
    expect((await call(carl, 'PUT', '/me/notification-preferences', { preferences: [{ group: 'mention', inApp: true, email: 'weekly' }] })).statusCode).toBe(
      400,
    )
    expect((await call(carl, 'GET', '/me/notification-preferences')).json().preferences[0]).toEqual({ group: 'mention', inApp: false, email: 'off' })

    // Mentions off entirely: nothing in the app, no mail.
    const t = await ticket('Quiet please')
    await call(alice, 'POST', `/tickets/${t.id}/notes`, { body: `<p>${mention(carl, 'Carl')}</p>` })
    expect((await inbox(carl)).items).toEqual([])
    // Out of the app but by email at once: the mail still comes.
    await setPrefs(carl, { preferences: [{ group: 'mention', inApp: false, email: 'immediately' }] })
    await call(alice, 'POST', `/tickets/${t.id}/notes`, { body: `<p>again ${mention(carl, 'Carl')}</p>` })
    expect((await inbox(carl)).items).toEqual([])
    await app.ctx.jobs.runDue()
    await expect.poll(() => mailsTo(carl).length).toBe(1)
    expect(mailsTo(carl)[0]!.parsed.subject).toContain('mentioned you')
    // In the app, no email.
    await setPrefs(carl, { preferences: [{ group: 'assignment', inApp: true, email: 'off' }] })
    await call(alice, 'PATCH', `/tickets/${t.id}`, { assigneeId: carl.id })
    expect((await inbox(carl)).items[0]).toMatchObject({ kind: 'assigned', ticketId: t.id })
    await app.ctx.jobs.runDue()
    expect(mailsTo(carl)).toHaveLength(1)
  })

  it('sends a daily digest once per person per day with the unread notifications since the last one', async () => {
    const dana = await buildUser(app, { role: 'agent', name: 'Dana Digest', teamIds: [team] })
    await setPrefs(dana, { preferences: [{ group: 'assignment', inApp: true, email: 'digest' }], timeZone: 'UTC', digestHour: 0 })
    const t1 = await ticket('First of the day')
    const t2 = await ticket('Second of the day')
    const t3 = await ticket('Already read')
    for (const t of [t1, t2, t3]) await call(alice, 'PATCH', `/tickets/${t.id}`, { assigneeId: dana.id })
    const read = (await inbox(dana)).items.find((n) => n.ticketId === t3.id)!
    expect((await call(dana, 'POST', `/notifications/${read.id}/read`)).statusCode).toBe(200)
    await app.ctx.jobs.runDue()
    expect(mailsTo(dana)).toHaveLength(0)

    await sendNotificationDigestsJob.handle(app.ctx, { slot: 0 })
    await sendNotificationDigestsJob.handle(app.ctx, { slot: 0 })
    await app.ctx.jobs.runDue()
    await expect.poll(() => mailsTo(dana).length).toBe(1)
    const digest = mailsTo(dana)[0]!
    expect(digest.parsed.subject).toBe('Your Allhands digest: 2 unread notifications')
    expect(digest.parsed.text).toContain(`https://help.acme.test/tickets/${t1.id}`)
    expect(digest.parsed.text).toContain('Second of the day')
    expect(digest.parsed.text).not.toContain('Already read')
    expect((await call(dana, 'GET', '/me/notification-preferences')).json().lastDigestAt).toEqual(expect.any(Number))

    // The next day: only what arrived since.
    advanceClock(24 * 3600_000)
    const t4 = await ticket('Next day')
    await call(alice, 'PATCH', `/tickets/${t4.id}`, { assigneeId: dana.id })
    await sendNotificationDigestsJob.handle(app.ctx, { slot: 1 })
    await app.ctx.jobs.runDue()
    await expect.poll(() => mailsTo(dana).length).toBe(2)
    expect(mailsTo(dana)[1]!.parsed.subject).toBe('Your Allhands digest: 1 unread notification')
    expect(mailsTo(dana)[1]!.parsed.text).toContain('Next day')
    expect(mailsTo(dana)[1]!.parsed.text).not.toContain('First of the day')
    await sendNotificationDigestsJob.handle(app.ctx, { slot: 2 })
    await app.ctx.jobs.runDue()
    expect(mailsTo(dana)).toHaveLength(2)
  })

  it('waits for the digest hour in the person’s time zone', async () => {
    const erin = await buildUser(app, { role: 'agent', teamIds: [team] })
    // One hour after the current hour in Tokyo: not due yet there.
    const tokyoHour = () => localDayAndHour(now(), 'Asia/Tokyo').hour
    if (tokyoHour() === 23) advanceClock(3600_000)
    await setPrefs(erin, { preferences: [{ group: 'assignment', inApp: true, email: 'digest' }], timeZone: 'Asia/Tokyo', digestHour: tokyoHour() + 1 })
    const t = await ticket('Later in Tokyo')
    await call(alice, 'PATCH', `/tickets/${t.id}`, { assigneeId: erin.id })
    await sendNotificationDigestsJob.handle(app.ctx, { slot: 0 })
    await app.ctx.jobs.runDue()
    expect(mailsTo(erin)).toHaveLength(0)
    advanceClock(3600_000)
    await sendNotificationDigestsJob.handle(app.ctx, { slot: 0 })
    await app.ctx.jobs.runDue()
    await expect.poll(() => mailsTo(erin).length).toBe(1)
  })

  it('never notifies or emails a deactivated person', async () => {
    const gone = await buildUser(app, { role: 'agent', name: 'Gone Agent', teamIds: [team] })
    const t = await ticket('While away')
    await call(alice, 'PATCH', `/tickets/${t.id}`, { assigneeId: gone.id })
    const before = await app.ctx.db.selectFrom('notifications').select('id').where('userId', '=', gone.id).execute()
    expect(before).toHaveLength(1)
    expect((await call(admin, 'PATCH', `/users/${gone.id}`, { isActive: false })).statusCode).toBe(200)
    // The assignment email was queued while they were active; it is not sent now.
    await app.ctx.jobs.runDue()
    await call(alice, 'POST', `/tickets/${t.id}/notes`, { body: `<p>${mention(gone, 'Gone')}</p>` })
    const t2 = await ticket('Also away')
    await call(alice, 'PATCH', `/tickets/${t2.id}`, { assigneeId: gone.id })
    await call(alice, 'POST', `/tickets/${t.id}/replies`, { body: 'Followed by the assignee? No: not following.' })
    // Whatever module asks, through the shared notify(): nothing is stored for them.
    expect(await notify(app.ctx.db, { userId: gone.id, kind: 'shift_reminder', ticketId: null, actorId: null, title: 'Your shift starts soon' })).toBe(0)
    const after = await app.ctx.db.selectFrom('notifications').select('id').where('userId', '=', gone.id).execute()
    expect(after).toHaveLength(1)
    await app.ctx.jobs.runDue()
    expect(mailsTo({ email: gone.email } as User)).toHaveLength(0)
  })

  it('lets each person read and mark only their own notifications', async () => {
    const t = await ticket('Ownership')
    await call(alice, 'PATCH', `/tickets/${t.id}`, { assigneeId: bob.id })
    const mine = (await inbox(bob)).items[0]!
    expect((await call(alice, 'POST', `/notifications/${mine.id}/read`)).statusCode).toBe(404)
    expect((await inbox(alice)).items.some((n) => n.id === mine.id)).toBe(false)
    expect((await app.inject({ method: 'GET', url: '/api/v1/notifications' })).statusCode).toBe(401)
    expect((await app.inject({ method: 'GET', url: '/api/v1/me/notification-preferences' })).statusCode).toBe(401)

    expect((await call(bob, 'POST', `/notifications/${mine.id}/read`)).statusCode).toBe(200)
    expect((await inbox(bob)).items.find((n) => n.id === mine.id)!.readAt).toEqual(expect.any(Number))
    const unread = (await inbox(bob, '?unread=true')).items
    expect(unread.every((n) => n.readAt === null)).toBe(true)
    expect((await call(bob, 'POST', '/notifications/read-all')).statusCode).toBe(200)
    expect((await inbox(bob)).unreadCount).toBe(0)
    expect((await inbox(alice)).unreadCount).toBeGreaterThanOrEqual(0)
  })

  it('marks only the viewer’s unread notifications of one ticket read when they open it', async () => {
    const gil = await buildUser(app, { role: 'agent', teamIds: [team] })
    const hal = await buildUser(app, { role: 'agent', teamIds: [team] })
    const opened = await ticket('Opened one')
    const other = await ticket('Other one')
    for (const t of [opened, other]) await call(alice, 'POST', `/tickets/${t.id}/notes`, { body: `<p>${mention(gil, 'Gil')} ${mention(hal, 'Hal')}</p>` })
    await call(alice, 'PATCH', `/tickets/${opened.id}`, { assigneeId: gil.id })
    expect((await inbox(gil)).unreadCount).toBe(3)

    const res = await call(gil, 'POST', `/notifications/read-all?ticketId=${opened.id}`)
    expect(res.statusCode, res.body).toBe(200)
    const gils = await inbox(gil)
    expect(gils.items.filter((n) => n.ticketId === opened.id).map((n) => n.readAt)).toEqual([expect.any(Number), expect.any(Number)])
    expect(gils.items.filter((n) => n.ticketId === other.id).map((n) => n.readAt)).toEqual([null])
    expect(gils.unreadCount).toBe(1)
    // Hal's notification about the same ticket stays unread.
    const hals = await inbox(hal)
    expect(hals.items.filter((n) => n.ticketId === opened.id).map((n) => n.readAt)).toEqual([null])
    expect(hals.unreadCount).toBe(2)
    expect((await call(gil, 'POST', '/notifications/read-all?ticketId=abc')).statusCode).toBe(400)
  })

  it('pages by cursor and filters by group', async () => {
    const t = await ticket('Many')
    const fay = await buildUser(app, { role: 'agent', teamIds: [team] })
    for (let i = 0; i < 3; i++) await call(alice, 'POST', `/tickets/${t.id}/notes`, { body: `<p>${i} ${mention(fay, 'Fay')}</p>` })
    await call(alice, 'PATCH', `/tickets/${t.id}`, { assigneeId: fay.id })
    const first = await inbox(fay, '?limit=2')
    expect(first.items).toHaveLength(2)
    const second = await inbox(fay, `?limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`)
    expect(second.items).toHaveLength(2)
    expect(second.nextCursor).toBeNull()
    expect((await inbox(fay, '?group=mention')).items).toHaveLength(3)
    expect((await inbox(fay, '?group=assignment')).items).toHaveLength(1)
    expect((await inbox(fay, '?group=other')).items).toHaveLength(0)
    expect((await call(fay, 'GET', '/notifications?group=bogus')).statusCode).toBe(400)
    // Read in the app before the queued emails went out: they are not sent.
    expect((await call(fay, 'POST', '/notifications/read-all')).statusCode).toBe(200)
    await app.ctx.jobs.runDue()
    expect(mailsTo(fay)).toHaveLength(0)
  })
})
