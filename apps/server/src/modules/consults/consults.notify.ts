import type { Role } from '@allhands/contract'
import type { Ctx, Executor } from '../../platform/context.ts'
import { canViewTicket, type TicketScope } from '../../platform/policy.ts'
import type { DomainEvent } from '../../platform/realtime.ts'
import { enqueueStaffEmail } from '../email/staff-email.ts'
import { readEmailSettings } from '../inboxes/inboxes.service.ts'
import { workspaceSecret } from '../settings/settings.service.ts'
import { notificationEvent } from '../tickets/tickets.events.ts'
import { notify } from '../tickets/messages.service.ts'
import { teamIdsOf } from '../users/users.queries.ts'
import { consultReplyAddress } from './consults.addresses.ts'

/** The address consult mail is sent from (the first email inbox's first address), to tag replies with. */
async function replyBaseAddress(db: Executor): Promise<string | null> {
  const inboxes = await db.selectFrom('inboxes').select(['id', 'emailSettings']).where('type', '=', 'email').orderBy('id').execute()
  for (const inbox of inboxes) {
    const address = readEmailSettings(inbox)?.addresses[0]
    if (address) return address
  }
  return null
}

export interface ConsultNotice {
  consult: { id: number; ticketId: number; ticketSubject: string; ticket: TicketScope }
  actorId: number
  /** Short line for the bell. */
  title: string
  /** Email subject and body; without them only the in-app notification is made. */
  email?: { subject: string; text: string; key: string }
}

/**
 * Tells people about a consult: an in-app notification (linking the ticket only for those who may see it)
 * and, when asked, an email whose Reply-To routes the answer back into the consult thread.
 */
export async function notifyAboutConsult(trx: Executor, ctx: Ctx, emit: (e: DomainEvent) => void, userIds: number[], notice: ConsultNotice): Promise<void> {
  const targets = [...new Set(userIds)].filter((id) => id !== notice.actorId)
  if (!targets.length) return
  const users = await trx.selectFrom('users').select(['id', 'role']).where('id', 'in', targets).where('isActive', '=', 1).execute()
  const teams = await teamIdsOf(
    trx,
    users.map((u) => u.id),
  )
  const replyTo = notice.email ? await replyBaseAddress(trx) : null
  const secret = replyTo ? await workspaceSecret(trx, 'emailTagSecret') : null
  for (const u of users) {
    const seesTicket = canViewTicket({ id: u.id, role: u.role as Role, teamIds: teams.get(u.id) ?? [] }, notice.consult.ticket)
    const id = await notify(trx, {
      userId: u.id,
      kind: 'consult',
      ticketId: seesTicket ? notice.consult.ticketId : null,
      actorId: notice.actorId,
      title: notice.title,
    })
    emit(notificationEvent(u.id, id))
    if (notice.email) {
      await enqueueStaffEmail(trx, {
        userId: u.id,
        subject: notice.email.subject,
        text: `${notice.email.text}\n\n${ctx.config.publicUrl}/consults/${notice.consult.id}`,
        ...(replyTo && secret ? { replyTo: consultReplyAddress(replyTo, notice.consult.id, secret) } : {}),
        idempotencyKey: `consult:${notice.consult.id}:${notice.email.key}:${u.id}`,
      })
    }
  }
}
