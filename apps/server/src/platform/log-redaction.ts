import type { FastifyRequest } from 'fastify'

/**
 * Public links that carry a secret in their path (sign-in links, survey links, invitations, guided-help runs): the
 * segment after each prefix is masked in request logs, so a log reader cannot replay the link.
 */
const SECRET_PATHS: RegExp[] = [
  /^(\/community\/login\/)[^/?#]+/,
  /^(\/survey\/)[^/?#]+/,
  /^(\/s\/)[^/?#]+/,
  /^(\/api\/v1\/public\/surveys\/csat\/)[^/?#]+/,
  /^(\/api\/v1\/public\/surveys\/responses\/)[^/?#]+/,
  /^(\/api\/v1\/invites\/)[^/?#]+/,
  /^(\/help\/trees\/[^/?#]+\/run\/)[^/?#]+/,
]

/** The URL with the secret segment of a public link replaced by `***`; other URLs unchanged. */
export function maskSecretPath(url: string): string {
  for (const re of SECRET_PATHS) if (re.test(url)) return url.replace(re, '$1***')
  return url
}

/** Fastify's request log line (method, url, host, remote address) with secret link segments masked. */
export function requestLogSerializer(req: FastifyRequest) {
  return {
    method: req.method,
    url: maskSecretPath(req.url),
    hostname: req.hostname,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  }
}
