import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Actor } from './actor.ts'
import type { Ctx } from './context.ts'
import { unauthenticated } from './errors.ts'

declare module 'fastify' {
  interface FastifyInstance {
    ctx: Ctx
    /** Compiles every route schema still waiting for its first request (platform/lazy-compilers.ts); returns how many. */
    compileAllSchemas(): number
  }
  interface FastifyRequest {
    actor: Actor | null
    authMethod: 'session' | 'token' | null
  }
  interface FastifyContextConfig {
    /** Reachable without signing in. */
    public?: boolean
  }
}

export type App = FastifyInstance<any, any, any, any, TypeBoxTypeProvider>

/** The signed-in actor; the global auth hook has already refused anonymous requests on non-public routes. */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw unauthenticated()
  return req.actor
}

export type Handler = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>

/**
 * Whether a request URL is at this canonical path. Paths with non-Latin slugs are sent percent-encoded, and clients
 * differ in what they encode, so both sides are compared decoded (an undecodable URL is not the canonical one).
 */
export function isSamePath(url: string, canonical: string): boolean {
  const decode = (p: string) => {
    try {
      return decodeURIComponent(p)
    } catch {
      return null
    }
  }
  const path = decode(url.split('?')[0] ?? '')
  return path !== null && path === decode(canonical)
}
