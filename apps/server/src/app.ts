import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import cookie from '@fastify/cookie'
import multipart from '@fastify/multipart'
import rateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import websocket from '@fastify/websocket'
import Fastify from 'fastify'
import type { Config } from './config.ts'
import type { Database } from './db/database.ts'
import { SESSION_COOKIE } from './modules/auth/auth.service.ts'
// issue 10 security: API tokens with scopes and expiry
import { authenticateTokenRequest, explainTokenScopeRefusal } from './modules/auth/api-tokens.service.ts'
// issue 10 security: session resolution with the 2FA enrolment-only check
import { assertReachableDuringEnrolment } from './modules/auth/request-session.ts'
// issue 9 community: request log serializer masking secret link segments
import { requestLogSerializer } from './platform/log-redaction.ts'
import { resolveSession } from './modules/auth/sessions.service.ts'
import { auditRoutes } from './modules/audit/audit.routes.ts'
// issue 5 route imports
import { rotationsRoutes } from './modules/rotations/index.ts'
import { categoriesRoutes } from './modules/categories/index.ts'
import { riskRoutes } from './modules/risk/index.ts'
import { queueRoutes } from './modules/queue/index.ts'
import { coursesRoutes } from './modules/courses/index.ts'
import { toneRoutes } from './modules/tone/index.ts'
import { consultsRoutes } from './modules/consults/index.ts'
import { monitoringRoutes } from './modules/monitoring/index.ts'
import { rideAlongsRoutes } from './modules/ride-alongs/index.ts'
import { reviewsRoutes } from './modules/reviews/index.ts'
import { authRoutes } from './modules/auth/auth.routes.ts'
import { attachmentsRoutes } from './modules/attachments/attachments.routes.ts'
import { contactsRoutes } from './modules/contacts/contacts.routes.ts'
import { emailRoutes, registerEmailChannel } from './modules/email/index.ts'
import { customFieldsRoutes } from './modules/custom-fields/custom-fields.routes.ts'
import { healthRoutes } from './modules/health/health.routes.ts'
import { inboxesRoutes } from './modules/inboxes/inboxes.routes.ts'
import { notificationsRoutes } from './modules/notifications/notifications.routes.ts'
import { realtimeRoutes } from './modules/realtime/realtime.routes.ts'
import { searchRoutes } from './modules/search/search.routes.ts'
import { settingsRoutes } from './modules/settings/settings.routes.ts'
import { teamsRoutes } from './modules/teams/teams.routes.ts'
import { ticketsRoutes } from './modules/tickets/tickets.routes.ts'
import { usersRoutes } from './modules/users/users.routes.ts'
import { webFormPage, webFormRoutes } from './modules/web-form/web-form.routes.ts'
import { BlobStore } from './platform/blobs.ts'
import type { Ctx } from './platform/context.ts'
import { registerErrorHandler } from './platform/errors-plugin.ts'
import { AppError, unauthenticated } from './platform/errors.ts'
import { canViewTicket } from './platform/policy.ts'
import { Realtime } from './platform/realtime.ts'
import { JobRunner } from './platform/jobs.ts'
import { lazyCompilers } from './platform/lazy-compilers.ts'
import { allJobs } from './jobs.ts'
// issue 6 surveys route imports
import { surveyPages, surveysRoutes } from './modules/surveys/index.ts'
// issue 6 reports route imports
import { reportsRoutes } from './modules/reports/index.ts'
import { liveDashboardRoutes } from './modules/live-dashboard/index.ts'
// issue 10 macros route imports
import { macrosRoutes } from './modules/macros/index.ts'
// issue 8 background jobs route imports
import { backgroundJobsRoutes } from './modules/background-jobs/index.ts'
// issue 10 webhooks route imports
// issue 10 automations route imports
import { automationsRoutes } from './modules/automations/index.ts'
// issue 10 sla route imports
import { slaRoutes } from './modules/sla/index.ts'
// issue 10 notifications route imports
// issue 10 import route imports
import { importsRoutes } from './modules/imports/index.ts'
// issue 10 export route imports
import { exportsRoutes } from './modules/exports/index.ts'
import { privacyRoutes } from './modules/privacy/index.ts'
import { installRequestContext } from './platform/request-context.ts'
// issue 10 sso route imports
// issue 9 kb route imports
import { helpCenterPages, kbRoutes } from './modules/kb/index.ts'
// issue 9 decision-trees route imports
import { decisionTreePages, decisionTreesRoutes } from './modules/decision-trees/index.ts'
import { webhooksRoutes } from './modules/webhooks/index.ts'
// issue 9 community route imports
import { communityPages, communityRoutes } from './modules/community/index.ts'
// issue 7 chat route imports
import { chatRoutes, widgetAssetRoutes } from './modules/chat/index.ts'
import { VisitorHub } from './modules/chat/visitor-hub.ts'
import { MailDigestPool } from './modules/email/mail-digest-pool.ts'
import { redisBus, singleNodeBus } from './platform/cluster-bus.ts'
import { chatDeskRoutes } from './modules/chat-desk/index.ts'
// issue 6 voc route imports
import { vocRoutes } from './modules/voc/index.ts'

const here = path.dirname(fileURLToPath(import.meta.url))
export const WEB_DIST = path.resolve(here, '../../web/dist')

/** Builds the HTTP app: platform plugins first, then one plugin per module under /api/v1. */
export async function buildApp(config: Config, database: Database, opts: { logger?: boolean } = {}) {
  const compilers = lazyCompilers()
  const app = Fastify({
    logger:
      opts.logger === false
        ? false
        : // issue 9 community: secret link segments (sign-in, survey, invitation links) are masked in request logs
          { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'], serializers: { req: requestLogSerializer } },
    bodyLimit: config.bodyLimit,
    trustProxy: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false }, plugins: [] },
    schemaController: { compilersFactory: compilers.compilersFactory },
  }).withTypeProvider<TypeBoxTypeProvider>()

  const bus = config.redisUrl ? redisBus(config.redisUrl, config.redisPrefix, app.log) : singleNodeBus()
  const ctx: Ctx = {
    db: database.db,
    dialect: database.dialect,
    config,
    bus,
    realtime: new Realtime(canViewTicket, bus),
    blobs: new BlobStore(path.join(config.dataDir, 'blobs'), database.db),
    jobs: new JobRunner(() => ctx),
    visitors: new VisitorHub(config.chatLeaveGraceMs, bus),
    mailParser: new MailDigestPool({ threads: config.mailParserThreads }),
  }
  ctx.jobs.register(...allJobs)
  registerEmailChannel()
  app.addHook('onClose', async () => {
    ctx.visitors.close()
    ctx.realtime.close()
    await ctx.jobs.stop()
    await ctx.mailParser.close()
    await bus.close()
  })
  app.decorate('ctx', ctx)
  app.decorate('compileAllSchemas', compilers.compileAll)
  app.decorateRequest('actor', null)
  app.decorateRequest('authMethod', null)
  registerErrorHandler(app)

  await app.register(cookie)
  // With Redis the limits hold across every web node; when Redis is unreachable requests pass rather than fail.
  await app.register(rateLimit, {
    global: false,
    ...(bus.redis ? { redis: bus.redis, nameSpace: `${config.redisPrefix}:rate-limit:`, skipOnError: true } : {}),
  })
  await app.register(multipart, { limits: { fileSize: config.attachmentLimit, files: 5 } })
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } })
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Allhands API',
        version: config.version,
        description:
          'REST API of the Allhands help desk. Authenticate with the session cookie from POST /api/v1/auth/login or a personal token: `Authorization: Bearer <token>`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
      security: [{ bearer: [] }, { session: [] }],
    },
  })
  await app.register(swaggerUi, { routePrefix: '/api/docs' })
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger())

  // How long the server spent on each answer (Server-Timing, visible in browser dev tools): the benchmarks under load
  // read it to tell server time from time spent queueing on the client's side.
  app.addHook('onSend', async (_req, reply) => {
    reply.header('Server-Timing', `app;dur=${reply.elapsedTime.toFixed(1)}`)
  })

  // issue 10 export: the request's IP and user agent, read by recordAudit
  installRequestContext(app)

  // Every route requires a signed-in actor unless it declares config.public.
  app.addHook('onRequest', async (req) => {
    const auth = req.headers.authorization
    if (auth?.startsWith('Bearer ')) {
      // issue 10 security: 401 for unknown or expired tokens, 403 naming a missing read/write scope
      await authenticateTokenRequest(ctx.db, req, auth.slice(7).trim())
    } else {
      const sid = req.cookies[SESSION_COOKIE]
      if (sid) {
        // issue 10 security: the session also says whether it may only enrol in 2FA (checked below)
        const session = await resolveSession(ctx.db, sid)
        req.actor = session?.actor ?? null
        req.authMethod = req.actor ? 'session' : null
        if (session?.enrolmentOnly) assertReachableDuringEnrolment(req)
        // Cookie-authenticated writes and sockets must come from our own pages.
        const origin = req.headers.origin
        const isWrite = !['GET', 'HEAD', 'OPTIONS'].includes(req.method) || req.headers.upgrade === 'websocket'
        if (req.actor && origin && isWrite) {
          const host = req.headers['x-forwarded-host'] ?? req.headers.host
          // `Origin: null` (sandboxed or redirected requests) and malformed values do not parse: refused too.
          if (!URL.canParse(origin) || new URL(origin).host !== host) throw new AppError('forbidden', 403, 'Cross-site request refused')
        }
      }
    }
    const isApi = req.url.startsWith('/api/v1/')
    if (isApi && !req.routeOptions.config?.public && !req.actor) throw unauthenticated()
  })
  // issue 10 security: a 403 for a token without the admin scope says that the scope is what is missing
  app.addHook('onSend', explainTokenScopeRefusal)

  await app.register(
    async (api) => {
      for (const routes of [
        healthRoutes,
        authRoutes,
        usersRoutes,
        teamsRoutes,
        inboxesRoutes,
        settingsRoutes,
        customFieldsRoutes,
        ticketsRoutes,
        contactsRoutes,
        searchRoutes,
        notificationsRoutes,
        attachmentsRoutes,
        webFormRoutes,
        realtimeRoutes,
        emailRoutes,
        auditRoutes,
        // everyone-does-support modules (issue 5)
        rotationsRoutes,
        categoriesRoutes,
        riskRoutes,
        queueRoutes,
        coursesRoutes,
        toneRoutes,
        consultsRoutes,
        rideAlongsRoutes,
        monitoringRoutes,
        reviewsRoutes,
        // issue 6 surveys routes
        surveysRoutes,
        // issue 6 reports routes
        reportsRoutes,
        liveDashboardRoutes,
        // issue 6 voc routes
        vocRoutes,
        // issue 10 macros routes
        macrosRoutes,
        // issue 8 background jobs routes
        backgroundJobsRoutes,
        // issue 10 webhooks routes
        // issue 10 automations routes
        automationsRoutes,
        // issue 10 sla routes
        slaRoutes,
        // issue 10 notifications routes
        // issue 10 import routes
        importsRoutes,
        // issue 10 export routes
        exportsRoutes,
        privacyRoutes,
        // issue 10 sso routes
        // issue 9 kb routes
        kbRoutes,
        // issue 9 decision-trees routes
        decisionTreesRoutes,
        // issue 9 community routes
        communityRoutes,
        webhooksRoutes,
        // issue 7 chat routes
        chatRoutes,
        chatDeskRoutes,
      ]) {
        await api.register(routes)
      }
    },
    { prefix: '/api/v1' },
  )
  await app.register(webFormPage)
  await app.register(surveyPages) // issue 6 surveys public pages (/survey/:token, /s/:key)
  await app.register(widgetAssetRoutes) // issue 7 chat widget script (/widget.js)
  await app.register(decisionTreePages) // issue 9 decision-trees public pages (/help/trees)
  await app.register(helpCenterPages) // issue 9 kb public help center (/help)
  // issue 9 community public pages (/community)
  await app.register(communityPages)

  if (fs.existsSync(path.join(WEB_DIST, 'index.html'))) {
    await app.register(fastifyStatic, { root: WEB_DIST, prefix: '/', wildcard: false, index: false, maxAge: '1h' })
    const indexHtml = fs.readFileSync(path.join(WEB_DIST, 'index.html'), 'utf8')
    // The SPA owns every other GET path that is not an API or asset.
    app.get('/*', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
      if (req.url.startsWith('/api/')) throw new AppError('not_found', 404, `No route GET ${req.url.split('?')[0]}`)
      const file = path.join(WEB_DIST, req.url.split('?')[0]!)
      if (file.startsWith(WEB_DIST) && req.url.includes('.') && fs.existsSync(file) && fs.statSync(file).isFile())
        return reply.sendFile(path.relative(WEB_DIST, file))
      return reply.type('text/html').header('Cache-Control', 'no-cache').send(indexHtml)
    })
  }
  return app
}
