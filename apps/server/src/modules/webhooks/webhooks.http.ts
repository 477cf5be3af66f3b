import { lookup as dnsLookup } from 'node:dns/promises'
import http from 'node:http'
import https from 'node:https'
import { isIP, type LookupFunction } from 'node:net'
import ipaddr from 'ipaddr.js'

/**
 * The outbound HTTP client of webhooks. Node 20's global fetch does not expose undici's Agent (needed to pin the
 * connection to a checked address), so this uses http(s).request with its `lookup` hook: the host is resolved once,
 * every address is checked, and the connection goes to the checked address, so a DNS answer that changes between
 * check and connect (rebinding) cannot steer it inside the network. Redirects are never followed (http.request does
 * not), one timer bounds the whole attempt, and the response body is read up to a cap, then the connection is dropped.
 */

/** A destination that is never tried: not public (unless allowed), not http(s), or not a valid URL. Retrying does not help. */
export class RefusedDestination extends Error {}

const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parse('2000::')

/**
 * Whether an address is a public unicast one. Refused: loopback, private (RFC 1918, unique-local), link-local,
 * carrier-grade NAT, multicast, broadcast, unspecified, documentation and other reserved ranges; IPv4-mapped IPv6
 * is judged as the IPv4 address it carries; IPv6 must be global unicast (2000::/3) without an IPv4 translation prefix.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false
  const ip = ipaddr.process(address)
  if (ip.kind() === 'ipv6' && !(ip as ipaddr.IPv6).match(GLOBAL_UNICAST_V6, 3)) return false
  return ip.range() === 'unicast'
}

/** The URL's host as http.request wants it (no IPv6 brackets). */
const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '')

/** Parses a webhook URL: http or https, a host, no credentials. */
export function parseWebhookUrl(raw: string): URL {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new RefusedDestination('The URL is not valid')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RefusedDestination('The URL must start with http:// or https://')
  if (!url.hostname) throw new RefusedDestination('The URL has no host')
  if (url.username || url.password) throw new RefusedDestination('The URL must not contain a user name or password')
  return url
}

/**
 * Resolves the URL's host and picks the address to connect to. Without `allowPrivate`, every address the name
 * resolves to must be public: a name that also points inside the network is refused as a whole.
 */
export async function resolveDestination(url: URL, allowPrivate: boolean): Promise<{ address: string; family: 4 | 6 }> {
  const host = hostOf(url)
  const literal = isIP(host)
  const addresses = literal ? [{ address: host, family: literal }] : await dnsLookup(host, { all: true, verbatim: true }).catch(() => [])
  if (!addresses.length) throw new Error(`The host ${host} could not be resolved`)
  if (!allowPrivate) {
    const inside = addresses.find((a) => !isPublicAddress(a.address))
    if (inside)
      throw new RefusedDestination(
        `${host} resolves to ${inside.address}, which is not a public address (set WEBHOOKS_ALLOW_PRIVATE=1 to deliver inside your network)`,
      )
  }
  const first = addresses[0]!
  return { address: first.address, family: first.family === 6 ? 6 : 4 }
}

export interface OutboundResponse {
  status: number
  headers: http.IncomingHttpHeaders
  /** At most `maxResponseBytes`. */
  body: Buffer
  /** The answer was longer than the cap: the rest was not read and the connection was closed. */
  bodyCut: boolean
}

export interface PostOptions {
  timeoutMs: number
  allowPrivate: boolean
  maxResponseBytes: number
}

/** POSTs `body` once to the checked address of `rawUrl`; rejects on refusal, network error or timeout (not on a 3xx–5xx). */
export async function postOnce(rawUrl: string, body: string, headers: Record<string, string>, opts: PostOptions): Promise<OutboundResponse> {
  const url = parseWebhookUrl(rawUrl)
  let timer: NodeJS.Timeout | undefined
  let request: http.ClientRequest | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`No complete answer within ${opts.timeoutMs / 1000} s`)
      request?.destroy(error)
      reject(error)
    }, opts.timeoutMs)
  })
  try {
    const target = await Promise.race([resolveDestination(url, opts.allowPrivate), timeout])
    return await Promise.race([
      new Promise<OutboundResponse>((resolve, reject) => {
        const host = hostOf(url)
        // Pinned: whatever the resolver says now, the socket goes to the address that was checked.
        const lookup: LookupFunction = (_hostname, options, callback) => {
          if ((options as { all?: boolean }).all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [target])
          else callback(null, target.address, target.family)
        }
        const client = url.protocol === 'https:' ? https : http
        request = client.request({
          protocol: url.protocol,
          hostname: host,
          port: url.port || undefined,
          path: `${url.pathname}${url.search}`,
          method: 'POST',
          agent: false,
          lookup,
          ...(url.protocol === 'https:' && !isIP(host) ? { servername: host } : {}),
          headers: { ...headers, host: url.host, 'content-length': String(Buffer.byteLength(body)), connection: 'close' },
        })
        request.on('error', reject)
        request.on('response', (res) => {
          const chunks: Buffer[] = []
          let size = 0
          let cut = false
          const finish = (bodyCut: boolean) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), bodyCut })
          res.on('data', (chunk: Buffer) => {
            if (cut) return
            const room = opts.maxResponseBytes - size
            if (chunk.length <= room) {
              chunks.push(chunk)
              size += chunk.length
              return
            }
            chunks.push(chunk.subarray(0, room))
            size = opts.maxResponseBytes
            cut = true
            finish(true)
            res.destroy()
            request?.destroy()
          })
          res.on('end', () => finish(false))
          res.on('error', reject)
        })
        request.end(body)
      }),
      timeout,
    ])
  } finally {
    clearTimeout(timer)
  }
}
