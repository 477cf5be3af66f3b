import type { FastifyRequest } from 'fastify'
import { AppError } from '../../platform/errors.ts'
import { SESSION_COOKIE } from './auth.service.ts'
import { type SessionMeta, sessionIdOf } from './sessions.service.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Reachable by a session that must first turn on two-factor authentication (issue 10). */
    allowDuringEnrolment?: boolean
  }
}

/** Where a sign-in comes from, as the session list shows it. */
export const sessionMetaOf = (req: FastifyRequest): SessionMeta => ({ ip: req.ip, userAgent: req.headers['user-agent'] ?? null })

/** The stored id of the session cookie this request is signed in with, if any. */
export function currentSessionIdOf(req: FastifyRequest): string | null {
  const sid = req.cookies[SESSION_COOKIE]
  return sid && req.authMethod === 'session' ? sessionIdOf(sid) : null
}

/**
 * A session opened without the 2FA its person's role requires reaches only the enrolment routes (and public ones);
 * the web app sends the person to the enrolment screen when it meets this error.
 */
export function assertReachableDuringEnrolment(req: FastifyRequest): void {
  const config = req.routeOptions.config
  if (!req.url.startsWith('/api/v1/') || config?.public || config?.allowDuringEnrolment) return
  throw new AppError('forbidden', 403, 'Turn on two-factor authentication first: your role requires it', { code: 'two_factor_enrolment_required' })
}
