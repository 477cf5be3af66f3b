import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks'
import type { FastifyInstance, FastifyRequest } from 'fastify'

/** Who is asking, for records written during a request (the audit log); jobs and the CLI have none. */
export interface RequestContext {
  ip: string | null
  userAgent: string | null
}

const storage = new AsyncLocalStorage<RequestContext>()
const USER_AGENT_MAX = 300
const scopes = new WeakMap<FastifyRequest, AsyncResource>()

/**
 * Gives every request its context. Reading a body leaves the async scope the request started in, so the scope is
 * entered again before validation, as @fastify/request-context does.
 */
export function installRequestContext(app: FastifyInstance<any, any, any, any, any>): void {
  app.addHook('onRequest', (req, _reply, done) => {
    const agent = req.headers['user-agent']
    const store: RequestContext = { ip: req.ip ?? null, userAgent: agent ? agent.slice(0, USER_AGENT_MAX) : null }
    storage.run(store, () => {
      const scope = new AsyncResource('allhands-request')
      scopes.set(req, scope)
      scope.runInAsyncScope(done, req.raw)
    })
  })
  app.addHook('preValidation', (req, _reply, done) => {
    const scope = scopes.get(req)
    if (scope) scope.runInAsyncScope(done, req.raw)
    else done()
  })
}

/** The current request's context, or null outside a request (jobs, CLI). */
export const currentRequest = (): RequestContext | null => storage.getStore() ?? null
