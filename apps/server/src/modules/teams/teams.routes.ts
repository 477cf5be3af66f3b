import { IdParams, Ok, TeamDto, TeamInput, TeamMembersInput } from '@allhands/contract'
import { Type } from 'typebox'
import { actorOf, type App } from '../../platform/http.ts'
import { createTeam, deleteTeam, listTeams, renameTeam, setTeamMembers } from './teams.service.ts'

export async function teamsRoutes(app: App) {
  app.get('/teams', { schema: { tags: ['teams'], response: { 200: Type.Array(TeamDto) } } }, async (req) => {
    actorOf(req)
    return listTeams(app.ctx.db)
  })
  app.post('/teams', { schema: { tags: ['teams'], body: TeamInput, response: { 201: TeamDto } } }, async (req, reply) =>
    reply.code(201).send(await createTeam(app.ctx, actorOf(req), req.body.name)),
  )
  app.patch('/teams/:id', { schema: { tags: ['teams'], params: IdParams, body: TeamInput, response: { 200: TeamDto } } }, async (req) =>
    renameTeam(app.ctx, actorOf(req), req.params.id, req.body.name),
  )
  app.delete('/teams/:id', { schema: { tags: ['teams'], params: IdParams, response: { 200: Ok } } }, async (req) => {
    await deleteTeam(app.ctx, actorOf(req), req.params.id)
    return { ok: true }
  })
  app.put('/teams/:id/members', { schema: { tags: ['teams'], params: IdParams, body: TeamMembersInput, response: { 200: TeamDto } } }, async (req) =>
    setTeamMembers(app.ctx, actorOf(req), req.params.id, req.body.userIds),
  )
}
