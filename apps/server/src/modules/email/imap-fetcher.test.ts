import { describe, expect, it } from 'vitest'
import { rawEmail, startDovecot } from '../../../test/email-peers.ts'
import { buildTestApp, buildUser } from '../../../test/helpers.ts'
import { ImapWatcher, syncImapInbox } from './imap-fetcher.ts'

describe('IMAP fetch from a real Dovecot', async () => {
  const dovecot = await startDovecot()
  const app = await buildTestApp({ EMAIL_MAX_BYTES: '100000' })
  const admin = await buildUser(app, { role: 'admin' })
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/inboxes',
    headers: admin.headers,
    payload: { name: 'IMAP', type: 'email', email: { addresses: ['imap@acme.test'], imap: dovecot.settings } },
  })
  const inboxId: number = created.json().id
  const subjects = async () =>
    (await app.inject({ method: 'GET', url: `/api/v1/tickets?inbox=${inboxId}&limit=100`, headers: admin.headers }))
      .json()
      .items.map((t: { subject: string }) => t.subject)

  it('reports a working connection, and a clear error for a wrong password', async () => {
    const ok = (await app.inject({ method: 'POST', url: `/api/v1/inboxes/${inboxId}/test-connection`, headers: admin.headers })).json()
    expect(ok.imap).toEqual({ ok: true, error: null })
    expect(ok.smtp.ok).toBe(false)
    expect(ok.smtp.error).toMatch(/SMTP_URL is not set/)
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/inboxes',
      headers: admin.headers,
      payload: { name: 'Bad', type: 'email', email: { addresses: ['bad@acme.test'], imap: { ...dovecot.settings, password: 'wrong' } } },
    })
    const res = (await app.inject({ method: 'POST', url: `/api/v1/inboxes/${bad.json().id}/test-connection`, headers: admin.headers })).json()
    expect(res.imap.ok).toBe(false)
    expect(res.imap.error).toMatch(/auth|fail|invalid/i)
  })

  it('imports each message once, resumes by UID and marks imported mail seen', async () => {
    await dovecot.append(rawEmail({ from: 'a@customer.test', to: 'imap@acme.test', subject: 'IMAP one', text: 'first' }))
    await dovecot.append(rawEmail({ from: 'b@customer.test', to: 'imap@acme.test', subject: 'IMAP two', text: 'second' }))
    expect(await syncImapInbox(app.ctx, inboxId)).toBe(2)
    expect(await syncImapInbox(app.ctx, inboxId)).toBe(0)
    await dovecot.append(rawEmail({ from: 'c@customer.test', to: 'imap@acme.test', subject: 'IMAP three', text: 'third' }))
    expect(await syncImapInbox(app.ctx, inboxId)).toBe(1)
    expect((await subjects()).sort()).toEqual(['IMAP one', 'IMAP three', 'IMAP two'])
    const inbox = (await app.inject({ method: 'GET', url: '/api/v1/inboxes', headers: admin.headers })).json().find((i: { id: number }) => i.id === inboxId)
    expect(inbox.email.imapStatus).toMatchObject({ status: 'ok', lastError: null, importedCount: 3 })
    const client = await dovecot.client()
    await client.mailboxOpen('INBOX')
    const unseen = await client.search({ seen: false })
    await client.logout()
    expect(unseen).toEqual([])
  })

  it('re-reads the folder after a UIDVALIDITY change without importing anything twice', async () => {
    await app.ctx.db.updateTable('imapState').set({ uidValidity: 'stale' }).where('inboxId', '=', inboxId).execute()
    await syncImapInbox(app.ctx, inboxId)
    const log = (await app.inject({ method: 'GET', url: '/api/v1/inbound-emails?limit=200', headers: admin.headers })).json().items
    expect(log.filter((r: { disposition: string }) => r.disposition === 'duplicate')).toHaveLength(3)
    expect((await subjects()).length).toBe(3)
  })

  it('keeps an oversized message as failed mail from its headers and goes on with the rest', async () => {
    await dovecot.append(rawEmail({ from: 'big@customer.test', to: 'imap@acme.test', subject: 'Huge attachment', text: 'x'.repeat(150_000) }))
    await dovecot.append(rawEmail({ from: 'small@customer.test', to: 'imap@acme.test', subject: 'After the big one', text: 'small' }))
    await syncImapInbox(app.ctx, inboxId)
    expect(await subjects()).toContain('After the big one')
    const failed = (await app.inject({ method: 'GET', url: '/api/v1/inbound-emails?status=failed', headers: admin.headers })).json().items
    expect(failed[0].error).toMatch(/^The message is 14\d KB, over the 98 KB limit: only its headers were kept$/)
    const retried = await app.inject({ method: 'POST', url: `/api/v1/inbound-emails/${failed[0].id}/retry`, headers: admin.headers })
    expect(retried.json().disposition).toBe('ticket')
    expect(await subjects()).toContain('Huge attachment')
  })

  it('picks up new mail while connected (IDLE)', async () => {
    const watcher = new ImapWatcher(app.ctx, inboxId, dovecot.settings, 600_000)
    watcher.start()
    try {
      await expect
        .poll(async () => (await app.ctx.db.selectFrom('imapState').select('status').where('inboxId', '=', inboxId).executeTakeFirst())?.status, {
          timeout: 10_000,
        })
        .toBe('ok')
      await dovecot.append(rawEmail({ from: 'live@customer.test', to: 'imap@acme.test', subject: 'Arrived while idle', text: 'push' }))
      await expect.poll(subjects, { timeout: 15_000, interval: 300 }).toContain('Arrived while idle')
    } finally {
      await watcher.stop()
    }
  })
})
