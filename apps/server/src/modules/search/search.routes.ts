import { SearchQuery, SearchResultDto } from '@allhands/contract'
import { actorOf, type App } from '../../platform/http.ts'
import { searchEverything } from './search.service.ts'

export async function searchRoutes(app: App) {
  app.get('/search', { schema: { tags: ['search'], querystring: SearchQuery, response: { 200: SearchResultDto } } }, async (req) =>
    searchEverything(app.ctx, actorOf(req), req.query),
  )
}
