import { createHash } from 'node:crypto'
import type { AcceptVocSuggestionInput, VocItemDto, VocStatus, VocSuggestionDto, VocSuggestionsDto } from '@allhands/contract'
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../platform/actor.ts'
import type { DomainEvent } from '../../platform/realtime.ts'
import { now } from '../../platform/clock.ts'
import { type Ctx, type Executor, inTransaction } from '../../platform/context.ts'
import { conflict, forbidden, notFound } from '../../platform/errors.ts'
import { readJson, writeJson } from '../../platform/json.ts'
import { vocChanged } from './voc.events.ts'
import { createItem } from './voc.items.service.ts'
import { insertTicketLinks } from './voc.links.service.ts'
import { canManageVoc, canViewVoc } from './voc.policy.ts'
import { firstCustomerTexts, presentItems } from './voc.queries.ts'
import { buildCorpus, clusterDocuments, cosine, type Doc, titleFromTerms, tokenize, topTerms, vectorize } from './voc.similarity.ts'

const DAY = 24 * 3600_000
/** The window and the cap of one run: the most recent tickets of the last 30 days, at most 2,000. */
export const SUGGESTION_WINDOW_DAYS = 30
export const SUGGESTION_MAX_TICKETS = 2000
/** Cosine similarity a ticket needs to another (to cluster) or to an item (to be proposed as its link). */
export const CLUSTER_THRESHOLD = 0.35
export const LINK_THRESHOLD = 0.3
export const MIN_CLUSTER = 3
const MAX_NEW_ITEM_SUGGESTIONS = 12
const MAX_TICKETS_PER_LINK_SUGGESTION = 25
const MAX_ITEMS_COMPARED = 500
const RUN_SETTING = 'vocSuggestionsRun'

export interface ProposedSuggestion {
  kind: 'new_item' | 'link_item'
  itemId: number | null
  title: string
  terms: string[]
  ticketIds: number[]
  score: number
}

/**
 * What a run proposes, from the documents (subject + first customer message) of recent tickets not
 * linked anywhere yet and the items' own words (title, description, quotes): tickets close enough to an
 * item are proposed as its links (each ticket to its closest item); the rest are clustered, and clusters
 * of at least three become "new item" proposals titled by their top words. Pure and deterministic.
 */
export function proposeSuggestions(docs: Doc[], items: { id: number; text: string }[]): ProposedSuggestion[] {
  const corpus = buildCorpus(docs)
  const rare = Math.log(1 + Math.max(docs.length, 1))
  const itemVectors = items.map((i) => ({ id: i.id, v: vectorize(tokenize(i.text), corpus.idf, rare) }))
  const byItem = new Map<number, { id: number; sim: number }[]>()
  for (const d of docs) {
    const v = corpus.vectors.get(d.id)!
    let best: { item: number; sim: number } | null = null
    for (const item of itemVectors) {
      const sim = cosine(v, item.v)
      if (sim >= LINK_THRESHOLD && (!best || sim > best.sim)) best = { item: item.id, sim }
    }
    if (best) (byItem.get(best.item) ?? byItem.set(best.item, []).get(best.item)!).push({ id: d.id, sim: best.sim })
  }
  const out: ProposedSuggestion[] = []
  const claimed = new Set<number>()
  for (const item of itemVectors) {
    const matches = (byItem.get(item.id) ?? []).sort((a, b) => b.sim - a.sim || a.id - b.id).slice(0, MAX_TICKETS_PER_LINK_SUGGESTION)
    if (!matches.length) continue
    for (const m of matches) claimed.add(m.id)
    out.push({
      kind: 'link_item',
      itemId: item.id,
      title: '',
      terms: topTerms(
        matches.map((m) => corpus.vectors.get(m.id)!),
        5,
      ),
      ticketIds: matches.map((m) => m.id).sort((a, b) => a - b),
      score: Math.round((matches.reduce((s, m) => s + m.sim, 0) / matches.length) * 1000) / 1000,
    })
  }
  const rest = docs.filter((d) => !claimed.has(d.id))
  for (const c of clusterDocuments(rest, { threshold: CLUSTER_THRESHOLD, minSize: MIN_CLUSTER }).slice(0, MAX_NEW_ITEM_SUGGESTIONS)) {
    out.push({ kind: 'new_item', itemId: null, title: titleFromTerms(c.terms), terms: c.terms, ticketIds: c.ids, score: c.score })
  }
  return out
}

const fingerprintOf = (s: Pick<ProposedSuggestion, 'kind' | 'itemId' | 'ticketIds'>) =>
  createHash('sha256')
    .update(`${s.kind}:${s.itemId ?? ''}:${[...s.ticketIds].sort((a, b) => a - b).join(',')}`)
    .digest('hex')

/** Recent tickets' documents (subject + first customer message), newest first, bounded. */
async function recentDocuments(db: Executor, t: number): Promise<{ docs: Doc[]; linked: Set<number> }> {
  const tickets = await db
    .selectFrom('tickets')
    .select(['id', 'subject'])
    .where('createdAt', '>=', t - SUGGESTION_WINDOW_DAYS * DAY)
    .where('mergedIntoId', 'is', null)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(SUGGESTION_MAX_TICKETS)
    .execute()
  const ids = tickets.map((x) => x.id)
  const texts = await firstCustomerTexts(db, ids)
  const linked = new Set<number>()
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('vocLinks')
      .select('ticketId')
      .where('ticketId', 'in', ids.slice(i, i + 500))
      .execute()
    for (const r of rows) linked.add(r.ticketId!)
  }
  return { docs: tickets.map((x) => ({ id: x.id, text: `${x.subject}\n${texts.get(x.id) ?? ''}` })), linked }
}

/** Items open to new links (not declined), with their title, description and a few quotes as their words. */
async function itemDocuments(db: Executor): Promise<{ id: number; text: string }[]> {
  const items = await db
    .selectFrom('vocItems')
    .select(['id', 'title', 'descriptionText'])
    .where('status', '!=', 'declined')
    .orderBy('lastSeenAt', 'desc')
    .orderBy('id', 'desc')
    .limit(MAX_ITEMS_COMPARED)
    .execute()
  if (!items.length) return []
  const quotes = await db
    .selectFrom('vocLinks')
    .select(['itemId', 'quote'])
    .where(
      'itemId',
      'in',
      items.map((i) => i.id),
    )
    .where('quote', 'is not', null)
    .orderBy('id', 'desc')
    .limit(MAX_ITEMS_COMPARED * 10)
    .execute()
  const byItem = new Map<number, string[]>()
  for (const q of quotes) {
    const list = byItem.get(q.itemId) ?? byItem.set(q.itemId, []).get(q.itemId)!
    if (list.length < 10) list.push(q.quote!)
  }
  return items.map((i) => ({ id: i.id, text: [i.title, i.title, i.descriptionText, ...(byItem.get(i.id) ?? [])].join('\n') }))
}

/**
 * One run: reads the recent tickets and the items, proposes suggestions, stores the new ones and drops
 * pending ones no longer proposed. Accepted and dismissed suggestions stay, so the same tickets are not
 * proposed again the same way. Takes the database alone so the demo seed can run it too.
 */
export async function computeSuggestions(db: Kysely<DB>, publish?: (e: DomainEvent) => void): Promise<{ proposed: number; ticketsCompared: number }> {
  const t = now()
  const { docs, linked } = await recentDocuments(db, t)
  const proposals = proposeSuggestions(
    docs.filter((d) => !linked.has(d.id)),
    await itemDocuments(db),
  )
  await db.transaction().execute(async (trx) => {
    const fingerprints = proposals.map(fingerprintOf)
    let stale = trx.deleteFrom('vocSuggestions').where('status', '=', 'pending')
    if (fingerprints.length) stale = stale.where('fingerprint', 'not in', fingerprints)
    await stale.execute()
    for (const [i, p] of proposals.entries()) {
      await trx
        .insertInto('vocSuggestions')
        .values({
          kind: p.kind,
          itemId: p.itemId,
          title: p.title,
          terms: writeJson(p.terms),
          ticketIds: writeJson(p.ticketIds),
          score: p.score,
          fingerprint: fingerprints[i]!,
          status: 'pending',
          decidedById: null,
          decidedAt: null,
          createdAt: t,
        })
        .onConflict((oc) => oc.column('fingerprint').doNothing())
        .execute()
    }
    const run = writeJson({ computedAt: t, ticketsCompared: docs.length })
    await trx
      .insertInto('settings')
      .values({ key: RUN_SETTING, value: run })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: run }))
      .execute()
  })
  publish?.(vocChanged(null))
  return { proposed: proposals.length, ticketsCompared: docs.length }
}

type SuggestionRow = { id: number; kind: string; itemId: number | null; title: string; terms: unknown; ticketIds: unknown; score: number; createdAt: number }

async function presentSuggestions(db: Executor, rows: SuggestionRow[]): Promise<VocSuggestionDto[]> {
  const ticketIds = [...new Set(rows.flatMap((r) => readJson<number[]>(r.ticketIds, [])))]
  const tickets = new Map<number, string>()
  for (let i = 0; i < ticketIds.length; i += 500) {
    const found = await db
      .selectFrom('tickets')
      .select(['id', 'subject'])
      .where('id', 'in', ticketIds.slice(i, i + 500))
      .execute()
    for (const x of found) tickets.set(x.id, x.subject)
  }
  const itemIds = [...new Set(rows.flatMap((r) => (r.itemId === null ? [] : [r.itemId])))]
  const items = new Map((await presentItems(db, itemIds)).map((i) => [i.id, i]))
  return rows.map((r) => {
    const item = r.itemId === null ? undefined : items.get(r.itemId)
    return {
      id: r.id,
      kind: r.kind as VocSuggestionDto['kind'],
      item: item ? { id: item.id, title: item.title, status: item.status as VocStatus } : null,
      title: item ? item.title : r.title,
      terms: readJson<string[]>(r.terms, []),
      score: Number(r.score),
      tickets: readJson<number[]>(r.ticketIds, []).flatMap((id) => (tickets.has(id) ? [{ id, number: id, subject: tickets.get(id)! }] : [])),
      createdAt: Number(r.createdAt),
    }
  })
}

/** Pending suggestions, strongest first, with when they were last computed. */
export async function listSuggestions(ctx: Ctx, actor: Actor): Promise<VocSuggestionsDto> {
  if (!canViewVoc(actor)) throw forbidden('see voice-of-customer suggestions')
  const rows = await ctx.db
    .selectFrom('vocSuggestions')
    .select(['id', 'kind', 'itemId', 'title', 'terms', 'ticketIds', 'score', 'createdAt'])
    .where('status', '=', 'pending')
    .orderBy('score', 'desc')
    .orderBy('id')
    .limit(100)
    .execute()
  const run = await ctx.db.selectFrom('settings').select('value').where('key', '=', RUN_SETTING).executeTakeFirst()
  const meta = readJson<{ computedAt?: number; ticketsCompared?: number }>(run?.value, {})
  return { items: await presentSuggestions(ctx.db, rows), computedAt: meta.computedAt ?? null, ticketsCompared: meta.ticketsCompared ?? 0 }
}

/** "Refresh suggestions": computes now (bounded: at most 2,000 tickets) and returns the new list. */
export async function refreshSuggestions(ctx: Ctx, actor: Actor): Promise<VocSuggestionsDto> {
  if (!canManageVoc(actor)) throw forbidden('refresh voice-of-customer suggestions')
  await computeSuggestions(ctx.db, (e) => ctx.realtime.publish(e))
  return listSuggestions(ctx, actor)
}

async function claimSuggestion(ctx: Ctx, actor: Actor, id: number, status: 'accepted' | 'dismissed') {
  const row = await ctx.db.selectFrom('vocSuggestions').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) throw notFound('Suggestion', id)
  const done = await ctx.db
    .updateTable('vocSuggestions')
    .set({ status, decidedById: actor.id, decidedAt: now() })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst()
  if (!Number(done.numUpdatedRows)) throw conflict(`Suggestion ${id} was already ${row.status}`)
  return row
}

/** Dismissed: kept, so the same tickets are not proposed again the same way. */
export async function dismissSuggestion(ctx: Ctx, actor: Actor, id: number): Promise<void> {
  if (!canManageVoc(actor)) throw forbidden('dismiss voice-of-customer suggestions')
  await claimSuggestion(ctx, actor, id, 'dismissed')
  ctx.realtime.publish(vocChanged(null))
}

/** Accepting creates the proposed item (or takes the existing one) and links the tickets, quotes from their first messages. */
export async function acceptSuggestion(ctx: Ctx, actor: Actor, id: number, input: AcceptVocSuggestionInput): Promise<VocItemDto> {
  if (!canManageVoc(actor)) throw forbidden('accept voice-of-customer suggestions')
  const row = await claimSuggestion(ctx, actor, id, 'accepted')
  const itemId =
    row.kind === 'link_item' && row.itemId !== null
      ? row.itemId
      : (await createItem(ctx, actor, { kind: input.kind ?? 'pain_point', title: input.title ?? row.title })).id
  const ticketIds = readJson<number[]>(row.ticketIds, [])
  await inTransaction(ctx, async (trx, emit) => {
    const tickets = ticketIds.length
      ? await trx
          .selectFrom('tickets')
          .select(['id', 'requesterId', 'organizationId', 'createdAt'])
          .where('id', 'in', ticketIds)
          .where('mergedIntoId', 'is', null)
          .execute()
      : []
    await insertTicketLinks(trx, emit, actor, itemId, tickets)
  })
  return (await presentItems(ctx.db, [itemId]))[0]!
}
