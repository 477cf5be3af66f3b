import type { VocItemDto, VocKind, VocStatus } from '@allhands/contract'
import type { Executor } from '../../platform/context.ts'

/** The item row, or undefined. */
export async function findItemRow(db: Executor, id: number) {
  return db.selectFrom('vocItems').selectAll().where('id', '=', id).executeTakeFirst()
}
export type VocItemRow = NonNullable<Awaited<ReturnType<typeof findItemRow>>>

/** Items as DTOs in the order of `ids`. */
export async function presentItems(db: Executor, ids: number[]): Promise<VocItemDto[]> {
  if (!ids.length) return []
  const rows = await db
    .selectFrom('vocItems as i')
    .leftJoin('users as u', 'u.id', 'i.createdById')
    .selectAll('i')
    .select(['u.name as createdByName'])
    .where('i.id', 'in', ids)
    .execute()
  const byId = new Map(rows.map((r) => [r.id, r]))
  return ids.flatMap((id) => {
    const r = byId.get(id)
    if (!r) return []
    return [
      {
        id: r.id,
        kind: r.kind as VocKind,
        title: r.title,
        descriptionHtml: r.descriptionHtml,
        descriptionText: r.descriptionText,
        status: r.status as VocStatus,
        trackerUrl: r.trackerUrl,
        createdBy: r.createdById !== null && r.createdByName ? { id: r.createdById, name: r.createdByName } : null,
        linkCount: Number(r.linkCount),
        customerCount: Number(r.customerCount),
        organizationCount: Number(r.organizationCount),
        firstSeenAt: r.firstSeenAt === null ? null : Number(r.firstSeenAt),
        lastSeenAt: r.lastSeenAt === null ? null : Number(r.lastSeenAt),
        shippedAt: r.shippedAt === null ? null : Number(r.shippedAt),
        createdAt: Number(r.createdAt),
        updatedAt: Number(r.updatedAt),
      },
    ]
  })
}

/** Recounts an item's links, distinct customers and organizations, and first/last seen (after a link changes). */
export async function refreshItemStats(db: Executor, itemId: number, at: number): Promise<void> {
  const s = await db
    .selectFrom('vocLinks')
    .select((eb) => [
      eb.fn.countAll<number>().as('links'),
      eb.fn.count<number>('contactId').distinct().as('customers'),
      eb.fn.count<number>('organizationId').distinct().as('organizations'),
      eb.fn.min('seenAt').as('first'),
      eb.fn.max('seenAt').as('last'),
    ])
    .where('itemId', '=', itemId)
    .executeTakeFirstOrThrow()
  await db
    .updateTable('vocItems')
    .set({
      linkCount: Number(s.links),
      customerCount: Number(s.customers),
      organizationCount: Number(s.organizations),
      firstSeenAt: s.first === null ? null : Number(s.first),
      lastSeenAt: s.last === null ? null : Number(s.last),
      updatedAt: at,
    })
    .where('id', '=', itemId)
    .execute()
}

/** Ticket ids and contact ids linked to an item (for live events and the loop). */
export async function linkedTicketIds(db: Executor, itemId: number): Promise<number[]> {
  const rows = await db.selectFrom('vocLinks').select('ticketId').where('itemId', '=', itemId).where('ticketId', 'is not', null).limit(1000).execute()
  return rows.map((r) => r.ticketId!)
}

/** The plain text of each ticket's first customer message (subject not included), in one pass. */
export async function firstCustomerTexts(db: Executor, ticketIds: number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>()
  for (let i = 0; i < ticketIds.length; i += 500) {
    const chunk = ticketIds.slice(i, i + 500)
    const firsts = db
      .selectFrom('messages')
      .select((eb) => eb.fn.min('id').as('id'))
      .where('ticketId', 'in', chunk)
      .where('kind', '=', 'customer')
      .groupBy('ticketId')
    const rows = await db.selectFrom('messages').select(['ticketId', 'text']).where('id', 'in', firsts).execute()
    for (const r of rows) out.set(r.ticketId, r.text)
  }
  return out
}

/** A short excerpt for a quote: whitespace collapsed, cut at a word boundary. */
export function excerpt(text: string, max = 280): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  if (flat.length <= max) return flat
  const cut = flat.slice(0, max - 1)
  const space = cut.lastIndexOf(' ')
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`
}
