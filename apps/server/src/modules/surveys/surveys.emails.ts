import type { CsatSettingsDto } from '@allhands/contract'
import { escapeHtml } from '../../platform/sanitize.ts'
import { fillTemplate } from './csat.settings.ts'
import { ratingChoices } from './csat.queries.ts'

type Mail = { subject: string; text: string; html: string }

/** The CSAT email: one link per rating (each opens a confirmation page; nothing is recorded by a GET) and the plain survey link. */
export function renderCsatEmail(
  publicUrl: string,
  token: string,
  settings: CsatSettingsDto,
  values: { ticketNumber: number; ticketSubject: string; requesterName: string },
): Mail {
  const link = `${publicUrl}/survey/${token}`
  const intro = fillTemplate(settings.intro, values)
  const question = fillTemplate(settings.question, values)
  const choices = ratingChoices(settings.scale).map((c) => ({ ...c, url: `${link}?rating=${encodeURIComponent(c.value)}` }))
  const text = [intro, '', question, '', ...choices.map((c) => `${c.label}: ${c.url}`), '', `Or open the survey: ${link}`, ''].join('\n')
  const e = escapeHtml
  const html = `<div style="font-family:system-ui,sans-serif;max-width:560px">
<p>${e(intro)}</p><p><strong>${e(question)}</strong></p>
<p>${choices.map((c) => `<a href="${e(c.url)}" style="display:inline-block;margin:0 8px 8px 0;padding:8px 14px;border:1px solid #ced4da;border-radius:6px;color:#1a1b1e;text-decoration:none">${e(c.label)}</a>`).join('')}</p>
<p style="color:#868e96">Or open the survey: <a href="${e(link)}">${e(link)}</a></p></div>`
  return { subject: fillTemplate(settings.subject, values), text, html }
}

/** An invitation to a custom or "why did you buy?" survey. */
export function renderSurveyInvitation(url: string, survey: { title: string; intro: string }, name: string): Mail {
  const firstName = name.trim().split(/\s+/)[0] || 'there'
  const lines = [`Hi ${firstName},`, '', survey.intro || `We would love your answers to a short survey: ${survey.title}.`, '', `Answer here: ${url}`, '']
  const e = escapeHtml
  const html = `<div style="font-family:system-ui,sans-serif;max-width:560px"><p>Hi ${e(firstName)},</p>
<p>${e(survey.intro || `We would love your answers to a short survey: ${survey.title}.`)}</p>
<p><a href="${e(url)}" style="display:inline-block;padding:10px 18px;border-radius:6px;background:#228be6;color:#fff;text-decoration:none">Answer the survey</a></p>
<p style="color:#868e96">${e(url)}</p></div>`
  return { subject: survey.title, text: lines.join('\n'), html }
}
