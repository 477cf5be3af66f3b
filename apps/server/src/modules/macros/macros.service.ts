import {
  type AppliedMacroDto,
  type CreateMacroInput,
  MACRO_PLACEHOLDERS,
  type MacroActions,
  type MacroDto,
  type MacroListQuery,
  type MacroScope,
  type Role,
  type UpdateMacroInput,
  type UpdateTicketInput,
} from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { badRequest, forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import { readJson, writeJson } from '../../platform/json.ts'
import { canAddNote, canAssignTo, canUpdateTicket, canViewTicket } from '../../platform/policy.ts'
import { normalizeBody } from '../../platform/sanitize.ts'
import { getSettings } from '../settings/settings.service.ts'
import { composeMessage } from '../tickets/messages.service.ts'
import { findTicketRow, presentTickets, type TicketRow, tagsOf } from '../tickets/tickets.queries.ts'
import { getTicket, updateTicket } from '../tickets/tickets.service.ts'
import { canCreateMacro, canEditMacro, canUseMacro, isOthersPersonalMacro } from './macros.policy.ts'
import { countMacroUse, findMacroRow, listUsableMacroRows, type MacroRow, presentMacros } from './macros.queries.ts'
import { placeholderValues, renderMacroTemplate, unknownPlaceholders } from './macros.render.ts'

const FIELD_ACTIONS = ['status', 'priority', 'addTags', 'removeTags', 'assignee', 'teamId'] as const
const hasFieldActions = (a: MacroActions) => FIELD_ACTIONS.some((k) => a[k] !== undefined && !(Array.isArray(a[k]) && a[k].length === 0))

type Draft = { name: string; body: string; actions: MacroActions; scope: MacroScope; approvedForContributors: boolean }
type Checked = { name: string; bodyHtml: string; actions: MacroActions }

/** HTML from a template as written, sanitized; empty when nothing visible remains. */
function sanitizedTemplate(source: string): string {
  if (!source.trim()) return ''
  const { html, text } = normalizeBody(source)
  return text.trim() || /<img\b/i.test(html) ? html : ''
}

/**
 * Checks a macro as it would be stored and returns its stored form: a name, known placeholders only, the body
 * and note sanitized, consistent tags, an assignee and team that exist, and something to do.
 */
async function checkMacro(db: Executor, d: Draft): Promise<Checked> {
  const name = d.name.trim()
  if (!name) throw badRequest('Give the macro a name')
  const bodyHtml = sanitizedTemplate(d.body)
  const noteHtml = d.actions.note === undefined ? undefined : sanitizedTemplate(d.actions.note)
  // Checked as written and as stored: sanitizing decodes entities, so `&#123;&#123;x&#125;&#125;` becomes `{{x}}`.
  const unknown = [...new Set([d.body, bodyHtml, d.actions.note ?? '', noteHtml ?? ''].flatMap(unknownPlaceholders))]
  if (unknown.length)
    throw badRequest(
      `Unknown placeholders: ${unknown.map((k) => `{{${k}}}`).join(', ')}. Use one of: ${MACRO_PLACEHOLDERS.map((k) => `{{${k}}}`).join(', ')}`,
      {
        unknownPlaceholders: unknown,
        knownPlaceholders: MACRO_PLACEHOLDERS,
      },
    )
  const actions: MacroActions = {}
  const a = d.actions
  if (a.status !== undefined) actions.status = a.status
  if (a.priority !== undefined) actions.priority = a.priority
  const addTags = [...new Set((a.addTags ?? []).map((t) => t.toLowerCase()))]
  const removeTags = [...new Set((a.removeTags ?? []).map((t) => t.toLowerCase()))]
  const both = addTags.filter((t) => removeTags.includes(t))
  if (both.length) throw badRequest(`A tag cannot be both added and removed: ${both.join(', ')}`)
  if (addTags.length) actions.addTags = addTags
  if (removeTags.length) actions.removeTags = removeTags
  if (a.assignee !== undefined) {
    if (typeof a.assignee === 'number') {
      const user = await db.selectFrom('users').select(['role', 'isActive']).where('id', '=', a.assignee).executeTakeFirst()
      if (!user) throw unprocessable(`User ${a.assignee} does not exist`)
      if (!canAssignTo({ role: user.role as Role, isActive: !!user.isActive })) throw unprocessable(`User ${a.assignee} cannot be assigned tickets`)
    }
    actions.assignee = a.assignee
  }
  if (a.teamId !== undefined) {
    if (a.teamId !== null && !(await db.selectFrom('teams').select('id').where('id', '=', a.teamId).executeTakeFirst()))
      throw unprocessable(`Team ${a.teamId} does not exist`)
    actions.teamId = a.teamId
  }
  if (noteHtml !== undefined) {
    if (!noteHtml) throw badRequest('The internal note of the macro is empty')
    actions.note = noteHtml
  }
  if (!bodyHtml && !Object.keys(actions).length) throw badRequest('A macro needs a reply text or at least one action')
  if (d.approvedForContributors) {
    if (d.scope !== 'shared') throw badRequest('Only shared macros can be approved for rotation contributors')
    if (hasFieldActions(actions))
      throw badRequest('Rotation contributors cannot change ticket fields: a macro approved for them may only insert a reply and add a note')
  }
  return { name, bodyHtml, actions }
}

/** A macro the actor may use; someone else's personal macro is not found, a shared one they may not use is forbidden. */
async function getUsableMacro(db: Executor, actor: Actor, id: number): Promise<MacroRow> {
  const row = await findMacroRow(db, id)
  if (!row || isOthersPersonalMacro(actor, row)) throw notFound('Macro', id)
  if (!canUseMacro(actor, row)) throw forbidden('use this macro', actor.role === 'contributor' ? 'it is not approved for rotation contributors' : undefined)
  return row
}

async function getEditableMacro(db: Executor, actor: Actor, id: number): Promise<MacroRow> {
  const row = await findMacroRow(db, id)
  if (!row || isOthersPersonalMacro(actor, row)) throw notFound('Macro', id)
  if (!canEditMacro(actor, row)) throw forbidden('change this macro', row.scope === 'shared' ? 'shared macros are managed by admins' : undefined)
  return row
}

/** A ticket the actor can see; one they cannot is not found, as elsewhere. */
async function getSeenTicket(db: Executor, actor: Actor, id: number): Promise<TicketRow> {
  const ticket = await findTicketRow(db, id)
  if (!ticket || !canViewTicket(actor, ticket)) throw notFound('Ticket', id)
  return ticket
}

const present = async (db: Executor, actor: Actor, row: MacroRow) => (await presentMacros(db, actor, [row]))[0]!
const auditShared = (db: Executor, actor: Actor, action: string, id: number, data: Record<string, unknown>) =>
  recordAudit(db, { actorId: actor.id, action, targetType: 'macro', targetId: id, data })

export async function listMacros(ctx: Ctx, actor: Actor, query: MacroListQuery): Promise<{ items: MacroDto[] }> {
  const rows = await listUsableMacroRows(ctx.db, actor, { q: query.q, limit: query.limit ?? 200 })
  return { items: await presentMacros(ctx.db, actor, rows) }
}

export async function getMacro(ctx: Ctx, actor: Actor, id: number): Promise<MacroDto> {
  return present(ctx.db, actor, await getUsableMacro(ctx.db, actor, id))
}

/** Saves a macro: personal (support staff) or shared (admins, audited). */
export async function createMacro(ctx: Ctx, actor: Actor, input: CreateMacroInput): Promise<MacroDto> {
  const scope = input.scope ?? 'personal'
  if (!canCreateMacro(actor, scope))
    throw forbidden(scope === 'shared' ? 'create shared macros' : 'create macros', scope === 'shared' ? 'only admins manage shared macros' : undefined)
  const approvedForContributors = input.approvedForContributors ?? false
  const checked = await checkMacro(ctx.db, { name: input.name, body: input.body ?? '', actions: input.actions ?? {}, scope, approvedForContributors })
  const row = await ctx.db.transaction().execute(async (trx) => {
    const t = now()
    const inserted = await trx
      .insertInto('macros')
      .values({
        name: checked.name,
        bodyHtml: checked.bodyHtml,
        actions: writeJson(checked.actions),
        scope,
        ownerId: scope === 'personal' ? actor.id : null,
        approvedForContributors: approvedForContributors ? 1 : 0,
        usageCount: 0,
        lastUsedAt: null,
        createdById: actor.id,
        createdAt: t,
        updatedAt: t,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    if (scope === 'shared') await auditShared(trx, actor, 'macro.created', inserted.id, { name: checked.name, approvedForContributors })
    return inserted
  })
  return present(ctx.db, actor, row)
}

/**
 * Edits a macro. Making it shared needs an admin; an admin making a shared macro personal becomes its owner.
 * Leaving the shared scope withdraws the contributors' approval.
 */
export async function updateMacro(ctx: Ctx, actor: Actor, id: number, input: UpdateMacroInput): Promise<MacroDto> {
  const row = await getEditableMacro(ctx.db, actor, id)
  const scope = input.scope ?? (row.scope as MacroScope)
  if (scope !== row.scope && !canCreateMacro(actor, 'shared')) throw forbidden('share macros', 'only admins manage shared macros')
  const approvedForContributors = input.approvedForContributors ?? (scope === 'shared' && !!row.approvedForContributors)
  const checked = await checkMacro(ctx.db, {
    name: input.name ?? row.name,
    body: input.body ?? row.bodyHtml,
    actions: input.actions ?? readJson<MacroActions>(row.actions, {}),
    scope,
    approvedForContributors,
  })
  const updated = await ctx.db.transaction().execute(async (trx) => {
    const next = await trx
      .updateTable('macros')
      .set({
        name: checked.name,
        bodyHtml: checked.bodyHtml,
        actions: writeJson(checked.actions),
        scope,
        ownerId: scope === 'personal' ? (row.ownerId ?? actor.id) : null,
        approvedForContributors: approvedForContributors ? 1 : 0,
        updatedAt: now(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    if (row.scope === 'shared' || scope === 'shared')
      await auditShared(trx, actor, 'macro.updated', id, {
        name: checked.name,
        scope: { from: row.scope, to: scope },
        approvedForContributors: { from: !!row.approvedForContributors, to: approvedForContributors },
      })
    return next
  })
  return present(ctx.db, actor, updated)
}

export async function deleteMacro(ctx: Ctx, actor: Actor, id: number): Promise<void> {
  const row = await getEditableMacro(ctx.db, actor, id)
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('macros').where('id', '=', id).execute()
    if (row.scope === 'shared') await auditShared(trx, actor, 'macro.deleted', id, { name: row.name })
  })
}

async function renderFor(ctx: Ctx, actor: Actor, ticketId: number, templates: string[]): Promise<string[]> {
  const [ticket] = await presentTickets(ctx.db, [ticketId])
  const values = placeholderValues(ticket!, actor, (await getSettings(ctx.db)).workspaceName)
  return templates.map((t) => renderMacroTemplate(t, values))
}

/** The macro's reply as it would read on this ticket; changes nothing. */
export async function previewMacro(ctx: Ctx, actor: Actor, macroId: number, ticketId: number): Promise<{ html: string }> {
  await getSeenTicket(ctx.db, actor, ticketId)
  const macro = await getUsableMacro(ctx.db, actor, macroId)
  const [html] = await renderFor(ctx, actor, ticketId, [macro.bodyHtml])
  return { html: html! }
}

/**
 * Applies a macro to a ticket: its field actions go through updateTicket and its note through the composer's
 * note path, so permissions, history events, notifications and live updates are those of a manual change.
 * Returns the rendered reply for the composer (nothing is sent) and counts the use.
 */
export async function applyMacro(ctx: Ctx, actor: Actor, ticketId: number, macroId: number): Promise<AppliedMacroDto> {
  const ticket = await getSeenTicket(ctx.db, actor, ticketId)
  const macro = await getUsableMacro(ctx.db, actor, macroId)
  if (ticket.mergedIntoId) throw unprocessable(`Ticket ${ticketId} was merged into #${ticket.mergedIntoId}`)
  const actions = readJson<MacroActions>(macro.actions, {})
  const changes: UpdateTicketInput = {}
  if (actions.status !== undefined) changes.status = actions.status
  if (actions.priority !== undefined) changes.priority = actions.priority
  if (actions.assignee !== undefined) changes.assigneeId = actions.assignee === 'me' ? actor.id : actions.assignee
  if (actions.teamId !== undefined) changes.teamId = actions.teamId
  if (actions.addTags?.length || actions.removeTags?.length) {
    const remove = new Set(actions.removeTags ?? [])
    changes.tags = [...new Set([...(await tagsOf(ctx.db, ticketId)), ...(actions.addTags ?? [])])].filter((t) => !remove.has(t))
  }
  const changesFields = Object.keys(changes).length > 0
  // Refuse before changing anything, so a macro is never half applied for lack of a right.
  if (changesFields && !canUpdateTicket(actor, ticket)) throw forbidden('apply this macro', 'it changes ticket fields and you cannot change this ticket')
  if (actions.note && !canAddNote(actor, ticket)) throw forbidden('apply this macro', 'it adds a note and you cannot add notes to this ticket')
  const [html, note] = await renderFor(ctx, actor, ticketId, [macro.bodyHtml, actions.note ?? ''])
  if (changesFields) await updateTicket(ctx, actor, ticketId, changes)
  if (actions.note) await composeMessage(ctx, actor, ticketId, 'note', { body: note! })
  await countMacroUse(ctx.db, macroId)
  return { html: html!, ticket: await getTicket(ctx, actor, ticketId) }
}
