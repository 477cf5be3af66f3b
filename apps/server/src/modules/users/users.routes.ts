import { AcceptInviteInput, CreateUserInput, IdParams, InviteDto, InviteInput, InviteTokenParams, MeDto, UpdateUserInput, UserDto } from '@allhands/contract'
import { Type } from 'typebox'
import { actorOf, type App } from '../../platform/http.ts'
import { login, meOf } from '../auth/auth.service.ts'
import { SESSION_COOKIE, SESSION_TTL_MS } from '../auth/auth.service.ts'
import { getUserDto, listUsers } from './users.queries.ts'
import { acceptInvite, createInvite, createUser, describeInvite, listInvites, updateUser } from './users.service.ts'

export async function usersRoutes(app: App) {
  app.get('/users', { schema: { tags: ['users'], response: { 200: Type.Array(UserDto) } } }, async (req) => {
    actorOf(req)
    return listUsers(app.ctx.db)
  })
  app.post('/users', { schema: { tags: ['users'], body: CreateUserInput, response: { 201: UserDto } } }, async (req, reply) =>
    reply.code(201).send(await createUser(app.ctx, actorOf(req), req.body)),
  )
  app.patch('/users/:id', { schema: { tags: ['users'], params: IdParams, body: UpdateUserInput, response: { 200: UserDto } } }, async (req) =>
    updateUser(app.ctx, actorOf(req), req.params.id, req.body),
  )
  app.get('/invites', { schema: { tags: ['users'], response: { 200: Type.Array(InviteDto) } } }, async (req) => listInvites(app.ctx, actorOf(req)))
  app.post('/invites', { schema: { tags: ['users'], body: InviteInput, response: { 201: InviteDto } } }, async (req, reply) =>
    reply.code(201).send(await createInvite(app.ctx, actorOf(req), req.body)),
  )
  app.get('/invites/:token', { config: { public: true }, schema: { tags: ['users'], params: InviteTokenParams, response: { 200: InviteDto } } }, async (req) =>
    describeInvite(app.ctx, req.params.token),
  )
  app.post(
    '/invites/:token/accept',
    { config: { public: true }, schema: { tags: ['users'], params: InviteTokenParams, body: AcceptInviteInput, response: { 201: MeDto } } },
    async (req, reply) => {
      const id = await acceptInvite(app.ctx, req.params.token, req.body)
      const user = (await getUserDto(app.ctx.db, id))!
      const session = await login(app.ctx, { email: user.email, password: req.body.password }, req.ip)
      reply.setCookie(SESSION_COOKIE, session.sessionId, { path: '/', httpOnly: true, sameSite: 'lax', maxAge: SESSION_TTL_MS / 1000 })
      return reply.code(201).send(await meOf(app.ctx.db, session.actor))
    },
  )
}
