import { afterEach, describe, expect, it } from 'vitest'
import { MailDigestPool } from './mail-digest-pool.ts'

const opts = { ourAddresses: ['help@acme.test'], ourMessageIdDomain: 'acme.test', attachmentLimit: 1024 * 1024 }
const mail = (n: number, extra = '') =>
  Buffer.from(
    `From: Dana <dana${n}@example.test>\r\nTo: help@acme.test\r\nSubject: Card ${n} blocked\r\nMessage-ID: <m${n}@example.test>\r\n${extra}` +
      `Content-Type: text/html; charset=utf-8\r\n\r\n<p>My card ${n} is blocked</p><img src="cid:logo@x"><script>alert(1)</script>` +
      `<blockquote>On Monday, Support wrote:<br>earlier</blockquote>\r\n`,
  )

describe('mail parser threads', () => {
  let pool: MailDigestPool
  afterEach(() => pool.close())

  it('parses, classifies and sanitizes on a worker thread; messages spread over the threads and the threads stop when idle', async () => {
    pool = new MailDigestPool({ threads: 2, idleMs: 200 })
    const digests = await Promise.all([1, 2, 3, 4].map((n) => pool.digest(mail(n), opts)))
    expect(pool.threads).toBe(2)
    const d = digests[2]!
    expect(d.from).toEqual({ address: 'dana3@example.test', name: 'Dana' })
    expect(d.messageId).toBe('m3@example.test')
    expect(d.classification.kind).toBe('normal')
    expect(d.content.html).not.toContain('<script')
    expect(d.content.html).toContain('src="cid:logo@x"')
    expect(d.content.text).toMatch(/^My card 3 is blocked/)
    expect(d.content.text).not.toContain('earlier')
    expect(d.content.fullText).toContain('earlier')
    const auto = await pool.digest(mail(5, 'Auto-Submitted: auto-replied\r\n'), opts)
    expect(auto.classification.kind).toBe('auto_reply')
    await new Promise((r) => setTimeout(r, 600))
    expect(pool.threads).toBe(0)
    expect((await pool.digest(mail(6), opts)).subject).toBe('Card 6 blocked')
  })

  it('fails a message that takes too long, replaces its thread, and parses the next one', async () => {
    pool = new MailDigestPool({ threads: 1, timeoutMs: 1 })
    await expect(pool.digest(mail(1), opts)).rejects.toThrow(/took longer than/)
    expect(pool.threads).toBe(0)
    await pool.close()
    pool = new MailDigestPool({ threads: 1 })
    expect((await pool.digest(mail(2), opts)).subject).toBe('Card 2 blocked')
  })

  it('refuses work once closed', async () => {
    pool = new MailDigestPool({ threads: 1 })
    await pool.close()
    await expect(pool.digest(mail(1), opts)).rejects.toThrow(/shut down/)
  })
})
