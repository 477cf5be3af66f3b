import { CustomFieldDto, CustomFieldInput, CustomFieldPatch, IdParams, Ok } from '@allhands/contract'
import { Type } from 'typebox'
import { actorOf, type App } from '../../platform/http.ts'
import { createCustomField, deleteCustomField, listCustomFields, updateCustomField } from './custom-fields.service.ts'

export async function customFieldsRoutes(app: App) {
  app.get('/custom-fields', { schema: { tags: ['admin'], response: { 200: Type.Array(CustomFieldDto) } } }, async (req) => {
    actorOf(req)
    return listCustomFields(app.ctx.db)
  })
  app.post('/custom-fields', { schema: { tags: ['admin'], body: CustomFieldInput, response: { 201: CustomFieldDto } } }, async (req, reply) =>
    reply.code(201).send(await createCustomField(app.ctx, actorOf(req), req.body)),
  )
  app.patch('/custom-fields/:id', { schema: { tags: ['admin'], params: IdParams, body: CustomFieldPatch, response: { 200: CustomFieldDto } } }, async (req) =>
    updateCustomField(app.ctx, actorOf(req), req.params.id, req.body),
  )
  app.delete('/custom-fields/:id', { schema: { tags: ['admin'], params: IdParams, response: { 200: Ok } } }, async (req) => {
    await deleteCustomField(app.ctx, actorOf(req), req.params.id)
    return { ok: true }
  })
}
