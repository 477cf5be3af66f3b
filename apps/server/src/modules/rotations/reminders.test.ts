import { afterEach, describe, expect, it } from 'vitest'
import { startSmtpSink } from '../../../test/email-peers.ts'
import { buildTestApp, buildUser } from '../../../test/helpers.ts'
import { advanceClock, freezeClock, now, resetClock } from '../../platform/clock.ts'

const MIN = 60_000

describe('shift reminders', async () => {
  const sink = await startSmtpSink()
  const app = await buildTestApp({ SMTP_URL: sink.url, PUBLIC_URL: 'https://help.acme.test' })
  const admin = await buildUser(app, { role: 'admin' })
  const person = await buildUser(app, { role: 'contributor', name: 'Rita Reminded' })
  const leaver = await buildUser(app, { role: 'contributor', name: 'Lee Leaving' })
  afterEach(() => resetClock())

  async function rotationWithShift(userId: number, name: string, startsIn = 3 * 60 * MIN): Promise<number> {
    const rotation = await app.inject({
      method: 'POST',
      url: '/api/v1/rotations',
      headers: admin.headers,
      payload: {
        kind: 'recurring',
        name,
        timeZone: 'UTC',
        reminderLeadMinutes: 60,
        cohort: { userIds: [], teamIds: [] },
        schedule: { frequency: 'weekly', weekdays: [1], hours: { start: '09:00', end: '10:00' } },
      },
    })
    const shift = await app.inject({
      method: 'POST',
      url: '/api/v1/shifts',
      headers: admin.headers,
      payload: { rotationId: rotation.json().id, userId, startsAt: now() + startsIn, endsAt: now() + startsIn + 2 * 60 * MIN },
    })
    expect(shift.statusCode).toBe(201)
    return shift.json().id
  }

  it('reminds once, in the app and by email, the lead time before the shift', async () => {
    // The same hours every run: the two hours the clock moves forward must not cross midnight (UTC), when the daily
    // jobs run and make this a different test.
    freezeClock(Date.parse(`${new Date().toISOString().slice(0, 10)}T08:00:00Z`))
    const shiftId = await rotationWithShift(person.id, 'Support afternoon')
    await app.ctx.jobs.runDue()
    expect(sink.received).toHaveLength(0)
    advanceClock(2 * 60 * MIN + MIN)
    await app.ctx.jobs.runDue()
    const mail = await sink.waitFor(1)
    expect(mail.rcpt).toEqual([person.email])
    expect(mail.parsed.subject).toMatch(/^Your Support afternoon shift starts/)
    expect(mail.parsed.text).toContain('https://help.acme.test/rotations')
    const notes = await app.ctx.db.selectFrom('notifications').select(['kind', 'title']).where('userId', '=', person.id).execute()
    expect(notes).toEqual([{ kind: 'shift_reminder', title: expect.stringMatching(/Support afternoon/) }])

    // Queuing the reminder again (a regeneration, a retry) sends nothing more.
    const { enqueueShiftReminder } = await import('./jobs/remind-shift.ts')
    await enqueueShiftReminder(app.ctx.db, { id: shiftId, userId: person.id, startsAt: now() + 59 * MIN }, 60)
    advanceClock(10 * MIN)
    await app.ctx.jobs.runDue()
    await new Promise((r) => setTimeout(r, 200))
    expect(sink.received).toHaveLength(1)
    expect(await app.ctx.db.selectFrom('notifications').select('id').where('userId', '=', person.id).execute()).toHaveLength(1)
  })

  it('invites at once to a shift that is already under way, saying until when', async () => {
    const invited = await buildUser(app, { role: 'contributor', name: 'Ivy Invited' })
    await rotationWithShift(invited.id, 'Holiday all-hands', -MIN)
    await app.ctx.jobs.runDue()
    const toInvited = () => sink.received.find((m) => m.rcpt.includes(invited.email))
    await expect.poll(toInvited).toBeTruthy()
    const mail = toInvited()!
    expect(mail.parsed.subject).toMatch(/^Your Holiday all-hands shift is on now, until /)
  })

  it('never reminds a deactivated person', async () => {
    await rotationWithShift(leaver.id, 'Leaving shift')
    const off = await app.inject({ method: 'PATCH', url: `/api/v1/users/${leaver.id}`, headers: admin.headers, payload: { isActive: false } })
    expect(off.statusCode).toBe(200)
    advanceClock(2 * 60 * MIN + MIN)
    await app.ctx.jobs.runDue()
    await new Promise((r) => setTimeout(r, 200))
    expect(sink.received.filter((m) => m.rcpt.includes(leaver.email))).toHaveLength(0)
    expect(await app.ctx.db.selectFrom('notifications').select('id').where('userId', '=', leaver.id).execute()).toHaveLength(0)
  })
})
