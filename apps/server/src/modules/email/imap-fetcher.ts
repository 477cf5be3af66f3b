import type { ImapFlow } from 'imapflow'
import { now } from '../../platform/clock.ts'
import { holdLease, releaseLease } from '../../platform/leases.ts'
import type { Ctx } from '../../platform/context.ts'
import { findInboxRow, readEmailSettings, type StoredEmailSettings } from '../inboxes/inboxes.service.ts'
import { processInboundEmail, receiveRawEmail } from './email.inbound.service.ts'

type ImapSettings = NonNullable<StoredEmailSettings['imap']>

const formatSize = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`)

/** An IMAP client for an inbox's settings (imapflow is loaded on first use, like the rest of the mail stack). */
export async function imapClient(imap: ImapSettings, opts: { autoIdleDelay?: number } = {}): Promise<ImapFlow> {
  const { ImapFlow } = await import('imapflow')
  return new ImapFlow({
    ...opts,
    host: imap.host,
    port: imap.port,
    secure: imap.tls === 'tls',
    doSTARTTLS: imap.tls === 'starttls' ? true : imap.tls === 'none' ? false : undefined,
    auth: { user: imap.user, pass: imap.password ?? '' },
    logger: false,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 5 * 60_000,
  })
}

async function setState(
  ctx: Ctx,
  inboxId: number,
  patch: { uidValidity?: string; lastUid?: number; status: string; lastError?: string | null; success?: boolean; imported?: number },
) {
  const t = now()
  const current = await ctx.db.selectFrom('imapState').selectAll().where('inboxId', '=', inboxId).executeTakeFirst()
  const next = {
    uidValidity: patch.uidValidity ?? current?.uidValidity ?? null,
    lastUid: patch.lastUid ?? current?.lastUid ?? 0,
    status: patch.status,
    lastError: patch.lastError === undefined ? (current?.lastError ?? null) : patch.lastError,
    lastRunAt: t,
    lastSuccessAt: patch.success ? t : (current?.lastSuccessAt ?? null),
    importedCount: (current?.importedCount ?? 0) + (patch.imported ?? 0),
  }
  if (current) await ctx.db.updateTable('imapState').set(next).where('inboxId', '=', inboxId).execute()
  else
    await ctx.db
      .insertInto('imapState')
      .values({ inboxId, ...next })
      .execute()
}

/**
 * Imports every message above the stored UID from an open mailbox. UIDs are remembered per UIDVALIDITY:
 * when the server renumbers (new UIDVALIDITY) the whole folder is read again and the Message-ID dedupe
 * keeps anything from being imported twice. The raw bytes are stored before the UID moves on, so a crash
 * can only cause a re-download, never a gap. A message over the size limit is recorded from its headers
 * as failed mail instead of blocking the rest.
 */
export async function syncMailbox(ctx: Ctx, client: ImapFlow, inboxId: number, imap: ImapSettings): Promise<number> {
  const mailbox = client.mailbox
  if (!mailbox) throw new Error('no mailbox is open')
  const uidValidity = String(mailbox.uidValidity)
  const state = await ctx.db.selectFrom('imapState').selectAll().where('inboxId', '=', inboxId).executeTakeFirst()
  let lastUid = state?.uidValidity === uidValidity ? state.lastUid : 0
  if (state?.uidValidity !== uidValidity) await setState(ctx, inboxId, { uidValidity, lastUid: 0, status: 'running' })
  if (!mailbox.exists) return 0
  const pending: { uid: number; size: number }[] = []
  for await (const m of client.fetch(`${lastUid + 1}:*`, { uid: true, size: true }, { uid: true })) {
    if (m.uid > lastUid) pending.push({ uid: m.uid, size: m.size ?? 0 })
  }
  pending.sort((a, b) => a.uid - b.uid)
  let imported = 0
  for (const { uid, size } of pending) {
    let inboundId: number
    if (size > ctx.config.emailMaxBytes) {
      const head = (await client.fetchOne(String(uid), { headers: true }, { uid: true })) || null
      inboundId = await receiveRawEmail(ctx, inboxId, head?.headers ?? Buffer.from(''), 'imap')
      await ctx.db
        .updateTable('inboundEmails')
        .set({
          status: 'failed',
          error: `The message is ${formatSize(size)}, over the ${formatSize(ctx.config.emailMaxBytes)} limit: only its headers were kept`,
        })
        .where('id', '=', inboundId)
        .execute()
    } else {
      const message = (await client.fetchOne(String(uid), { source: true }, { uid: true })) || null
      if (!message?.source) continue
      inboundId = await receiveRawEmail(ctx, inboxId, message.source, 'imap')
    }
    lastUid = uid
    await setState(ctx, inboxId, { lastUid, status: 'running', imported: 1 })
    imported++
    if (imap.afterImport === 'delete') await client.messageDelete(String(uid), { uid: true })
    else if (imap.afterImport === 'move' && imap.moveTo) await client.messageMove(String(uid), imap.moveTo, { uid: true })
    else await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true })
    if (size <= ctx.config.emailMaxBytes) {
      // Processing problems leave the message in the failed-mail view; they never stop the mailbox.
      await processInboundEmail(ctx, inboundId)
    }
  }
  return imported
}

/** One pass over an inbox's IMAP folder: connect, import what is new, disconnect. Records status for admins. */
export async function syncImapInbox(ctx: Ctx, inboxId: number): Promise<number> {
  const inbox = await findInboxRow(ctx.db, inboxId)
  const imap = inbox ? readEmailSettings(inbox)?.imap : null
  if (!imap) throw new Error(`Inbox ${inboxId} has no IMAP settings`)
  const client = await imapClient(imap)
  try {
    await client.connect()
    await client.mailboxOpen(imap.folder)
    const imported = await syncMailbox(ctx, client, inboxId, imap)
    await setState(ctx, inboxId, { status: 'ok', lastError: null, success: true })
    return imported
  } catch (err) {
    await setState(ctx, inboxId, { status: 'error', lastError: err instanceof Error ? err.message : String(err) })
    throw err
  } finally {
    await client.logout().catch(() => {})
  }
}

/**
 * Keeps one IMAP connection per inbox open: new mail arrives through IDLE (imapflow falls back to NOOP
 * polling where the server lacks IDLE), with a periodic full pass as a safety net and reconnects with backoff.
 */
export class ImapWatcher {
  private client: ImapFlow | null = null
  private stopped = false
  private chain: Promise<unknown> = Promise.resolve()
  private poll: NodeJS.Timeout | null = null
  private retry: NodeJS.Timeout | null = null
  private failures = 0

  constructor(
    private readonly ctx: Ctx,
    readonly inboxId: number,
    readonly imap: ImapSettings,
    private readonly pollMs = 60_000,
  ) {}

  start(): void {
    void this.connect()
  }

  private sync(): Promise<unknown> {
    this.chain = this.chain.then(async () => {
      if (!this.client || this.stopped) return
      try {
        await syncMailbox(this.ctx, this.client, this.inboxId, this.imap)
        await setState(this.ctx, this.inboxId, { status: 'ok', lastError: null, success: true })
      } catch (err) {
        await setState(this.ctx, this.inboxId, { status: 'error', lastError: err instanceof Error ? err.message : String(err) })
      }
    })
    return this.chain
  }

  private async connect(): Promise<void> {
    if (this.stopped) return
    // Enter IDLE a second after each command, so new mail is pushed to us almost at once.
    const client = await imapClient(this.imap, { autoIdleDelay: 1000 })
    this.client = client
    client.on('exists', () => void this.sync())
    client.on('close', () => this.scheduleReconnect())
    client.on('error', () => {})
    try {
      await client.connect()
      await client.mailboxOpen(this.imap.folder)
      this.failures = 0
      await this.sync()
      this.poll = setInterval(() => void this.sync(), this.pollMs)
    } catch (err) {
      await setState(this.ctx, this.inboxId, { status: 'error', lastError: err instanceof Error ? err.message : String(err) })
      client.close()
    }
  }

  private scheduleReconnect(): void {
    if (this.poll) clearInterval(this.poll)
    this.poll = null
    this.client = null
    if (this.stopped || this.retry) return
    this.failures++
    const delay = Math.min(5_000 * 2 ** (this.failures - 1), 5 * 60_000)
    this.retry = setTimeout(() => {
      this.retry = null
      void this.connect()
    }, delay)
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.poll) clearInterval(this.poll)
    if (this.retry) clearTimeout(this.retry)
    await this.chain
    await this.client?.logout().catch(() => {})
  }
}

/**
 * Runs a watcher for every email inbox with IMAP settings and follows settings changes. In a cluster each inbox is
 * watched by one worker at a time: the watcher holds a lease it renews on every reconcile; when its worker dies the
 * lease runs out (three reconcile periods) and another worker takes the inbox over.
 */
export function startImapWatchers(ctx: Ctx, opts: { reconcileMs?: number; pollMs?: number } = {}): { stop(): Promise<void> } {
  const reconcileMs = opts.reconcileMs ?? 10_000
  const holder = ctx.bus.nodeId
  const leaseOf = (inboxId: number) => `imap:${inboxId}`
  const watchers = new Map<number, { watcher: ImapWatcher; key: string }>()
  const stopWatcher = async (id: number) => {
    await watchers.get(id)?.watcher.stop()
    watchers.delete(id)
    await releaseLease(ctx.db, leaseOf(id), holder)
  }
  const reconcile = async () => {
    const inboxes = await ctx.db.selectFrom('inboxes').selectAll().where('type', '=', 'email').execute()
    const wanted = new Map(
      inboxes.flatMap((i) => {
        const imap = readEmailSettings(i)?.imap
        return imap ? [[i.id, imap] as const] : []
      }),
    )
    for (const [id, { key }] of [...watchers]) {
      const imap = wanted.get(id)
      if (!imap || JSON.stringify(imap) !== key) await stopWatcher(id)
    }
    for (const [id, imap] of wanted) {
      const held = await holdLease(ctx.db, leaseOf(id), holder, reconcileMs * 3)
      if (!held) {
        // Another worker holds the inbox (this one lost its lease while stalled): it must not fetch as well.
        if (watchers.has(id)) await stopWatcher(id)
        continue
      }
      if (watchers.has(id)) continue
      const watcher = new ImapWatcher(ctx, id, imap, opts.pollMs)
      watchers.set(id, { watcher, key: JSON.stringify(imap) })
      watcher.start()
    }
  }
  void reconcile().catch(() => {})
  const timer = setInterval(() => void reconcile().catch(() => {}), reconcileMs)
  return {
    async stop() {
      clearInterval(timer)
      await Promise.all([...watchers.keys()].map(stopWatcher))
    },
  }
}
