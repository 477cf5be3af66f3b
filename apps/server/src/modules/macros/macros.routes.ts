import {
  AppliedMacroDto,
  ApplyMacroParams,
  CreateMacroInput,
  IdParams,
  MacroDto,
  MacroList,
  MacroListQuery,
  MacroPreviewDto,
  Ok,
  PreviewMacroInput,
  UpdateMacroInput,
} from '@allhands/contract'
import { actorOf, type App } from '../../platform/http.ts'
import { applyMacro, createMacro, deleteMacro, getMacro, listMacros, previewMacro, updateMacro } from './macros.service.ts'

/** /macros: saved replies with placeholders and ticket actions; applied to a ticket from the composer or the palette. */
export async function macrosRoutes(app: App) {
  const ctx = app.ctx
  const tags = ['macros']

  app.get(
    '/macros',
    {
      schema: {
        tags,
        description:
          'The macros the caller may use (their personal ones and the shared ones; contributors: shared macros approved for them), most used first, then by name.',
        querystring: MacroListQuery,
        response: { 200: MacroList },
      },
    },
    async (req) => listMacros(ctx, actorOf(req), req.query),
  )
  app.post(
    '/macros',
    {
      schema: {
        tags,
        description:
          'Support staff create personal macros; admins also shared ones. The body is sanitized; an unknown {{placeholder}} is refused with 400 listing it.',
        body: CreateMacroInput,
        response: { 201: MacroDto },
      },
    },
    async (req, reply) => reply.code(201).send(await createMacro(ctx, actorOf(req), req.body)),
  )
  app.get('/macros/:id', { schema: { tags, params: IdParams, response: { 200: MacroDto } } }, async (req) => getMacro(ctx, actorOf(req), req.params.id))
  app.patch(
    '/macros/:id',
    {
      schema: {
        tags,
        description: 'Personal macros by their owner, shared ones by admins.',
        params: IdParams,
        body: UpdateMacroInput,
        response: { 200: MacroDto },
      },
    },
    async (req) => updateMacro(ctx, actorOf(req), req.params.id, req.body),
  )
  app.delete('/macros/:id', { schema: { tags, params: IdParams, response: { 200: Ok } } }, async (req) => {
    await deleteMacro(ctx, actorOf(req), req.params.id)
    return { ok: true }
  })
  app.post(
    '/macros/:id/preview',
    {
      schema: {
        tags,
        description: "The macro's reply rendered for a ticket (placeholders filled, values escaped). Changes nothing.",
        params: IdParams,
        body: PreviewMacroInput,
        response: { 200: MacroPreviewDto },
      },
    },
    async (req) => previewMacro(ctx, actorOf(req), req.params.id, req.body.ticketId),
  )
  app.post(
    '/tickets/:id/macros/:macroId/apply',
    {
      schema: {
        tags,
        description:
          "Applies the macro's actions to the ticket as the caller would by hand (same permissions, history and events), counts the use and returns the rendered reply to insert into the composer.",
        params: ApplyMacroParams,
        response: { 200: AppliedMacroDto },
      },
    },
    async (req) => applyMacro(ctx, actorOf(req), req.params.id, req.params.macroId),
  )
}
