import { IdParams, Page, RideAlongDto, RideAlongLiveDto, RideAlongMessageDto, RideAlongMessageInput, StartRideAlongInput } from '@allhands/contract'
import { Type } from 'typebox'
import type { Actor } from '../../platform/actor.ts'
import type { Ctx } from '../../platform/context.ts'
import { actorOf, type App } from '../../platform/http.ts'
import { registerRoomGuard } from '../../platform/realtime.ts'
import { RIDE_ALONG_ROOM } from './ride-alongs.events.ts'
import { installRideAlongMirror } from './ride-alongs.mirror.ts'
import { endRideAlong, getRideAlongLive, listMyRideAlongs, listSideChat, mayJoinRideAlongRoom, postSideChat, startRideAlong } from './ride-alongs.service.ts'

const PageQuery = Type.Object({
  cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,10}$' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
})
const cursorOf = (q: { cursor?: string }) => (q.cursor ? Number(q.cursor) : null)

const rideAlongRoomGuard = async (ctx: Ctx, actor: Actor, room: string) => {
  const m = RIDE_ALONG_ROOM.exec(room)
  return m ? mayJoinRideAlongRoom(ctx.db, actor, Number(m[1])) : undefined
}

/** /ride-alongs: follow a person's work live with a private side chat; the mirror runs on the websocket. */
export async function rideAlongsRoutes(app: App) {
  registerRoomGuard(rideAlongRoomGuard)
  installRideAlongMirror(app.ctx, app.log)
  const tags = ['ride-alongs']

  app.post('/ride-alongs', { schema: { tags, body: StartRideAlongInput, response: { 201: RideAlongDto } } }, async (req, reply) =>
    reply.code(201).send(await startRideAlong(app.ctx, actorOf(req), req.body.followedUserId)),
  )

  app.get('/ride-alongs', { schema: { tags, querystring: PageQuery, response: { 200: Page(RideAlongDto) } } }, async (req) =>
    listMyRideAlongs(app.ctx, actorOf(req), cursorOf(req.query), req.query.limit ?? 20),
  )

  app.get('/ride-alongs/:id', { schema: { tags, params: IdParams, response: { 200: RideAlongLiveDto } } }, async (req) =>
    getRideAlongLive(app.ctx, actorOf(req), req.params.id),
  )

  app.post('/ride-alongs/:id/end', { schema: { tags, params: IdParams, response: { 200: RideAlongDto } } }, async (req) =>
    endRideAlong(app.ctx, actorOf(req), req.params.id),
  )

  app.get(
    '/ride-alongs/:id/messages',
    { schema: { tags, params: IdParams, querystring: PageQuery, response: { 200: Page(RideAlongMessageDto) } } },
    async (req) => listSideChat(app.ctx, actorOf(req), req.params.id, cursorOf(req.query), req.query.limit ?? 100),
  )

  app.post(
    '/ride-alongs/:id/messages',
    { schema: { tags, params: IdParams, body: RideAlongMessageInput, response: { 201: RideAlongMessageDto } } },
    async (req, reply) => reply.code(201).send(await postSideChat(app.ctx, actorOf(req), req.params.id, req.body.body)),
  )
}
