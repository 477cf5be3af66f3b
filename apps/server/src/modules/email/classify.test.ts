import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { simpleParser } from 'mailparser'
import { describe, expect, it } from 'vitest'
import { ALLHANDS_TICKET_HEADER, classifyEmail } from './classify.js'

// The corpora live beside the project (../shared/corpora from the repo root), read in place, never copied.
const CORPORA = path.resolve(import.meta.dirname, '../../../../../../shared/corpora')
const OPTS = { ourAddresses: ['support@allhands.example'], ourMessageIdDomain: 'mail.allhands.example' }

function corpusFile(...parts: string[]): string {
  const file = path.join(CORPORA, ...parts)
  if (!existsSync(file)) throw new Error(`Corpus file ${file} not found: check out the shared corpora beside the project (see MANIFEST.md)`)
  return file
}

async function classifyFile(file: string) {
  return classifyEmail(await simpleParser(readFileSync(file)), OPTS)
}

async function classifyRaw(raw: string) {
  return classifyEmail(await simpleParser(raw.replace(/\n/g, '\r\n')), OPTS)
}

/**
 * Two files in the flufl corpus are not delivery failures: groupwise_03 is a person's reply (upstream keeps it to check
 * the GroupWise detector finds nothing) and qmail_08 is a Spanish autoresponder; both are classified as what they are.
 */
const BOUNCE_KNOWN_MISSES = [
  'groupwise_03.txt: normal (written by a person)',
  'groupwise_03.txt: auto-reply allowed',
  'qmail_08.txt: auto_reply (X-Precedence: auto_reply)',
]
/** Bounces whose text and returned message name no recipient at all. */
const NO_RECIPIENT_KNOWN = ['groupwise_02.txt', 'simple_25.txt']

describe('classifyEmail on the flufl.bounce corpus', () => {
  const dir = corpusFile('bounces-flufl')
  const files = readdirSync(dir).filter((name) => name.endsWith('.txt'))

  it('classifies every delivery failure as a bounce and reads its recipients', async () => {
    const misses: string[] = []
    const withoutRecipient: string[] = []
    for (const name of files) {
      const result = await classifyFile(path.join(dir, name))
      if (result.kind !== 'bounce') misses.push(`${name}: ${result.kind} (${result.reason})`)
      else if ((result.bounce?.recipients.length ?? 0) === 0) withoutRecipient.push(name)
      if (result.autoReplyAllowed) misses.push(`${name}: auto-reply allowed`)
    }
    expect(files.length).toBe(115)
    expect(misses).toEqual(BOUNCE_KNOWN_MISSES)
    expect((files.length - new Set(misses.map((miss) => miss.split(':')[0])).size) / files.length).toBeGreaterThanOrEqual(0.95)
    expect(withoutRecipient).toEqual(NO_RECIPIENT_KNOWN)
  })
})

describe('classifyEmail on report samples', () => {
  it('reads a DSN: recipient, status, diagnostic and original Message-ID', async () => {
    const result = await classifyFile(corpusFile('mailparser', 'postal-mime', 'bounce.eml'))
    expect(result.kind).toBe('bounce')
    expect(result.bounce?.recipients.length).toBeGreaterThan(0)
    expect(result.bounce?.status).toMatch(/^5\./)
    expect(result.bounce?.originalMessageId).toMatch(/^<.+@.+>$/)
    expect(result.autoReplyAllowed).toBe(false)
  })

  it('reads the Amazon SES delivery-status sample', async () => {
    const result = await classifyFile(corpusFile('mailparser', 'mailparser', 'delivery-status.eml'))
    expect(result.kind).toBe('bounce')
    expect(result.bounce?.recipients).toEqual(['xxxx@xxxx.com'])
  })

  it('recognizes an ARF complaint', async () => {
    expect((await classifyFile(corpusFile('mailparser', 'postal-mime', 'arf.eml'))).kind).toBe('complaint')
  })

  it('keeps the other mailparser and mail-parser samples out of the bounce and complaint kinds', async () => {
    const wrong: string[] = []
    for (const folder of [
      ['mailparser', 'mailparser'],
      ['mailparser', 'postal-mime'],
      ['mail-parser', 'eml', 'rfc'],
      ['mail-parser', 'eml', 'thirdparty'],
    ]) {
      const dir = corpusFile(...folder)
      for (const name of readdirSync(dir).filter((file) => file.endsWith('.eml'))) {
        if (['bounce.eml', 'delivery-status.eml', 'arf.eml'].includes(name)) continue
        const result = await classifyFile(path.join(dir, name))
        if (result.kind === 'bounce' || result.kind === 'complaint') wrong.push(`${name}: ${result.reason}`)
      }
    }
    expect(wrong).toEqual([])
  })

  it('classifies ordinary customer replies (talon corpus) as normal', async () => {
    const dir = corpusFile('talon', 'standard_replies')
    for (const name of readdirSync(dir).filter((file) => file.endsWith('.eml'))) {
      const result = await classifyFile(path.join(dir, name))
      expect({ name, kind: result.kind, autoReplyAllowed: result.autoReplyAllowed }).toEqual({ name, kind: 'normal', autoReplyAllowed: true })
    }
  })
})

const customer = (headers: string, subject = 'Order 1234 missing') =>
  `From: Jane Customer <jane@customer.example>\nTo: support@allhands.example\nSubject: ${subject}\nMessage-ID: <abc@customer.example>\n${headers}Content-Type: text/plain\n\nHello, where is my order?\n`

describe('classifyEmail rules', () => {
  it('leaves plain customer mail normal', async () => {
    expect(await classifyRaw(customer(''))).toMatchObject({ kind: 'normal', autoReplyAllowed: true, isNoreplySender: false })
  })

  it.each([
    ['Auto-Submitted: auto-replied\n'],
    ['Auto-Submitted: auto-generated\n'],
    ['X-Autoreply: yes\n'],
    ['X-Autorespond: yes\n'],
    ['Precedence: auto_reply\n'],
  ])('treats %s as an auto-reply', async (headers) => {
    expect(await classifyRaw(customer(headers))).toMatchObject({ kind: 'auto_reply', autoReplyAllowed: false })
  })

  it('accepts Auto-Submitted: no as normal', async () => {
    expect((await classifyRaw(customer('Auto-Submitted: no\n'))).kind).toBe('normal')
  })

  it.each([
    'Out of Office: back Monday',
    'Automatic reply: Order 1234',
    'Abwesenheitsnotiz: Urlaub',
    'Réponse automatique : absent',
    'Autosvar: Ferie',
    'Re: order - I am out of the office',
  ])('treats the subject "%s" as an out-of-office reply', async (subject) => {
    expect((await classifyRaw(customer('', subject))).kind).toBe('auto_reply')
  })

  it('does not take "office" in an ordinary subject for an out-of-office reply', async () => {
    expect((await classifyRaw(customer('', 'Delivery to our office address'))).kind).toBe('normal')
  })

  it.each([['Precedence: bulk\n'], ['List-Id: <news.shop.example>\n'], ['List-Unsubscribe: <mailto:unsub@shop.example>\n']])(
    'marks %s as bulk',
    async (headers) => {
      expect(await classifyRaw(customer(headers))).toMatchObject({ kind: 'bulk', autoReplyAllowed: false })
    },
  )

  it('does not auto-reply when the sender asks Exchange to suppress it', async () => {
    expect(await classifyRaw(customer('X-Auto-Response-Suppress: All\n'))).toMatchObject({ kind: 'normal', autoReplyAllowed: false })
  })

  it('keeps noreply senders as tickets without auto-replies', async () => {
    const raw = customer('').replace('jane@customer.example', 'no-reply@shop.example')
    expect(await classifyRaw(raw)).toMatchObject({ kind: 'normal', isNoreplySender: true, autoReplyAllowed: false })
    expect((await classifyRaw(customer('').replace('jane@customer.example', 'donotreply@shop.example'))).isNoreplySender).toBe(true)
  })

  it('recognizes our own mail by address, Message-ID domain and ticket header', async () => {
    expect((await classifyRaw(customer('').replace('jane@customer.example', 'Support@allhands.example'))).kind).toBe('own_mail')
    expect((await classifyRaw(customer('').replace('abc@customer.example', 'x1@mail.allhands.example'))).kind).toBe('own_mail')
    expect((await classifyRaw(customer(`${ALLHANDS_TICKET_HEADER}: T-1\n`))).kind).toBe('own_mail')
  })

  it('classifies a read receipt as an auto-reply and an ARF report as a complaint', async () => {
    const report = (type: string) =>
      `From: jane@customer.example\nSubject: Read: Order\nContent-Type: multipart/report; report-type=${type}; boundary="b"\n\n--b\nContent-Type: text/plain\n\nYour message was displayed.\n--b--\n`
    expect((await classifyRaw(report('disposition-notification'))).kind).toBe('auto_reply')
    expect((await classifyRaw(report('feedback-report'))).kind).toBe('complaint')
  })

  it('reads a qmail-style bounce without a report part', async () => {
    const raw =
      "From: MAILER-DAEMON@mx.example\nSubject: failure notice\n\nHi. This is the qmail-send program at mx.example.\nI'm afraid I wasn't able to deliver your message to the following addresses.\n\n<gone@customer.example>:\n550 5.1.1 user unknown\n\n--- Below this line is a copy of the message.\n\nMessage-ID: <t1@mail.allhands.example>\n"
    const result = await classifyRaw(raw)
    expect(result.kind).toBe('bounce')
    expect(result.bounce).toMatchObject({ recipients: ['gone@customer.example'], status: '5.1.1', originalMessageId: '<t1@mail.allhands.example>' })
  })
})
