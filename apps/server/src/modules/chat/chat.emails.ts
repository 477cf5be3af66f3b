import type { Ctx } from '../../platform/context.ts'
import { escapeHtml } from '../../platform/sanitize.ts'
import { VISITOR_VISIBLE_KINDS } from './widget.messages.ts'

// Chat inboxes have no mailbox of their own: transcripts and emailed replies leave like other notices
// (email/staff-email.ts sendNoticeEmail: the first email inbox's SMTP settings, else SMTP_URL).

const wrap = (inner: string) => `<div style="font-family:system-ui,sans-serif;max-width:600px;color:#1a1b1e">${inner}</div>`
const paragraphs = (text: string) =>
  text
    .split(/\n{2,}/)
    .map((p) => `<p style="margin:4px 0">${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('')

/** The visitor-visible conversation of a chat ticket as plain text and escaped HTML (customer text is never HTML). */
export async function renderTranscript(
  ctx: Ctx,
  ticketId: number,
  opts: { timeZone: string },
): Promise<{ subject: string; text: string; html: string } | null> {
  const ticket = await ctx.db.selectFrom('tickets').select(['id', 'subject']).where('id', '=', ticketId).executeTakeFirst()
  if (!ticket) return null
  const rows = await ctx.db
    .selectFrom('messages as m')
    .leftJoin('users as u', 'u.id', 'm.authorUserId')
    .leftJoin('contacts as c', 'c.id', 'm.authorContactId')
    .select(['m.id', 'm.kind', 'm.text', 'm.createdAt', 'u.name as userName', 'c.name as contactName'])
    .where('m.ticketId', '=', ticketId)
    .where('m.kind', 'in', VISITOR_VISIBLE_KINDS)
    .orderBy('m.id')
    .limit(2000)
    .execute()
  const files = rows.length
    ? await ctx.db
        .selectFrom('attachments')
        .select(['messageId', 'filename'])
        .where(
          'messageId',
          'in',
          rows.map((r) => r.id),
        )
        .execute()
    : []
  let zone = opts.timeZone
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
  } catch {
    zone = 'UTC'
  }
  const when = new Intl.DateTimeFormat('en-GB', { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' })
  const entries = rows.map((r) => ({
    who: r.kind === 'customer' ? (r.contactName ?? 'You') : (r.userName ?? 'Support'),
    at: when.format(r.createdAt),
    text: r.text,
    files: files.filter((f) => f.messageId === r.id).map((f) => f.filename),
  }))
  const subject = `Transcript of your chat: ${ticket.subject} [#${ticket.id}]`
  const text = [
    `Transcript of your chat (#${ticket.id}), times in ${zone}.`,
    '',
    ...entries.flatMap((e) => [`${e.who} · ${e.at}`, e.text, ...e.files.map((f) => `[attachment: ${f}]`), '']),
  ].join('\n')
  const html = wrap(
    `<p>Transcript of your chat (#${ticket.id}), times in ${escapeHtml(zone)}.</p>` +
      entries
        .map(
          (e) =>
            `<div style="margin:12px 0"><div style="color:#868e96;font-size:13px">${escapeHtml(e.who)} · ${escapeHtml(e.at)}</div>${paragraphs(e.text)}${e.files
              .map((f) => `<div style="color:#495057;font-size:13px">Attachment: ${escapeHtml(f)}</div>`)
              .join('')}</div>`,
        )
        .join(''),
  )
  return { subject, text, html }
}

/** An agent's reply by email (a visitor who left the chat, or an offline message): the reply, with a line on why it came. */
export function renderReplyEmail(
  ticket: { id: number; subject: string },
  reply: { fullText: string; html: string; authorName: string | null },
  why: 'left_chat' | 'offline_message',
): { subject: string; text: string; html: string } {
  const footer =
    why === 'left_chat'
      ? 'You are receiving this because you chatted with us and left before our answer arrived.'
      : 'You are receiving this because you left us a message in the chat on our website.'
  return {
    subject: /^re:/i.test(ticket.subject) ? `${ticket.subject} [#${ticket.id}]` : `Re: ${ticket.subject} [#${ticket.id}]`,
    text: [reply.fullText, '', reply.authorName ? `— ${reply.authorName}` : '', '', footer].join('\n'),
    // The reply's HTML was sanitized when it was stored; the rest is escaped here.
    html: wrap(
      `${reply.html}${reply.authorName ? `<p>— ${escapeHtml(reply.authorName)}</p>` : ''}<p style="color:#868e96;font-size:13px">${escapeHtml(footer)}</p>`,
    ),
  }
}
