import {
  CreateRotationInput,
  CreateShiftInput,
  CurrentShiftDto,
  IdParams,
  MyShiftsDto,
  Ok,
  OfferSwapInput,
  RotationDto,
  RotationSummaryDto,
  SWAP_ACTIONS,
  ShiftDto,
  ShiftListQuery,
  ShiftSwapDto,
  UpdateRotationInput,
} from '@allhands/contract'
import { Type } from 'typebox'
import { actorOf, type App } from '../../platform/http.ts'
import { registerRoomGuard } from '../../platform/realtime.ts'
import { ensureDailyGeneration } from './jobs/generate-shifts.ts'
import { ROTATIONS_ROOM } from './rotations.events.ts'
import { createRotation, deleteRotation, getRotation, listRotations, updateRotation } from './rotations.service.ts'
import { rotationSummary } from './rotations.summary.ts'
import { createShift, currentShiftOf, deleteShift, endShift, getShift, listShifts, myShifts, startShift } from './shifts.service.ts'
import { actOnSwap, listSwaps, offerSwap } from './swaps.service.ts'

/** /rotations (programs, admins manage), /shifts (calendar, own shifts, start/end) and /shift-swaps. */
export async function rotationsRoutes(app: App) {
  const ctx = app.ctx
  registerRoomGuard((_ctx, _actor, room) => (room === ROTATIONS_ROOM ? true : undefined))
  app.addHook('onReady', () => ensureDailyGeneration(ctx))
  const tags = ['rotations']

  app.get('/rotations', { schema: { tags, response: { 200: Type.Array(RotationDto) } } }, async () => listRotations(ctx))
  app.post('/rotations', { schema: { tags, body: CreateRotationInput, response: { 201: RotationDto } } }, async (req, reply) =>
    reply.code(201).send(await createRotation(ctx, actorOf(req), req.body)),
  )
  app.get('/rotations/:id', { schema: { tags, params: IdParams, response: { 200: RotationDto } } }, async (req) => {
    actorOf(req)
    return getRotation(ctx, req.params.id)
  })
  app.patch('/rotations/:id', { schema: { tags, params: IdParams, body: UpdateRotationInput, response: { 200: RotationDto } } }, async (req) =>
    updateRotation(ctx, actorOf(req), req.params.id, req.body),
  )
  app.delete('/rotations/:id', { schema: { tags, params: IdParams, response: { 200: Ok } } }, async (req) => {
    await deleteRotation(ctx, actorOf(req), req.params.id)
    return { ok: true }
  })
  app.get('/rotations/:id/summary', { schema: { tags, params: IdParams, response: { 200: RotationSummaryDto } } }, async (req) =>
    rotationSummary(ctx, actorOf(req), req.params.id),
  )

  app.get('/shifts', { schema: { tags, querystring: ShiftListQuery, response: { 200: Type.Array(ShiftDto) } } }, async (req) =>
    listShifts(ctx, actorOf(req), req.query),
  )
  app.post('/shifts', { schema: { tags, body: CreateShiftInput, response: { 201: ShiftDto } } }, async (req, reply) =>
    reply.code(201).send(await createShift(ctx, actorOf(req), req.body)),
  )
  app.get('/shifts/mine', { schema: { tags, response: { 200: MyShiftsDto } } }, async (req) => myShifts(ctx, actorOf(req)))
  app.get('/shifts/current', { schema: { tags, response: { 200: CurrentShiftDto } } }, async (req) => currentShiftOf(ctx, actorOf(req)))
  app.get('/shifts/:id', { schema: { tags, params: IdParams, response: { 200: ShiftDto } } }, async (req) => getShift(ctx, actorOf(req), req.params.id))
  app.delete('/shifts/:id', { schema: { tags, params: IdParams, response: { 200: Ok } } }, async (req) => {
    await deleteShift(ctx, actorOf(req), req.params.id)
    return { ok: true }
  })
  app.post('/shifts/:id/start', { schema: { tags, params: IdParams, response: { 200: ShiftDto } } }, async (req) =>
    startShift(ctx, actorOf(req), req.params.id),
  )
  app.post('/shifts/:id/end', { schema: { tags, params: IdParams, response: { 200: ShiftDto } } }, async (req) => endShift(ctx, actorOf(req), req.params.id))
  app.post('/shifts/:id/swaps', { schema: { tags, params: IdParams, body: OfferSwapInput, response: { 201: ShiftSwapDto } } }, async (req, reply) =>
    reply.code(201).send(await offerSwap(ctx, actorOf(req), req.params.id, req.body)),
  )

  app.get('/shift-swaps', { schema: { tags, response: { 200: Type.Array(ShiftSwapDto) } } }, async (req) => listSwaps(ctx, actorOf(req)))
  for (const action of SWAP_ACTIONS)
    app.post(`/shift-swaps/:id/${action}`, { schema: { tags, params: IdParams, response: { 200: ShiftSwapDto } } }, async (req) =>
      actOnSwap(ctx, actorOf(req), req.params.id, action),
    )
}
