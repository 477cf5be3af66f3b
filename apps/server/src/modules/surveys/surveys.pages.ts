import type { SurveyQuestion } from '@allhands/contract'
import { escapeHtml as e } from '../../platform/sanitize.ts'
import { type CsatRow, ratingChoices, ratingLabel, scoreOf } from './csat.queries.ts'
import type { RawAnswers } from './survey-responses.service.ts'

/** Public survey pages: server-rendered, readable without JavaScript, every customer value escaped. */
export function page(title: string, workspace: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${e(title)} · ${e(workspace)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:600px;margin:40px auto;padding:0 16px;color:#1a1b1e;line-height:1.5}
fieldset{border:1px solid #dee2e6;border-radius:8px;margin:16px 0;padding:12px 16px}legend{font-weight:600;padding:0 4px}
label{display:block;margin:6px 0}label.block{font-weight:600;margin:14px 0 4px}textarea{width:100%;box-sizing:border-box;padding:8px;border:1px solid #ced4da;border-radius:6px;font:inherit}
button{margin-top:14px;padding:10px 18px;border:0;border-radius:6px;background:#228be6;color:#fff;font:inherit;cursor:pointer}button:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid #74c0fc;outline-offset:2px}
.ok{background:#ebfbee;padding:12px;border-radius:6px}.err{background:#fff5f5;color:#c92a2a;padding:12px;border-radius:6px}.muted{color:#868e96}.req{color:#c92a2a}
blockquote{margin:8px 0;padding:8px 12px;border-left:4px solid #dee2e6;white-space:pre-wrap}
@media (prefers-color-scheme:dark){body{background:#1a1b1e;color:#e9ecef}textarea{background:#25262b;color:#e9ecef;border-color:#373a40}fieldset{border-color:#373a40}}</style>
</head><body><main>${body}</main></body></html>`
}

export const messagePage = (workspace: string, heading: string, text: string) => page(heading, workspace, `<h1>${e(heading)}</h1><p>${e(text)}</p>`)

const NOTICES: Record<string, { kind: 'ok' | 'err'; text: string }> = {
  rated: { kind: 'ok', text: 'Thank you! Your rating was recorded.' },
  already_rated: { kind: 'err', text: 'You already rated this request; your first rating counts.' },
  commented: { kind: 'ok', text: 'Thank you for your comment!' },
  already_commented: { kind: 'err', text: 'You already sent a comment.' },
}

/**
 * The CSAT page for a sent or rated request: a GET never records anything (mail scanners open links), so a
 * rating link shows a confirmation with a "Submit rating" button; once rated, one optional comment.
 */
export function renderCsatPage(opts: {
  workspace: string
  question: string
  token: string
  request: CsatRow
  rating?: string
  done?: string
  error?: string
}): string {
  const { request } = opts
  const action = `/api/v1/public/surveys/csat/${encodeURIComponent(opts.token)}`
  const notice = opts.done && NOTICES[opts.done] ? NOTICES[opts.done] : null
  const parts: string[] = [`<h1>${e(opts.question)}</h1>`, `<p class="muted">About your request #${request.ticketId}: ${e(request.ticketSubject)}</p>`]
  if (notice) parts.push(`<p role="status" class="${notice.kind}">${e(notice.text)}</p>`)
  if (opts.error) parts.push(`<p role="alert" class="err">${e(opts.error)}</p>`)
  if (request.status === 'rated') {
    if (!notice && opts.rating) parts.push(`<p role="status" class="err">${e(NOTICES.already_rated!.text)}</p>`)
    parts.push(`<p>Your rating: <strong>${e(labelFor(request.scale, ratingLabel(request.scale, request.score)))}</strong></p>`)
    if (request.comment !== null) parts.push(`<p>Your comment:</p><blockquote>${e(request.comment)}</blockquote><p>Thank you for your feedback!</p>`)
    else
      parts.push(`<form method="post" action="${action}">
<label class="block" for="comment">Comment</label>
<p class="muted" id="comment-help">Optional: tell us what went well or what we could do better.</p>
<textarea id="comment" name="comment" rows="5" maxlength="5000" required aria-describedby="comment-help"></textarea>
<button type="submit">Send comment</button></form>`)
    return page(opts.question, opts.workspace, parts.join('\n'))
  }
  const chosen = opts.rating && scoreOf(request.scale, opts.rating) !== null ? opts.rating.trim().toLowerCase() : null
  const choices = ratingChoices(request.scale)
  parts.push(`<form method="post" action="${action}">`)
  if (chosen) {
    parts.push(`<p>You chose: <strong>${e(labelFor(request.scale, chosen))}</strong></p><input type="hidden" name="rating" value="${e(chosen)}">`)
    parts.push(
      `<button type="submit">Submit rating</button></form><p class="muted">Changed your mind? <a href="/survey/${encodeURIComponent(opts.token)}">Choose another rating</a>.</p>`,
    )
  } else {
    parts.push(
      `<fieldset><legend>Your rating</legend>${choices
        .map((c) => `<label><input type="radio" name="rating" value="${e(c.value)}" required> ${e(c.label)}</label>`)
        .join('')}</fieldset><button type="submit">Submit rating</button></form>`,
    )
  }
  return page(opts.question, opts.workspace, parts.join('\n'))
}

const labelFor = (scale: string, value: string | null) => ratingChoices(scale).find((c) => c.value === value)?.label ?? value ?? ''

function questionField(q: SurveyQuestion, value: string[] | undefined): string {
  const name = `answers[${q.id}]`
  const fieldId = `q-${q.id}`
  const required = q.required ? ' required' : ''
  const mark = q.required ? ' <span class="req" aria-hidden="true">*</span>' : ''
  const has = (v: string) => value?.includes(v) ?? false
  if (q.kind === 'text')
    return `<label class="block" for="${fieldId}">${e(q.label)}${mark}</label><textarea id="${fieldId}" name="${e(name)}" rows="5" maxlength="5000"${required}>${e(value?.[0] ?? '')}</textarea>`
  const options =
    q.kind === 'rating'
      ? ['1', '2', '3', '4', '5'].map((v) => ({ value: v, label: v === '1' ? '1 (poor)' : v === '5' ? '5 (excellent)' : v }))
      : (q.options ?? []).map((o) => ({ value: o, label: o }))
  const type = q.kind === 'multiple' ? 'checkbox' : 'radio'
  const inputs = options
    .map(
      (o) =>
        `<label><input type="${type}" name="${e(name)}" value="${e(o.value)}"${type === 'radio' ? required : ''}${has(o.value) ? ' checked' : ''}> ${e(o.label)}</label>`,
    )
    .join('')
  return `<fieldset${q.required ? ' aria-required="true"' : ''}><legend>${e(q.label)}${mark}</legend>${q.kind === 'multiple' ? '<p class="muted">Choose all that apply.</p>' : ''}${inputs}</fieldset>`
}

/** A custom survey's fill-in form (or its thank-you / closed state). */
export function renderSurveyPage(opts: {
  workspace: string
  key: string
  survey: { title: string; intro: string; status: string }
  questions: SurveyQuestion[]
  state: 'open' | 'done' | 'answered' | 'closed'
  error?: string
  values?: RawAnswers
}): string {
  const { survey } = opts
  const head = `<h1>${e(survey.title)}</h1>`
  if (opts.state === 'done') return page(survey.title, opts.workspace, `${head}<p role="status" class="ok">Thank you! Your answers were recorded.</p>`)
  if (opts.state === 'answered')
    return page(survey.title, opts.workspace, `${head}<p role="status" class="ok">You already answered this survey. Thank you!</p>`)
  if (opts.state === 'closed') return page(survey.title, opts.workspace, `${head}<p role="status">This survey is closed. Thank you for your interest!</p>`)
  const values = (id: string) => {
    const v = opts.values?.[id]
    return v === undefined ? undefined : Array.isArray(v) ? v : [v]
  }
  const body = `${head}${survey.intro ? `<p>${e(survey.intro)}</p>` : ''}
${opts.error ? `<p role="alert" class="err">${e(opts.error)}</p>` : ''}
<p class="muted">Questions marked <span class="req">*</span> are required.</p>
<form method="post" action="/api/v1/public/surveys/responses/${encodeURIComponent(opts.key)}">
${opts.questions.map((q) => questionField(q, values(q.id))).join('\n')}
<button type="submit">Send answers</button></form>`
  return page(survey.title, opts.workspace, body)
}
