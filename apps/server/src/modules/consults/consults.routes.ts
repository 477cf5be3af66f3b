import {
  AssignConsultInput,
  ConsultDetailDto,
  ConsultDto,
  ConsultListQuery,
  ConsultMessageInput,
  ConsultSettingsDto,
  CreateConsultInput,
  ExpertDto,
  ExpertiseQuery,
  IdParams,
  Page,
} from '@allhands/contract'
import { Type } from 'typebox'
import { actorOf, type App } from '../../platform/http.ts'
import {
  assignConsult,
  createConsult,
  getConsultDetail,
  getConsultSettings,
  listConsults,
  listTicketConsults,
  postConsultMessage,
  resolveConsult,
  updateConsultSettings,
} from './consults.service.ts'
import { searchExperts } from './expertise.service.ts'

/** Expert consults from tickets, their threads, and the "who knows this?" directory. */
export async function consultsRoutes(app: App) {
  const ctx = app.ctx
  const tags = ['consults']
  app.post(
    '/tickets/:id/consults',
    {
      schema: {
        tags,
        description: 'Asks a team (routed to its on-call person when a rotation has one) or a person a question about the ticket.',
        params: IdParams,
        body: CreateConsultInput,
        response: { 201: ConsultDto },
      },
    },
    async (req, reply) => reply.code(201).send(await createConsult(ctx, actorOf(req), req.params.id, req.body)),
  )
  app.get(
    '/tickets/:id/consults',
    {
      schema: {
        tags,
        description: "The ticket's consults, waiting ones first.",
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(ConsultDto) }) },
      },
    },
    async (req) => ({ items: await listTicketConsults(ctx, actorOf(req), req.params.id) }),
  )
  app.get(
    '/consults',
    {
      schema: {
        tags,
        description: 'Consults the caller may see; waiting ones first, most overdue first. `mine`: assigned, team or asked.',
        querystring: ConsultListQuery,
        response: { 200: Page(ConsultDto) },
      },
    },
    async (req) => listConsults(ctx, actorOf(req), req.query),
  )
  app.get('/consults/:id', { schema: { tags, params: IdParams, response: { 200: ConsultDetailDto } } }, async (req) =>
    getConsultDetail(ctx, actorOf(req), req.params.id),
  )
  app.post(
    '/consults/:id/messages',
    {
      schema: {
        tags,
        description: 'An answer (from the people asked) or a follow-up. Never reaches the customer.',
        params: IdParams,
        body: ConsultMessageInput,
        response: { 201: ConsultDetailDto },
      },
    },
    async (req, reply) => reply.code(201).send(await postConsultMessage(ctx, actorOf(req), req.params.id, req.body.body)),
  )
  app.post('/consults/:id/resolve', { schema: { tags, params: IdParams, response: { 200: ConsultDto } } }, async (req) =>
    resolveConsult(ctx, actorOf(req), req.params.id),
  )
  app.post('/consults/:id/assign', { schema: { tags, params: IdParams, body: AssignConsultInput, response: { 200: ConsultDto } } }, async (req) =>
    assignConsult(ctx, actorOf(req), req.params.id, req.body.userId),
  )
  app.get('/consult-settings', { schema: { tags, response: { 200: ConsultSettingsDto } } }, async () => getConsultSettings(ctx.db))
  app.put(
    '/consult-settings',
    { schema: { tags, description: 'Admins only; audited.', body: ConsultSettingsDto, response: { 200: ConsultSettingsDto } } },
    async (req) => updateConsultSettings(ctx, actorOf(req), req.body),
  )
  app.get(
    '/expertise',
    {
      schema: {
        tags,
        description: '"Who knows this?": people ranked by answered consults matching the words, recent ones weighing more. People and labels only.',
        querystring: ExpertiseQuery,
        response: { 200: Type.Object({ items: Type.Array(ExpertDto) }) },
      },
    },
    async (req) => {
      actorOf(req)
      return { items: await searchExperts(ctx, req.query) }
    },
  )
}
