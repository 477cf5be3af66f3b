import type { ExportDto } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { type Ctx, inTransaction } from '../../platform/context.ts'
import { conflict, forbidden, notFound } from '../../platform/errors.ts'
import { getExport, queueExport } from '../exports/index.ts'
import { canHandlePrivacyRequests } from './privacy.policy.ts'

/** POST /contacts/:id/data-export: queues the contact's data document (JSON), downloaded from /exports/:id/download. */
export async function requestContactDataExport(ctx: Ctx, actor: Actor, contactId: number): Promise<ExportDto> {
  if (!canHandlePrivacyRequests(actor)) throw forbidden("export a contact's data", 'only admins and owners do')
  const contact = await ctx.db.selectFrom('contacts').select(['id', 'mergedIntoId']).where('id', '=', contactId).executeTakeFirst()
  if (!contact) throw notFound('Contact', contactId)
  if (contact.mergedIntoId !== null) throw conflict(`Contact ${contactId} was merged into contact ${contact.mergedIntoId}: export that one`)
  const id = await inTransaction(ctx, async (trx) => {
    const exportId = await queueExport(trx, actor, { kind: 'contact_data', format: 'json', filters: {}, contactId })
    await recordAudit(trx, { actorId: actor.id, action: 'contact.data_exported', targetType: 'contact', targetId: contactId, data: { exportId } })
    return exportId
  })
  return getExport(ctx, actor, id)
}
