import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { postEmail, rawEmail, startSmtpSink } from '../../../test/email-peers.ts'
import { buildTestApp, buildUser, unique } from '../../../test/helpers.ts'

type User = Awaited<ReturnType<typeof buildUser>>

describe('email channel: inbound pipeline and threading', async () => {
  const sink = await startSmtpSink()
  const app = await buildTestApp({ SMTP_URL: sink.url, PUBLIC_URL: 'https://help.acme.test' })
  const admin = await buildUser(app, { role: 'admin' })
  const agent = await buildUser(app, { role: 'agent', name: 'Alex Agent' })
  let inboxId: number
  const support = 'support@acme.test'

  beforeAll(async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/inboxes',
      headers: admin.headers,
      payload: { name: 'Email', type: 'email', email: { addresses: [support], displayName: 'Acme Support', signature: 'The Acme team' } },
    })
    expect(res.statusCode).toBe(201)
    inboxId = res.json().id
  })

  const send = (raw: string) => postEmail(app, admin.headers, inboxId, raw)
  const messages = async (ticketId: number, as: User = agent) =>
    (await app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}/messages`, headers: as.headers })).json().items
  const ticket = async (ticketId: number) => (await app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}`, headers: agent.headers })).json()

  /** An agent reply on the ticket, sent through the outbound job to the sink; returns the mail as the customer got it. */
  async function agentReply(ticketId: number, body = 'Thanks, looking into it.') {
    const before = sink.received.length
    const res = await app.inject({ method: 'POST', url: `/api/v1/tickets/${ticketId}/replies`, headers: agent.headers, payload: { body } })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json().delivery).toEqual({ status: 'queued', error: null })
    await app.ctx.jobs.runDue()
    return sink.waitFor(before + 1)
  }

  it('assesses a new ticket with its first message, as the API does: risk, reasons and the message id', async () => {
    const result = await send(
      rawEmail({ from: 'Rita Refund <rita@customer.test>', to: support, subject: 'Money back please', text: 'I would like a refund for last month.' }),
    )
    expect(result.disposition).toBe('ticket')
    const t = await ticket(result.ticketId!)
    expect(t.riskLevel).toBe('medium')
    expect(t.riskReasons).toEqual([expect.objectContaining({ rule: 'Money and outages', detail: 'Mentions “refund”' })])
    expect(t.lastMessageId).toBe(result.messageId)
    expect((await messages(result.ticketId!)).map((m: { id: number }) => m.id)).toEqual([result.messageId])
  })

  it('opens a ticket from a new message, with the trimmed reply, the full text and sanitized HTML', async () => {
    const result = await send(
      rawEmail({
        from: 'Carla Customer <carla@customer.test>',
        to: support,
        cc: 'boss@customer.test',
        subject: 'Card declined',
        text: 'My card was declined.\n\nSent from my iPhone',
        html: '<p>My card was <b>declined</b>.<script>alert(1)</script><img src="https://tracker.test/p.gif"></p><p>Sent from my iPhone</p>',
      }),
    )
    expect(result.disposition).toBe('ticket')
    const t = await ticket(result.ticketId!)
    expect(t).toMatchObject({ subject: 'Card declined', status: 'new', requester: { name: 'Carla Customer', email: 'carla@customer.test' } })
    const [m] = await messages(result.ticketId!)
    expect(m.text).toBe('My card was declined.')
    expect(m.fullText).toContain('Sent from my iPhone')
    expect(m.html).not.toContain('script')
    expect(m.email).toMatchObject({ from: 'carla@customer.test', cc: ['boss@customer.test'] })
  })

  it('shows inline cid: images through signed links that work without a session', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')
    const raw = [
      'From: ivy@customer.test',
      `To: ${support}`,
      'Subject: Screenshot inline',
      `Message-ID: <inline.${Date.now()}@customer.test>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/related; boundary="rel"',
      '',
      '--rel',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>See <img src="cid:shot1@customer.test" alt="shot"> and <img src="https://tracker.test/p.gif"></p>',
      '--rel',
      'Content-Type: image/png',
      'Content-Transfer-Encoding: base64',
      'Content-ID: <shot1@customer.test>',
      'Content-Disposition: inline; filename="shot.png"',
      '',
      png.toString('base64'),
      '--rel--',
      '',
    ].join('\r\n')
    const result = await send(raw)
    const [m] = await messages(result.ticketId!)
    const link = /src="(\/api\/v1\/attachments\/\d+\?expires=\d+&amp;sig=[\w-]+)"/.exec(m.html)?.[1]?.replace('&amp;', '&')
    expect(link).toBeTruthy()
    expect(m.html).toContain('src="https://tracker.test/p.gif"')
    const anonymous = await app.inject({ method: 'GET', url: link! })
    expect(anonymous.statusCode).toBe(200)
    expect(anonymous.rawPayload.equals(png)).toBe(true)
    expect((await app.inject({ method: 'GET', url: link!.replace(/sig=[\w-]+/, 'sig=forged') })).statusCode).toBe(401)
    expect((await app.inject({ method: 'GET', url: link!.replace(/expires=\d+/, 'expires=1000') })).statusCode).toBe(401)
    expect((await app.inject({ method: 'GET', url: link!.split('?')[0]! })).statusCode).toBe(401)
  })

  it('ingests the same Message-ID, or the same bytes, only once', async () => {
    const raw = rawEmail({ from: 'dup@customer.test', to: support, subject: 'Twice', text: 'Hello twice' })
    const first = await send(raw)
    const second = await send(raw)
    expect(second).toMatchObject({ disposition: 'duplicate', ticketId: first.ticketId })
    const noId = rawEmail({ from: 'dup2@customer.test', to: support, subject: 'No id', text: 'No Message-ID here', messageId: null })
    expect((await send(noId)).disposition).toBe('ticket')
    expect((await send(noId)).disposition).toBe('duplicate')
    expect(await messages(first.ticketId!)).toHaveLength(1)
  })

  it('keeps a raw message of up to 128 KB in its blob row and a larger one as a file; an admin downloads either byte for byte', async () => {
    const blobFile = (hash: string) => path.join(app.ctx.config.dataDir, 'blobs', hash.slice(0, 2), hash)
    const small = rawEmail({ from: 'raw1@customer.test', to: support, subject: 'Small', text: 'A few words' })
    const large = rawEmail({ from: 'raw2@customer.test', to: support, subject: 'Large', text: `${'All the details. '.repeat(9000)}` })
    for (const [raw, inRow] of [
      [small, true],
      [large, false],
    ] as const) {
      const { inboundEmailId } = await send(raw)
      const row = await app.ctx.db
        .selectFrom('inboundEmails')
        .innerJoin('blobs', 'blobs.hash', 'inboundEmails.blobHash')
        .select(['blobs.hash', 'blobs.content'])
        .where('inboundEmails.id', '=', inboundEmailId)
        .executeTakeFirstOrThrow()
      expect(row.content !== null).toBe(inRow)
      expect(fs.existsSync(blobFile(row.hash))).toBe(!inRow)
      const download = await app.inject({ method: 'GET', url: `/api/v1/inbound-emails/${inboundEmailId}/raw`, headers: admin.headers })
      expect(download.statusCode).toBe(200)
      expect(download.rawPayload.equals(Buffer.from(raw))).toBe(true)
    }
  })

  it('sends agent replies with threading headers and threads the customer’s answer back', async () => {
    const opened = await send(
      rawEmail({ from: 'dana@customer.test', to: support, subject: 'Refund please', text: 'Where is my refund?', messageId: '<first.dana@customer.test>' }),
    )
    const out = await agentReply(opened.ticketId!)
    expect(out.parsed.subject).toBe(`Re: Refund please [#${opened.ticketId}]`)
    expect(out.parsed.inReplyTo).toBe('<first.dana@customer.test>')
    expect(out.parsed.from?.value[0]?.address).toBe(support)
    expect(out.parsed.replyTo?.value[0]?.address).toMatch(new RegExp(`^support\\+t${opened.ticketId}-[a-z0-9_-]{8}@acme\\.test$`))
    expect(out.parsed.headers.get('x-allhands-ticket')).toBe(String(opened.ticketId))
    expect(out.parsed.text).toContain('The Acme team')
    expect(out.parsed.messageId).toMatch(/@help\.acme\.test>$/)
    const answer = await send(
      rawEmail({
        from: 'dana@customer.test',
        to: support,
        subject: 'Re: Refund please',
        text: 'Still nothing.\n\nOn Thu, Nov 26, 2026, Acme wrote:\n> Thanks',
        headers: { 'In-Reply-To': out.parsed.messageId!, References: `<first.dana@customer.test> ${out.parsed.messageId}` },
      }),
    )
    expect(answer).toMatchObject({ disposition: 'reply', ticketId: opened.ticketId })
    const conversation = await messages(opened.ticketId!)
    expect(conversation.filter((m: { kind: string }) => m.kind !== 'event').map((m: { text: string }) => m.text)).toEqual([
      'Where is my refund?',
      'Thanks, looking into it.',
      'Still nothing.',
    ])
  })

  it('threads by the signed reply address even without headers, and ignores a forged tag', async () => {
    const opened = await send(rawEmail({ from: 'erin@customer.test', to: support, subject: 'Address tag', text: 'Hi' }))
    const out = await agentReply(opened.ticketId!)
    const tagged = out.parsed.replyTo!.value[0]!.address!
    expect((await send(rawEmail({ from: 'erin@customer.test', to: tagged, subject: 'new words', text: 'Answer by tag' }))).ticketId).toBe(opened.ticketId)
    const forged = tagged.replace(/-[a-z0-9_-]{8}@/, '-aaaaaaaa@')
    expect((await send(rawEmail({ from: 'erin@customer.test', to: forged, subject: 'forged', text: 'forged tag' }))).disposition).toBe('ticket')
  })

  it('lets a subject token thread only people already in the ticket', async () => {
    const opened = await send(rawEmail({ from: 'fay@customer.test', to: support, subject: 'Token test', text: 'Hi' }))
    const stranger = await send(rawEmail({ from: 'mallory@evil.test', to: support, subject: `Re: [#${opened.ticketId}] gimme`, text: 'Let me in' }))
    expect(stranger.disposition).toBe('ticket')
    expect(stranger.ticketId).not.toBe(opened.ticketId)
    const requester = await send(rawEmail({ from: 'fay@customer.test', to: support, subject: `Re: [#${opened.ticketId}]`, text: 'More info' }))
    expect(requester).toMatchObject({ disposition: 'reply', ticketId: opened.ticketId })
  })

  it('follows a merge when copied evidence threads: the participant reaches the ticket that lives on, a stranger does not', async () => {
    const first = await send(rawEmail({ from: 'mo@customer.test', to: support, subject: 'Old order', text: 'Where is it?', messageId: '<mo.1@customer.test>' }))
    const into = await send(rawEmail({ from: 'mo@customer.test', to: support, subject: 'Same order', text: 'Still waiting' }))
    const merged = await app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${first.ticketId}/merge`,
      headers: agent.headers,
      payload: { intoTicketId: into.ticketId },
    })
    expect(merged.statusCode, merged.body).toBe(200)
    const refs = { 'In-Reply-To': '<mo.1@customer.test>', References: '<mo.1@customer.test>' }
    const again = await send(rawEmail({ from: 'mo@customer.test', to: support, subject: 'Re: Old order', text: 'Any news?', headers: refs }))
    expect(again).toMatchObject({ disposition: 'reply', ticketId: into.ticketId })
    const stranger = await send(rawEmail({ from: 'nia@elsewhere.test', to: support, subject: 'Re: Old order', text: 'Me too', headers: refs }))
    expect(stranger.disposition).toBe('ticket')
    expect([first.ticketId, into.ticketId]).not.toContain(stranger.ticketId)
  })

  it('keeps replies from different people to the same newsletter in separate tickets', async () => {
    const refs = { 'In-Reply-To': '<newsletter-42@news.acme.test>', References: '<newsletter-42@news.acme.test>' }
    const a = await send(rawEmail({ from: 'gus@customer.test', to: support, subject: 'Re: November news', text: 'Unsubscribe me', headers: refs }))
    const b = await send(rawEmail({ from: 'hana@customer.test', to: support, subject: 'Re: November news', text: 'Great news!', headers: refs }))
    expect(a.ticketId).not.toBe(b.ticketId)
    const c = await send(
      rawEmail({
        from: 'ivan@customer.test',
        to: support,
        subject: 'Re: November news',
        text: 'Me too',
        headers: { 'In-Reply-To': `<whatever@x>`, References: `<newsletter-42@news.acme.test> <${unique('x')}@x>` },
      }),
    )
    expect([a.ticketId, b.ticketId]).not.toContain(c.ticketId)
  })

  it('keeps Cc’d customers who reply-all in the same ticket', async () => {
    const opened = await send(
      rawEmail({
        from: 'jo@customer.test',
        to: support,
        cc: 'kim@customer.test',
        subject: 'Team account',
        text: 'We both need access',
        messageId: '<jo.1@customer.test>',
      }),
    )
    const kim = await send(
      rawEmail({
        from: 'kim@customer.test',
        to: support,
        cc: 'jo@customer.test',
        subject: 'Re: Team account',
        text: 'Yes, me too',
        headers: { 'In-Reply-To': '<jo.1@customer.test>' },
      }),
    )
    expect(kim).toMatchObject({ disposition: 'reply', ticketId: opened.ticketId })
  })

  it('appends an agent’s reply from their own mail client as the agent’s message', async () => {
    const opened = await send(rawEmail({ from: 'lee@customer.test', to: support, subject: 'Own client', text: 'Question', messageId: '<lee.1@customer.test>' }))
    const res = await send(
      rawEmail({
        from: agent.email,
        to: 'lee@customer.test',
        cc: support,
        subject: 'Re: Own client',
        text: 'Answer from Outlook',
        headers: { 'In-Reply-To': '<lee.1@customer.test>' },
      }),
    )
    expect(res).toMatchObject({ disposition: 'reply', ticketId: opened.ticketId })
    const last = (await messages(opened.ticketId!)).at(-1)
    expect(last).toMatchObject({ kind: 'reply', author: { type: 'user', id: agent.id }, delivery: { status: 'sent' } })
  })

  it('opens a ticket for the original sender of a message an agent forwards', async () => {
    const fwd = rawEmail({
      from: agent.email,
      to: support,
      subject: 'Fwd: Broken invoice',
      text: 'Can someone take this?\n\n---------- Forwarded message ---------\nFrom: Nina Buyer <nina@buyer.test>\nDate: Wed, 25 Nov 2026\nSubject: Broken invoice\nTo: Alex <alex@acme.test>\n\nMy invoice is wrong.',
    })
    const res = await send(fwd)
    expect(res.disposition).toBe('ticket')
    expect(await ticket(res.ticketId!)).toMatchObject({ subject: 'Broken invoice', requester: { email: 'nina@buyer.test', name: 'Nina Buyer' } })
  })

  it('reopens a solved ticket on a reply and opens a linked follow-up for a closed one', async () => {
    const solved = await send(rawEmail({ from: 'omar@customer.test', to: support, subject: 'Solve me', text: 'Hi', messageId: '<omar.1@customer.test>' }))
    await app.inject({ method: 'PATCH', url: `/api/v1/tickets/${solved.ticketId}`, headers: agent.headers, payload: { status: 'solved' } })
    await send(
      rawEmail({ from: 'omar@customer.test', to: support, subject: 'Re: Solve me', text: 'Not fixed', headers: { 'In-Reply-To': '<omar.1@customer.test>' } }),
    )
    expect((await ticket(solved.ticketId!)).status).toBe('open')
    await app.inject({ method: 'PATCH', url: `/api/v1/tickets/${solved.ticketId}`, headers: agent.headers, payload: { status: 'closed' } })
    const followUp = await send(
      rawEmail({ from: 'omar@customer.test', to: support, subject: 'Re: Solve me', text: 'Again', headers: { 'In-Reply-To': '<omar.1@customer.test>' } }),
    )
    expect(followUp.disposition).toBe('ticket')
    expect(followUp.ticketId).not.toBe(solved.ticketId)
    const events = (await messages(followUp.ticketId!)).filter((m: { kind: string }) => m.kind === 'event')
    expect(events[0].event).toEqual({ type: 'follow_up_of', ticketId: solved.ticketId })
  })

  it('attaches a bounce of our reply to the ticket and marks the address as bouncing, without a new ticket', async () => {
    const opened = await send(rawEmail({ from: 'pat@customer.test', to: support, subject: 'Bounce me', text: 'Hi' }))
    const out = await agentReply(opened.ticketId!)
    const bounce = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.customer.test>',
      `To: ${support}`,
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: <bounce.${Date.now()}@mx.customer.test>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="rep"',
      '',
      '--rep',
      'Content-Type: text/plain',
      '',
      'I could not deliver your message.',
      '--rep',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.customer.test',
      '',
      'Final-Recipient: rfc822; pat@customer.test',
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 User unknown',
      '--rep',
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: ${out.parsed.messageId}`,
      `Subject: ${out.parsed.subject}`,
      '--rep--',
      '',
    ].join('\r\n')
    const res = await send(bounce)
    expect(res).toMatchObject({ disposition: 'bounce', ticketId: opened.ticketId })
    const conversation = await messages(opened.ticketId!)
    expect(conversation.find((m: { event: { type?: string } | null }) => m.event?.type === 'delivery_failed').event).toMatchObject({
      recipients: ['pat@customer.test'],
      status: '5.1.1',
    })
    expect(conversation.find((m: { kind: string }) => m.kind === 'reply').delivery.status).toBe('failed')
    const ticketsBefore = (await app.inject({ method: 'GET', url: '/api/v1/tickets?limit=200', headers: agent.headers })).json().items.length
    const stray = await send(bounce.replace(out.parsed.messageId!, '<unknown@nowhere>').replace(/Message-ID: <bounce[^>]+>/, `Message-ID: <${unique('b')}@mx>`))
    expect(stray).toMatchObject({ disposition: 'bounce', ticketId: null })
    expect((await app.inject({ method: 'GET', url: '/api/v1/tickets?limit=200', headers: agent.headers })).json().items.length).toBe(ticketsBefore)
  })

  it('never opens customer tickets for the bounce corpus', async () => {
    const dir = path.resolve(import.meta.dirname, '../../../../../../shared/corpora/bounces-flufl')
    if (!fs.existsSync(dir)) throw new Error(`Test corpus missing: ${dir}`)
    const files = fs.readdirSync(dir).filter((f) => !f.endsWith('.txt') || f.includes('.'))
    const outcomes = new Map<string, number>()
    for (const f of files.filter((f) => fs.statSync(path.join(dir, f)).isFile()).slice(0, 115)) {
      const r = await send(fs.readFileSync(path.join(dir, f)).toString('latin1'))
      outcomes.set(r.disposition, (outcomes.get(r.disposition) ?? 0) + 1)
    }
    // Two upstream samples are a person's reply and an autoresponder (see docs/EMAIL-CORPORA.md): neither may auto-reply.
    expect(outcomes.get('ticket') ?? 0).toBeLessThanOrEqual(1)
    expect((outcomes.get('bounce') ?? 0) + (outcomes.get('duplicate') ?? 0)).toBeGreaterThanOrEqual(110)
  })

  it('notes an auto-reply to our reply on the ticket without reopening it', async () => {
    const opened = await send(rawEmail({ from: 'quinn@customer.test', to: support, subject: 'OOO test', text: 'Hi' }))
    const out = await agentReply(opened.ticketId!)
    await app.inject({ method: 'PATCH', url: `/api/v1/tickets/${opened.ticketId}`, headers: agent.headers, payload: { status: 'pending' } })
    const ooo = await send(
      rawEmail({
        from: 'quinn@customer.test',
        to: support,
        subject: 'Automatic reply: Re: OOO test',
        text: 'I am out of office',
        headers: { 'Auto-Submitted': 'auto-replied', 'In-Reply-To': out.parsed.messageId! },
      }),
    )
    expect(ooo).toMatchObject({ disposition: 'auto-reply', ticketId: opened.ticketId })
    expect((await ticket(opened.ticketId!)).status).toBe('pending')
  })

  it('acknowledges a new ticket once per sender, marked as an automatic reply, and never a bounce', async () => {
    await app.inject({
      method: 'PATCH',
      url: `/api/v1/inboxes/${inboxId}`,
      headers: admin.headers,
      payload: { autoReply: { enabled: true, subject: 'We got your message, {{requester.firstName}}', body: 'Ticket {{ticket.number}} is open.' } },
    })
    const before = sink.received.length
    const first = await send(rawEmail({ from: 'Rita Ray <rita@customer.test>', to: support, subject: 'Ack me', text: 'Hi' }))
    await send(rawEmail({ from: 'rita@customer.test', to: support, subject: 'Another topic', text: 'Hi again' }))
    await send(rawEmail({ from: 'noreply@shop.test', to: support, subject: 'Your order', text: 'Order shipped' }))
    await app.ctx.jobs.runDue()
    const ack = await sink.waitFor(before + 1)
    expect(ack.parsed.subject).toBe(`We got your message, Rita [#${first.ticketId}]`)
    expect(ack.parsed.headers.get('auto-submitted')).toBe('auto-replied')
    expect(ack.parsed.text?.trim()).toBe(`Ticket ${first.ticketId} is open.`)
    await app.ctx.jobs.runDue()
    expect(sink.received.length).toBe(before + 1)
    await app.inject({
      method: 'PATCH',
      url: `/api/v1/inboxes/${inboxId}`,
      headers: admin.headers,
      payload: { autoReply: { enabled: false, subject: '', body: '' } },
    })
  })

  it('acknowledges the same sender again only after the inbox’s window', async () => {
    const { advanceClock, resetClock } = await import('../../platform/clock.ts')
    const set = await app.inject({
      method: 'PATCH',
      url: `/api/v1/inboxes/${inboxId}`,
      headers: admin.headers,
      payload: { autoReply: { enabled: true, subject: 'Got it', body: 'Thanks', onceEveryHours: 2 } },
    })
    expect(set.json().autoReply.onceEveryHours).toBe(2)
    const acksTo = (address: string) => sink.received.filter((m) => m.rcpt.includes(address)).length
    try {
      await send(rawEmail({ from: 'wendy@customer.test', to: support, subject: 'First', text: 'Hi' }))
      await app.ctx.jobs.runDue()
      await expect.poll(() => acksTo('wendy@customer.test')).toBe(1)
      advanceClock(60 * 60_000)
      await send(rawEmail({ from: 'wendy@customer.test', to: support, subject: 'Second', text: 'Hi' }))
      await app.ctx.jobs.runDue()
      advanceClock(61 * 60_000)
      await send(rawEmail({ from: 'wendy@customer.test', to: support, subject: 'Third', text: 'Hi' }))
      await app.ctx.jobs.runDue()
      await expect.poll(() => acksTo('wendy@customer.test')).toBe(2)
      const bad = await app.inject({
        method: 'PATCH',
        url: `/api/v1/inboxes/${inboxId}`,
        headers: admin.headers,
        payload: { autoReply: { enabled: true, subject: 'x', body: 'y', onceEveryHours: 0 } },
      })
      expect(bad.statusCode).toBe(400)
    } finally {
      resetClock()
      await app.inject({
        method: 'PATCH',
        url: `/api/v1/inboxes/${inboxId}`,
        headers: admin.headers,
        payload: { autoReply: { enabled: false, subject: '', body: '' } },
      })
    }
  })

  it('recovers a message stored before a crash: the recovery sweep processes it later', async () => {
    const { receiveRawEmail } = await import('./email.inbound.service.ts')
    const { RECOVERY_DELAY_MS, recoverInboundEmail } = await import('./jobs/recover-inbound-email.ts')
    const { advanceClock } = await import('../../platform/clock.ts')
    // The sweep runs every minute in the job queue (its next run is always queued).
    expect(await app.ctx.db.selectFrom('jobs').select('id').where('name', '=', 'recover-inbound-email').where('status', '=', 'pending').execute()).toHaveLength(
      1,
    )
    const id = await receiveRawEmail(
      app.ctx,
      inboxId,
      Buffer.from(rawEmail({ from: 'crash@customer.test', to: support, subject: 'Crash test', text: 'Stored, then the process died' })),
      'smtp',
    )
    const log = async () =>
      (await app.inject({ method: 'GET', url: '/api/v1/inbound-emails?limit=200', headers: admin.headers }))
        .json()
        .items.find((r: { id: number }) => r.id === id)
    expect((await log()).status).toBe('received')
    expect(await recoverInboundEmail(app.ctx)).toBe(0)
    expect((await log()).status).toBe('received')
    advanceClock(RECOVERY_DELAY_MS + 1000)
    expect(await recoverInboundEmail(app.ctx)).toBe(1)
    const row = await log()
    expect(row).toMatchObject({ status: 'processed', disposition: 'ticket' })
    expect((await ticket(row.ticketId)).subject).toBe('Crash test')
  })

  it('queues no job for mail handled at once, takes over a message a dead process left being processed, and gives up on one that keeps failing', async () => {
    const { receiveRawEmail } = await import('./email.inbound.service.ts')
    const { ABANDONED_AFTER_MS, MAX_CLAIMS, RECOVERY_DELAY_MS, recoverInboundEmail } = await import('./jobs/recover-inbound-email.ts')
    const { advanceClock, now } = await import('../../platform/clock.ts')
    const jobCount = async () =>
      Number(
        (
          await app.ctx.db
            .selectFrom('jobs')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    const jobsBefore = await jobCount()
    const done = await send(rawEmail({ from: 'quick@customer.test', to: support, subject: 'Handled at once', text: 'Hi' }))
    expect(done.disposition).toBe('ticket')
    expect(await jobCount()).toBe(jobsBefore)

    // Mail the HTTP endpoint and the SMTP listener store is claimed at once; a crash while routing leaves it so.
    const stored = async (subject: string) =>
      receiveRawEmail(app.ctx, inboxId, Buffer.from(rawEmail({ from: 'dead@customer.test', to: support, subject, text: 'Hi' })), 'api')
    const id = await stored('Died while routing')
    const poison = await stored('Crashes the process every time')
    await app.ctx.db.updateTable('inboundEmails').set({ status: 'processing', attempts: 1, claimedAt: now() }).where('id', '=', id).execute()
    await app.ctx.db.updateTable('inboundEmails').set({ status: 'processing', attempts: MAX_CLAIMS, claimedAt: now() }).where('id', '=', poison).execute()
    const status = async (rowId: number) =>
      await app.ctx.db.selectFrom('inboundEmails').select(['status', 'ticketId', 'error']).where('id', '=', rowId).executeTakeFirstOrThrow()
    advanceClock(RECOVERY_DELAY_MS + 1000)
    await recoverInboundEmail(app.ctx)
    expect((await status(id)).status).toBe('processing')
    advanceClock(ABANDONED_AFTER_MS)
    await recoverInboundEmail(app.ctx)
    const row = await status(id)
    expect(row.status).toBe('processed')
    expect((await ticket(row.ticketId!)).subject).toBe('Died while routing')
    const failed = await app.inject({ method: 'GET', url: '/api/v1/inbound-emails?status=failed&limit=200', headers: admin.headers })
    expect(failed.json().items.find((r: { id: number }) => r.id === poison)).toMatchObject({
      status: 'failed',
      error: expect.stringContaining(`interrupted ${MAX_CLAIMS} times`),
    })
    const retried = await app.inject({ method: 'POST', url: `/api/v1/inbound-emails/${poison}/retry`, headers: admin.headers })
    expect(retried.json().disposition).toBe('ticket')
  })

  it('retries a failed delivery with backoff and shows the SMTP error when it gives up', async () => {
    const opened = await send(rawEmail({ from: 'sam@customer.test', to: support, subject: 'Flaky relay', text: 'Hi' }))
    sink.failNext(100)
    const res = await app.inject({ method: 'POST', url: `/api/v1/tickets/${opened.ticketId}/replies`, headers: agent.headers, payload: { body: 'Answer' } })
    const messageId = res.json().id
    for (let i = 0; i < 6; i++) {
      await app.ctx.jobs.runDue()
      await app.ctx.db.updateTable('jobs').set({ runAt: 0 }).where('status', '=', 'pending').execute()
    }
    const failed = (await messages(opened.ticketId!)).find((m: { id: number }) => m.id === messageId)
    expect(failed.delivery.status).toBe('failed')
    expect(failed.delivery.error).toMatch(/451|temporarily/i)
    sink.failNext(0)
    const before = sink.received.length
    expect((await app.inject({ method: 'POST', url: `/api/v1/messages/${messageId}/retry-delivery`, headers: agent.headers })).statusCode).toBe(200)
    await app.ctx.jobs.runDue()
    await sink.waitFor(before + 1)
    expect((await messages(opened.ticketId!)).find((m: { id: number }) => m.id === messageId).delivery.status).toBe('sent')
  })
})
