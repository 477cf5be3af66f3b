import type { ShiftDto, ShiftSwapDto } from '@allhands/contract'
import { describe, expect, it } from 'vitest'
import { buildTestApp, buildUser } from '../../../test/helpers.ts'
import { now } from '../../platform/clock.ts'

const HOUR = 3_600_000

describe('shift swaps', async () => {
  const app = await buildTestApp()
  const admin = await buildUser(app, { role: 'admin' })
  const alice = await buildUser(app, { role: 'contributor', name: 'Alice' })
  const bob = await buildUser(app, { role: 'contributor', name: 'Bob' })
  const carol = await buildUser(app, { role: 'contributor', name: 'Carol' })

  async function rotationShift(swapRequiresApproval: boolean): Promise<ShiftDto> {
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/rotations',
      headers: admin.headers,
      payload: {
        kind: 'onboarding',
        name: `Onboarding ${swapRequiresApproval ? 'approved' : 'free'}`,
        timeZone: 'UTC',
        swapRequiresApproval,
        cohort: { userIds: [alice.id], teamIds: [] },
        startsOn: new Date(now() + 3 * 24 * HOUR).toISOString().slice(0, 10),
        days: 1,
        hours: { start: '09:00', end: '17:00' },
      },
    })
    expect(created.statusCode).toBe(201)
    const mine = (await app.inject({ method: 'GET', url: '/api/v1/shifts/mine', headers: alice.headers })).json()
    return mine.upcoming.find((s: ShiftDto) => s.rotation?.id === created.json().id)
  }
  const offer = (shiftId: number, toUserId: number, as = alice) =>
    app.inject({ method: 'POST', url: `/api/v1/shifts/${shiftId}/swaps`, headers: as.headers, payload: { toUserId, note: 'Dentist that day' } })
  const act = (id: number, action: string, as: { headers: Record<string, string> }) =>
    app.inject({ method: 'POST', url: `/api/v1/shift-swaps/${id}/${action}`, headers: as.headers })
  const holder = async (shiftId: number) => (await app.ctx.db.selectFrom('shifts').select('userId').where('id', '=', shiftId).executeTakeFirstOrThrow()).userId

  it('hands a shift over when the colleague accepts (no approval needed), audited', async () => {
    const shift = await rotationShift(false)
    expect(shift.canSwap).toBe(true)
    expect((await offer(shift.id, bob.id, bob)).statusCode).toBe(403)
    const offered = await offer(shift.id, bob.id)
    expect(offered.statusCode).toBe(201)
    const swap: ShiftSwapDto = offered.json()
    expect(swap).toMatchObject({ status: 'offered', from: { id: alice.id }, to: { id: bob.id }, note: 'Dentist that day' })
    expect((await offer(shift.id, carol.id)).statusCode).toBe(409)

    // Only the person offered may accept.
    const stolen = await act(swap.id, 'accept', carol)
    expect(stolen.statusCode).toBe(403)
    expect(stolen.json().error.message).toMatch(/not offered to you/)
    expect((await act(swap.id, 'approve', admin)).statusCode).toBe(409)

    const inbox: ShiftSwapDto[] = (await app.inject({ method: 'GET', url: '/api/v1/shift-swaps', headers: bob.headers })).json()
    expect(inbox.find((s) => s.id === swap.id)?.canAccept).toBe(true)
    const accepted = await act(swap.id, 'accept', bob)
    expect(accepted.statusCode).toBe(200)
    expect(accepted.json().status).toBe('completed')
    expect(await holder(shift.id)).toBe(bob.id)
    expect((await act(swap.id, 'accept', bob)).statusCode).toBe(409)

    const audit = await app.inject({ method: 'GET', url: `/api/v1/audit-log?targetType=shift&targetId=${shift.id}`, headers: admin.headers })
    expect(audit.json().items[0]).toMatchObject({ action: 'shift.swapped', actor: { id: bob.id }, data: { fromUserId: alice.id, toUserId: bob.id } })
    // The regenerated rotation keeps the swap: the slot still belongs to its planned person, now held by Bob.
    const rotationId = (await app.ctx.db.selectFrom('shifts').select('rotationId').where('id', '=', shift.id).executeTakeFirstOrThrow()).rotationId!
    await app.inject({ method: 'PATCH', url: `/api/v1/rotations/${rotationId}`, headers: admin.headers, payload: { name: 'Renamed' } })
    const all = await app.ctx.db.selectFrom('shifts').select(['id', 'userId']).where('rotationId', '=', rotationId).execute()
    expect(all).toEqual([{ id: shift.id, userId: bob.id }])
  })

  it('waits for an admin when the rotation asks for approval', async () => {
    const shift = await rotationShift(true)
    const swap: ShiftSwapDto = (await offer(shift.id, carol.id)).json()
    const accepted = await act(swap.id, 'accept', carol)
    expect(accepted.json().status).toBe('awaiting_approval')
    expect(await holder(shift.id)).toBe(alice.id)
    // Contributors cannot approve, not even the people swapping.
    expect((await act(swap.id, 'approve', carol)).statusCode).toBe(403)
    expect((await act(swap.id, 'approve', alice)).statusCode).toBe(403)
    const queue: ShiftSwapDto[] = (await app.inject({ method: 'GET', url: '/api/v1/shift-swaps', headers: admin.headers })).json()
    expect(queue.find((s) => s.id === swap.id)?.canApprove).toBe(true)
    const approved = await act(swap.id, 'approve', admin)
    expect(approved.statusCode).toBe(200)
    expect(approved.json()).toMatchObject({ status: 'completed', decidedBy: { id: admin.id } })
    expect(await holder(shift.id)).toBe(carol.id)
    const note = await app.ctx.db.selectFrom('notifications').select('title').where('userId', '=', alice.id).where('kind', '=', 'shift_swap').execute()
    expect(note.map((n) => n.title).join(' ')).toMatch(/approved/)
  })

  it('lets the offerer cancel and the colleague decline; rejected swaps leave the shift alone', async () => {
    const shift = await rotationShift(true)
    const first: ShiftSwapDto = (await offer(shift.id, bob.id)).json()
    expect((await act(first.id, 'cancel', bob)).statusCode).toBe(403)
    expect((await act(first.id, 'cancel', alice)).json().status).toBe('cancelled')
    const second: ShiftSwapDto = (await offer(shift.id, bob.id)).json()
    expect((await act(second.id, 'decline', carol)).statusCode).toBe(403)
    expect((await act(second.id, 'decline', bob)).json().status).toBe('declined')
    const third: ShiftSwapDto = (await offer(shift.id, bob.id)).json()
    await act(third.id, 'accept', bob)
    expect((await act(third.id, 'reject', admin)).json().status).toBe('rejected')
    expect(await holder(shift.id)).toBe(alice.id)
    expect((await offer(shift.id, alice.id)).statusCode).toBe(422)
    expect((await offer(shift.id, 999999)).statusCode).toBe(422)
    expect((await act(999999, 'accept', bob)).statusCode).toBe(404)
  })
})
