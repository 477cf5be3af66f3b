import { HealthDto } from '@allhands/contract'
import { sql } from 'kysely'
import type { App } from '../../platform/http.ts'

export async function healthRoutes(app: App) {
  app.get('/health', { config: { public: true }, schema: { tags: ['health'], response: { 200: HealthDto, 503: HealthDto } } }, async (_req, reply) => {
    let db = false
    try {
      await sql`SELECT 1`.execute(app.ctx.db)
      db = true
    } catch {}
    // Redis being away degrades live updates across nodes, not the service: the node stays healthy for the balancer.
    return reply
      .code(db ? 200 : 503)
      .send({ status: db ? 'ok' : 'degraded', db, dialect: app.ctx.dialect, version: app.ctx.config.version, redis: app.ctx.bus.status() })
  })
}
