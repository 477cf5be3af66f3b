import { MACRO_PLACEHOLDERS, type MacroPlaceholder, type TicketDto } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { escapeHtml } from '../../platform/sanitize.ts'
import { fillPlaceholders } from '../../platform/templates.ts'

const KNOWN: ReadonlySet<string> = new Set(MACRO_PLACEHOLDERS)

/**
 * Every `{{ … }}` in a template whose inside is not one of the known placeholders, as written (trimmed). Anything
 * between double braces counts, not only dotted words, so `{{ constructor }}`, `{{__proto__}}` or `{{a()}}` are
 * all reported instead of silently staying in the text.
 */
export function unknownPlaceholders(template: string): string[] {
  const found = [...template.matchAll(/\{\{([^{}]*)\}\}/g)].map((m) => m[1]!.trim())
  return [...new Set(found.filter((key) => !KNOWN.has(key)))]
}

const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? ''

/** The placeholder values for one ticket and the agent applying the macro, HTML-escaped for insertion into HTML. */
export function placeholderValues(ticket: TicketDto, agent: Pick<Actor, 'name' | 'email'>, workspaceName: string): Record<MacroPlaceholder, string> {
  const raw: Record<MacroPlaceholder, string> = {
    'ticket.id': String(ticket.number),
    'ticket.subject': ticket.subject,
    'ticket.requester.name': ticket.requester.name,
    'ticket.requester.firstName': firstName(ticket.requester.name),
    'ticket.requester.email': ticket.requester.email ?? '',
    'agent.name': agent.name,
    'agent.firstName': firstName(agent.name),
    'agent.email': agent.email,
    'workspace.name': workspaceName,
  }
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, escapeHtml(v)])) as Record<MacroPlaceholder, string>
}

/**
 * Renders a stored (already sanitized) template: logic-less substitution of known keys only, values escaped, so
 * neither a customer's name nor the template can inject markup or reach anything but the values given.
 */
export const renderMacroTemplate = (template: string, values: Record<MacroPlaceholder, string>): string => fillPlaceholders(template, values)
