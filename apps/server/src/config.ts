import os from 'node:os'
import path from 'node:path'

export type Role = 'web' | 'worker' | 'all'

export interface Config {
  readonly port: number
  readonly host: string
  readonly dataDir: string
  readonly databaseUrl: string | null
  readonly redisUrl: string | null
  /** Prefix of every Redis key and channel, so several deployments (or test runs) can share one Redis. */
  readonly redisPrefix: string
  /** Database connections this process keeps (default 10 for web/all, 4 for a worker). */
  readonly databasePoolSize: number
  /** PostgreSQL statement timeout for web and all-in-one processes (0 = none); workers and the CLI run without one. */
  readonly statementTimeoutMs: number
  /** Queries that take at least this long are logged (warn, with their SQL but not their parameters); 0 = off. */
  readonly slowQueryMs: number
  /** How long a claimed job stays with its worker without a heartbeat before another worker may take it over. */
  readonly jobLeaseMs: number
  /** How often a worker looks for due jobs. */
  readonly jobPollMs: number
  readonly smtpUrl: string | null
  readonly smtpInboundPort: number
  readonly role: Role
  readonly publicUrl: string
  readonly adminEmail: string | null
  readonly adminPassword: string | null
  readonly demo: boolean
  readonly logLevel: string
  readonly bodyLimit: number
  readonly attachmentLimit: number
  readonly emailMaxBytes: number
  /** Worker threads that parse inbound mail off the event loop (default: the cores but one, 1 to 4). */
  readonly mailParserThreads: number
  readonly smtpTlsKeyFile: string | null
  readonly smtpTlsCertFile: string | null
  readonly loginMaxAttempts: number
  /** How long a visitor whose last widget socket closed still counts as on the site (page navigation reconnects). */
  readonly chatLeaveGraceMs: number
  // issue 10 webhooks config
  /** Webhooks may be delivered to loopback, private, link-local and other non-public addresses (tests, internal receivers). */
  readonly webhooksAllowPrivate: boolean
  /** How long one webhook attempt may take (connect, answer and body) before it counts as failed. */
  readonly webhooksTimeoutMs: number
  // issue 10 sla config
  /** ALLHANDS_TEST_CLOCK=1: the owner may move the server clock (POST /api/v1/test/clock) — browser tests only, never production. */
  readonly testClock: boolean
  readonly version: string
}

type Env = Record<string, string | undefined>

function int(env: Env, key: string, fallback: number, problems: string[]): number {
  const raw = env[key]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0) problems.push(`${key} must be a non-negative integer (got "${raw}")`)
  return n
}

/** Reads every setting from the environment once; lists all problems together. */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const problems: string[] = []
  const port = int(env, 'PORT', 3000, problems)
  const databaseUrl = env.DATABASE_URL || null
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push('DATABASE_URL must start with postgres:// (leave it unset for SQLite)')
  if (env.REDIS_URL && !/^rediss?:\/\//.test(env.REDIS_URL)) problems.push('REDIS_URL must start with redis:// or rediss://')
  const role = (env.ALLHANDS_ROLE || 'all') as Role
  if (!['web', 'worker', 'all'].includes(role)) problems.push('ALLHANDS_ROLE must be web, worker or all')
  const adminEmail = env.ALLHANDS_ADMIN_EMAIL || null
  const adminPassword = env.ALLHANDS_ADMIN_PASSWORD || null
  if (adminEmail && !adminPassword) problems.push('ALLHANDS_ADMIN_PASSWORD is required with ALLHANDS_ADMIN_EMAIL')
  if (adminPassword && adminPassword.length < 8) problems.push('ALLHANDS_ADMIN_PASSWORD must be at least 8 characters')
  const config: Config = {
    port,
    host: env.HOST || '0.0.0.0',
    dataDir: path.resolve(cwd, env.DATA_DIR || 'data'),
    databaseUrl,
    redisUrl: env.REDIS_URL || null,
    redisPrefix: env.REDIS_PREFIX || 'allhands',
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', role === 'worker' ? 4 : 10, problems),
    statementTimeoutMs: int(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 15_000, problems),
    slowQueryMs: int(env, 'DATABASE_SLOW_QUERY_MS', 0, problems),
    jobLeaseMs: int(env, 'JOB_LEASE_MS', 60_000, problems),
    jobPollMs: int(env, 'JOB_POLL_MS', 500, problems),
    smtpUrl: env.SMTP_URL || null,
    smtpInboundPort: int(env, 'SMTP_INBOUND_PORT', 2525, problems),
    role,
    publicUrl: (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/$/, ''),
    adminEmail,
    adminPassword,
    demo: env.ALLHANDS_DEMO === '1' || env.ALLHANDS_DEMO === 'true',
    logLevel: env.LOG_LEVEL || 'info',
    bodyLimit: int(env, 'BODY_LIMIT_BYTES', 1024 * 1024, problems),
    attachmentLimit: int(env, 'ATTACHMENT_LIMIT_BYTES', 25 * 1024 * 1024, problems),
    emailMaxBytes: int(env, 'EMAIL_MAX_BYTES', 40 * 1024 * 1024, problems),
    mailParserThreads: int(env, 'MAIL_PARSER_THREADS', Math.min(4, Math.max(1, os.availableParallelism() - 1)), problems),
    smtpTlsKeyFile: env.SMTP_TLS_KEY_FILE || null,
    smtpTlsCertFile: env.SMTP_TLS_CERT_FILE || null,
    loginMaxAttempts: int(env, 'LOGIN_MAX_ATTEMPTS', 5, problems),
    chatLeaveGraceMs: int(env, 'CHAT_LEAVE_GRACE_MS', 10_000, problems),
    // issue 10 webhooks config
    webhooksAllowPrivate: env.WEBHOOKS_ALLOW_PRIVATE === '1' || env.WEBHOOKS_ALLOW_PRIVATE === 'true',
    testClock: env.ALLHANDS_TEST_CLOCK === '1',
    webhooksTimeoutMs: int(env, 'WEBHOOKS_TIMEOUT_MS', 10_000, problems),
    version: '0.1.0',
  }
  if (problems.length) throw new ConfigError(problems)
  return Object.freeze(config)
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
  }
}
