import { AUTOMATION_PLACEHOLDERS } from '@allhands/contract'
import { escapeHtml } from '../../platform/sanitize.ts'
import { fillPlaceholders } from '../../platform/templates.ts'
import type { Facts } from './automations.conditions.ts'

const KNOWN: ReadonlySet<string> = new Set(AUTOMATION_PLACEHOLDERS)

/**
 * Every `{{ … }}` whose inside is not a known placeholder. Anything between double braces counts, so
 * `{{ constructor }}`, `{{__proto__}}` or `{{ a() }}` are refused when the rule is saved.
 */
export function unknownPlaceholders(template: string): string[] {
  const found = [...template.matchAll(/\{\{([^{}]*)\}\}/g)].map((m) => m[1]!.trim())
  return [...new Set(found.filter((key) => !KNOWN.has(key)))]
}

const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? ''

/** The placeholder values for a ticket, as plain text (escaped later for HTML). */
export function placeholderValues(facts: Facts, rule: { name: string }, opts: { publicUrl: string; workspaceName: string }): Record<string, string> {
  return {
    'ticket.id': String(facts.ticket.id),
    'ticket.subject': facts.ticket.subject,
    'ticket.status': facts.ticket.status,
    'ticket.priority': facts.ticket.priority,
    'ticket.url': `${opts.publicUrl}/tickets/${facts.ticket.id}`,
    'requester.name': facts.requester.name,
    'requester.firstName': firstName(facts.requester.name),
    'requester.email': facts.requester.email ?? '',
    'rule.name': rule.name,
    'workspace.name': opts.workspaceName,
  }
}

/**
 * Renders a template logic-lessly: known keys only (own properties, never `constructor` or `__proto__`), no
 * expressions, no loops. `text` is the plain result; `html` escapes the template and every value, so neither the
 * admin's text nor a customer's subject can inject markup into a note or an email.
 */
export function renderTemplate(template: string, values: Record<string, string>): { text: string; html: string } {
  const text = fillPlaceholders(template, values)
  const escaped = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, escapeHtml(v)]))
  const html = fillPlaceholders(escapeHtml(template), escaped).split(/\r?\n/).join('<br>')
  return { text, html: `<p>${html}</p>` }
}
