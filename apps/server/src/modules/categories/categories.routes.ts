import { CategoryDto, CategoryInput, CategoryPatch, IdParams, Ok } from '@allhands/contract'
import { Type } from 'typebox'
import { actorOf, type App } from '../../platform/http.ts'
import { createCategory, deleteCategory, listCategories, updateCategory } from './categories.service.ts'

/** /categories: everyone signed in reads them (tickets show them); admins change them. */
export async function categoriesRoutes(app: App) {
  const ctx = app.ctx
  app.get('/categories', { schema: { tags: ['categories'], response: { 200: Type.Array(CategoryDto) } } }, async () => listCategories(ctx.db))
  app.post(
    '/categories',
    {
      schema: {
        tags: ['categories'],
        description: 'Admins: a ticket category with the keywords that pick it for uncategorised tickets.',
        body: CategoryInput,
        response: { 201: CategoryDto },
      },
    },
    async (req, reply) => reply.code(201).send(await createCategory(ctx, actorOf(req), req.body)),
  )
  app.patch('/categories/:id', { schema: { tags: ['categories'], params: IdParams, body: CategoryPatch, response: { 200: CategoryDto } } }, async (req) =>
    updateCategory(ctx, actorOf(req), req.params.id, req.body),
  )
  app.delete('/categories/:id', { schema: { tags: ['categories'], params: IdParams, response: { 200: Ok } } }, async (req) => {
    await deleteCategory(ctx, actorOf(req), req.params.id)
    return { ok: true }
  })
}
