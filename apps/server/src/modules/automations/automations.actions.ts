import type { AutomationAction } from '@allhands/contract'
import type { Transaction } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import { enqueueJob } from '../../platform/jobs.ts'
import { writeJson } from '../../platform/json.ts'
import type { DomainEvent } from '../../platform/realtime.ts'
import { validateCustomFields } from '../custom-fields/custom-fields.service.ts'
import { enqueueStaffEmail } from '../email/staff-email.ts'
import { reassessAfterTicketChange } from '../risk/index.ts'
import { getSettings } from '../settings/settings.service.ts'
import { addEventMessage, contentFromBody, insertMessage, notify } from '../tickets/messages.service.ts'
import { notificationEvent, ticketEvent } from '../tickets/tickets.events.ts'
import type { Facts } from './automations.conditions.ts'
import { placeholderValues, renderTemplate } from './automations.templates.ts'
import { callAutomationWebhookJob } from './jobs/call-automation-webhook.ts'
import { sendAutomationEmailJob } from './jobs/send-automation-email.ts'

export type Rule = { id: number; name: string; actions: AutomationAction[] }

/** How a firing is marked on what it causes: the rules that led here, so none of them fires on it again. */
export type Origin = { chain: number[]; eventKey: string; trigger: string }

/** One action in words (dry-run, the history line). */
export function describeAction(
  a: AutomationAction,
  names: { users: Map<number, string>; teams: Map<number, string> } = { users: new Map(), teams: new Map() },
): string {
  switch (a.type) {
    case 'set_status':
      return `Set status to ${a.status}`
    case 'set_priority':
      return `Set priority to ${a.priority}`
    case 'assign':
      return a.userId ? `Assign to ${names.users.get(a.userId) ?? `user ${a.userId}`}` : 'Unassign'
    case 'set_team':
      return a.teamId ? `Move to team ${names.teams.get(a.teamId) ?? a.teamId}` : 'Remove the team'
    case 'add_tags':
      return `Add tags ${a.tags.join(', ')}`
    case 'remove_tags':
      return `Remove tags ${a.tags.join(', ')}`
    case 'set_custom_field':
      return `Set ${a.key} to ${JSON.stringify(a.value)}`
    case 'add_note':
      return 'Add an internal note'
    case 'email_requester':
      return `Email the requester: “${a.subject}”`
    case 'email_team':
      return `Email team ${names.teams.get(a.teamId) ?? a.teamId}: “${a.subject}”`
    case 'call_webhook':
      return `Call ${a.url}`
  }
}

/**
 * Applies a rule's actions to a ticket as the automation (no person): the same history lines, notifications, risk
 * reassessment and realtime events as a change by hand, each marked `via: automation`. Emails and webhook calls are
 * queued as jobs in this transaction. Returns whether the ticket itself changed.
 */
export async function applyActions(trx: Transaction<DB>, ctx: Ctx, emit: (e: DomainEvent) => void, rule: Rule, facts: Facts, origin: Origin): Promise<boolean> {
  const ticket = facts.ticket
  const via = { via: 'automation', automationId: rule.id, automationName: rule.name }
  const marker = { automationId: rule.id, automationChain: origin.chain }
  const set: Record<string, unknown> = {}
  const history: Record<string, unknown>[] = []
  let status = ticket.status
  let assigneeId = ticket.assigneeId
  let teamId = ticket.teamId
  let tags = [...ticket.tags]
  let custom = ticket.custom
  let priorityChanged = false
  const notes: string[] = []
  const t = now()
  let values: Record<string, string> | undefined
  const fill = async (template: string) => {
    values ??= placeholderValues(facts, rule, { publicUrl: ctx.config.publicUrl, workspaceName: (await getSettings(trx)).workspaceName })
    return renderTemplate(template, values)
  }

  for (const [i, a] of rule.actions.entries()) {
    const key = `automation:${rule.id}:${origin.eventKey}:${i}`
    switch (a.type) {
      case 'set_status':
        if (a.status !== status) {
          history.push({ type: 'status_changed', from: status, to: a.status, ...via })
          set.solvedAt = a.status === 'solved' || a.status === 'closed' ? (ticket.solvedAt ?? t) : null
          status = a.status
          set.status = a.status
        }
        break
      case 'set_priority':
        if (a.priority !== (set.priority ?? ticket.priority)) {
          history.push({ type: 'priority_changed', from: set.priority ?? ticket.priority, to: a.priority, ...via })
          set.priority = a.priority
          priorityChanged = true
        }
        break
      case 'assign': {
        if (a.userId === assigneeId) break
        const user = a.userId
          ? await trx
              .selectFrom('users')
              .select(['id', 'name'])
              .where('id', '=', a.userId)
              .where('isActive', '=', 1)
              .where('role', '!=', 'contributor')
              .executeTakeFirst()
          : undefined
        // An assignee deactivated since the rule was saved is skipped rather than failing the whole rule.
        if (a.userId && !user) break
        history.push({ type: 'assigned', from: assigneeId, to: a.userId, toName: user?.name ?? null, ...via })
        assigneeId = a.userId
        set.assigneeId = a.userId
        if (status === 'new' && a.userId && set.status === undefined) {
          status = 'open'
          set.status = 'open'
        }
        if (user) {
          const n = await notify(trx, {
            userId: user.id,
            kind: 'assigned',
            ticketId: ticket.id,
            actorId: null,
            title: `Automation “${rule.name}” assigned you #${ticket.id}: ${ticket.subject}`.slice(0, 500),
          })
          emit(notificationEvent(user.id, n))
        }
        break
      }
      case 'set_team': {
        if (a.teamId === teamId) break
        const team = a.teamId ? await trx.selectFrom('teams').select('name').where('id', '=', a.teamId).executeTakeFirst() : undefined
        if (a.teamId && !team) break
        history.push({ type: 'team_changed', from: teamId, to: a.teamId, toName: team?.name ?? null, ...via })
        teamId = a.teamId
        set.teamId = a.teamId
        break
      }
      case 'add_tags':
      case 'remove_tags': {
        const given = a.tags.map((x) => x.toLowerCase())
        const next = a.type === 'add_tags' ? [...new Set([...tags, ...given])].sort() : tags.filter((x) => !given.includes(x))
        if (next.join(',') === tags.join(',')) break
        history.push({ type: 'tags_changed', added: next.filter((x) => !tags.includes(x)), removed: tags.filter((x) => !next.includes(x)), ...via })
        tags = next
        break
      }
      case 'set_custom_field': {
        if (Object.hasOwn(custom, a.key) && custom[a.key] === a.value) break
        custom = { ...custom, ...(await validateCustomFields(trx, 'ticket', { [a.key]: a.value as string | number | boolean | null })) }
        set.customFields = writeJson(custom)
        history.push({ type: 'fields_changed', keys: [a.key], ...via })
        break
      }
      case 'add_note':
        notes.push((await fill(a.body)).text)
        break
      case 'email_requester': {
        if (!facts.requester.email) break
        const body = await fill(a.body)
        const subject = (await fill(a.subject)).text
        await enqueueJob(
          trx,
          sendAutomationEmailJob,
          {
            to: { name: facts.requester.name, address: facts.requester.email },
            subject,
            text: body.text,
            html: body.html,
            inboxId: ticket.inboxId,
            idempotencyKey: key,
          },
          { idempotencyKey: key },
        )
        break
      }
      case 'email_team': {
        const members = await trx
          .selectFrom('teamMembers')
          .innerJoin('users', 'users.id', 'teamMembers.userId')
          .select('users.id')
          .where('teamMembers.teamId', '=', a.teamId)
          .where('users.isActive', '=', 1)
          .execute()
        const subject = (await fill(a.subject)).text
        const text = (await fill(a.body)).text
        for (const m of members) await enqueueStaffEmail(trx, { userId: m.id, subject, text, idempotencyKey: `${key}:${m.id}` })
        break
      }
      case 'call_webhook': {
        const body = JSON.stringify({
          type: 'automation.fired',
          automation: { id: rule.id, name: rule.name },
          trigger: origin.trigger,
          firedAt: t,
          ticket: { id: ticket.id, subject: ticket.subject, status, priority: set.priority ?? ticket.priority, assigneeId, teamId, tags },
        })
        await enqueueJob(trx, callAutomationWebhookJob, { url: a.url, body, idempotencyKey: key }, { idempotencyKey: key })
        break
      }
    }
  }

  if (tags.join(',') !== ticket.tags.join(',')) {
    await trx.deleteFrom('ticketTags').where('ticketId', '=', ticket.id).execute()
    if (tags.length)
      await trx
        .insertInto('ticketTags')
        .values(tags.map((tag) => ({ ticketId: ticket.id, tag })))
        .execute()
  }
  const changed = history.length > 0
  if (changed) {
    await trx
      .updateTable('tickets')
      .set({ ...set, updatedAt: t })
      .where('id', '=', ticket.id)
      .execute()
    for (const e of history) await addEventMessage(trx, ticket.id, null, e)
    if (priorityChanged) await reassessAfterTicketChange(trx, ticket.id)
    emit(ticketEvent('ticket.updated', { id: ticket.id, teamId, assigneeId }, { previousTeamId: ticket.teamId, ...marker }))
  }
  for (const body of notes) {
    const note = await insertMessage(trx, { ticketId: ticket.id, kind: 'note', content: contentFromBody(body, 'text'), uploaderId: null })
    emit(ticketEvent('message.created', { id: ticket.id, teamId, assigneeId }, { messageId: note.id, kind: 'note', ...marker }))
  }
  emit({ name: 'automation.applied', ticket: { id: ticket.id, teamId, assigneeId }, payload: { ticketId: ticket.id, ruleId: rule.id } })
  // Keep the facts current for the rules after this one in the same run.
  Object.assign(facts.ticket, { status, assigneeId, teamId, tags, custom, priority: (set.priority as string | undefined) ?? ticket.priority })
  if (changed) facts.ticket.updatedAt = t
  if (set.solvedAt !== undefined) facts.ticket.solvedAt = set.solvedAt as number | null
  return changed || notes.length > 0
}
