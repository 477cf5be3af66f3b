import type { SearchResultDto } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import type { Ctx } from '../../platform/context.ts'
import { canViewContacts } from '../../platform/policy.ts'
import { searchContactIds, searchOrganizationIds } from '../../platform/search.ts'
import { presentContacts } from '../contacts/contacts.service.ts'
import { listTickets } from '../tickets/tickets.service.ts'
import { findTicketRow, presentTickets } from '../tickets/tickets.queries.ts'
import { canViewTicket } from '../../platform/policy.ts'

/** Global search: a ticket number jumps first, then ranked tickets, contacts and organizations. */
export async function searchEverything(ctx: Ctx, actor: Actor, query: { q: string; type?: string; status?: string; limit?: number }): Promise<SearchResultDto> {
  const limit = query.limit ?? 10
  const want = (t: string) => !query.type || query.type === 'all' || query.type === t
  const result: SearchResultDto = { tickets: [], contacts: [], organizations: [] }
  if (want('tickets')) {
    const byNumber = /^#?(\d{1,9})$/.exec(query.q.trim())
    if (byNumber) {
      const row = await findTicketRow(ctx.db, Number(byNumber[1]))
      if (row && canViewTicket(actor, row)) result.tickets.push(...(await presentTickets(ctx.db, [row.id])))
    }
    const found = await listTickets(ctx, actor, { q: query.q, status: query.status, limit })
    result.tickets.push(...found.items.filter((t) => !result.tickets.some((x) => x.id === t.id)))
    result.tickets = result.tickets.slice(0, limit)
  }
  if (canViewContacts(actor)) {
    if (want('contacts')) {
      const contacts = await presentContacts(ctx.db, await searchContactIds(ctx.db, ctx.dialect, query.q, limit))
      result.contacts = contacts.map((c) => ({ id: c.id, name: c.name, email: c.emails[0] ?? null, organizationName: c.organizationName }))
    }
    if (want('organizations')) {
      const ids = await searchOrganizationIds(ctx.db, ctx.dialect, query.q, limit)
      const orgs = ids.length ? await ctx.db.selectFrom('organizations').select(['id', 'name', 'domain']).where('id', 'in', ids).execute() : []
      result.organizations = ids.map((id) => orgs.find((o) => o.id === id)).filter((o) => o !== undefined)
    }
  }
  return result
}
