import type { Ctx } from '../../platform/context.ts'
import { badRequest, forbidden } from '../../platform/errors.ts'
import { escapeHtml } from '../../platform/sanitize.ts'
import { storeAttachment } from '../attachments/attachments.service.ts'
import { getSettings } from '../settings/settings.service.ts'
import { createTicket } from '../tickets/tickets.service.ts'

export interface WebFormSubmission {
  name: string
  email: string
  subject: string
  message: string
  website?: string
  file?: { filename: string; contentType: string; bytes: Buffer }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** A customer's form submission becomes a ticket; the honeypot field silently discards bots. */
export async function submitWebForm(ctx: Ctx, s: WebFormSubmission): Promise<{ ticketId: number | null }> {
  const settings = await getSettings(ctx.db)
  if (!settings.webFormEnabled) throw forbidden('use the contact form: it is turned off')
  if (s.website) return { ticketId: null }
  const problems: string[] = []
  if (!s.name.trim() || s.name.length > 200) problems.push('name is required (at most 200 characters)')
  if (!EMAIL.test(s.email) || s.email.length > 320) problems.push('email must be a valid address')
  if (!s.subject.trim() || s.subject.length > 300) problems.push('subject is required (at most 300 characters)')
  if (!s.message.trim() || s.message.length > 50_000) problems.push('message is required (at most 50,000 characters)')
  if (problems.length) throw badRequest(`Please check the form: ${problems.join('; ')}`, problems)
  const attachmentIds = s.file ? [(await storeAttachment(ctx, ctx.db, null, s.file)).id] : undefined
  const ticket = await createTicket(
    ctx,
    null,
    {
      subject: s.subject.trim(),
      body: s.message.trim(),
      requester: { email: s.email.trim(), name: s.name.trim() },
      inboxId: settings.webFormInboxId ?? undefined,
      attachmentIds,
      tags: ['web-form'],
    },
    { bodyFormat: 'text' },
  )
  return { ticketId: ticket.id }
}

/** The public form, readable without JavaScript. */
export function renderWebForm(opts: { title: string; workspace: string; sent: boolean; error?: string }): string {
  const e = escapeHtml
  const body = opts.sent
    ? `<p role="status" class="ok">Thanks! We received your message and will answer by email.</p><p><a href="/form">Send another message</a></p>`
    : `${opts.error ? `<p role="alert" class="err">${e(opts.error)}</p>` : ''}
<form method="post" action="/api/v1/public/form" enctype="multipart/form-data">
  <label for="name">Your name</label><input id="name" name="name" required maxlength="200" autocomplete="name">
  <label for="email">Email</label><input id="email" name="email" type="email" required maxlength="320" autocomplete="email">
  <label for="subject">Subject</label><input id="subject" name="subject" required maxlength="300">
  <label for="message">How can we help?</label><textarea id="message" name="message" rows="8" required maxlength="50000"></textarea>
  <label for="file">Attachment (optional)</label><input id="file" name="file" type="file">
  <div class="hp" aria-hidden="true"><label for="website">Leave this empty</label><input id="website" name="website" tabindex="-1" autocomplete="off"></div>
  <button type="submit">Send</button>
</form>`
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(opts.title)} · ${e(opts.workspace)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:560px;margin:40px auto;padding:0 16px;color:#1a1b1e}label{display:block;margin:14px 0 4px;font-weight:600}
input,textarea{width:100%;box-sizing:border-box;padding:8px;border:1px solid #ced4da;border-radius:6px;font:inherit}button{margin-top:18px;padding:10px 18px;border:0;border-radius:6px;background:#228be6;color:#fff;font:inherit;cursor:pointer}
.hp{position:absolute;left:-10000px}.ok{background:#ebfbee;padding:12px;border-radius:6px}.err{background:#fff5f5;color:#c92a2a;padding:12px;border-radius:6px}@media (prefers-color-scheme:dark){body{background:#1a1b1e;color:#e9ecef}input,textarea{background:#25262b;color:#e9ecef;border-color:#373a40}}</style>
</head><body><main><h1>${e(opts.title)}</h1><p>${e(opts.workspace)}</p>${body}</main></body></html>`
}
