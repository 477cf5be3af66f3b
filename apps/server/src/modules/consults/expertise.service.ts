import type { ExpertDto, ExpertiseQuery } from '@allhands/contract'
import { now } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'

const DAY = 86_400_000
/** An answer loses half its weight every 90 days: who knew it last quarter counts more than who knew it years ago. */
const HALF_LIFE = 90 * DAY
/** The most recent answers the directory reads (one person-consult pair each). */
const HISTORY = 3000
/** Someone in a team whose name matches ranks, but below anyone with matching answers. */
const TEAM_NAME_WEIGHT = 0.25

const STOPWORDS = new Set(
  'the and for are but not you your our with this that from have has had was were can could would should will what when where which who whom why how does did about into over than then them they their there here just also any all some more most very been being its it’s isn’t don’t doesn’t'.split(
    ' ',
  ),
)

/** Lower-cased words of three letters or more, without common filler words. */
export function queryWords(text: string): string[] {
  const words = (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length >= 3 && !STOPWORDS.has(w))
  return [...new Set(words)].slice(0, 12)
}

const matches = (docWords: Set<string>, word: string) => {
  if (docWords.has(word)) return true
  for (const d of docWords) if (d.length > word.length && d.startsWith(word)) return true
  return false
}

/**
 * "Who knows this?": people ranked by the answered consults whose question, their answers, the ticket's
 * tags or category match the query words, each answer weighted by how recent it is; members of a team whose
 * name matches come after them. Only people and labels (teams, tags, categories) are returned, never ticket
 * content, so the directory shows nothing of tickets the caller cannot see.
 */
export async function searchExperts(ctx: Ctx, query: ExpertiseQuery): Promise<ExpertDto[]> {
  const db = ctx.db
  const limit = query.limit ?? 12
  const words = queryWords(query.q ?? '')
  const t = now()

  const answers = await db
    .selectFrom('consultMessages as m')
    .innerJoin('consults as c', 'c.id', 'm.consultId')
    .innerJoin('users as u', 'u.id', 'm.authorId')
    .select(['m.authorId', 'm.consultId', 'c.ticketId', 'c.question'])
    .select((eb) => eb.fn.max('m.createdAt').as('answeredAt'))
    .where('m.isAnswer', '=', 1)
    .where('u.isActive', '=', 1)
    .groupBy(['m.authorId', 'm.consultId', 'c.ticketId', 'c.question'])
    .orderBy('answeredAt', 'desc')
    .limit(HISTORY)
    .execute()

  const consultIds = [...new Set(answers.map((a) => a.consultId))]
  const ticketIds = [...new Set(answers.map((a) => a.ticketId))]
  const [answerTexts, tags, categories] = await Promise.all([
    consultIds.length && words.length
      ? db.selectFrom('consultMessages').select(['consultId', 'authorId', 'text']).where('isAnswer', '=', 1).where('consultId', 'in', consultIds).execute()
      : [],
    ticketIds.length ? db.selectFrom('ticketTags').select(['ticketId', 'tag']).where('ticketId', 'in', ticketIds).execute() : [],
    ticketIds.length
      ? db
          .selectFrom('tickets')
          .innerJoin('categories', 'categories.id', 'tickets.categoryId')
          .select(['tickets.id', 'categories.name'])
          .where('tickets.id', 'in', ticketIds)
          .execute()
      : [],
  ])
  const textOf = new Map<string, string>()
  for (const a of answerTexts) textOf.set(`${a.consultId}:${a.authorId}`, `${textOf.get(`${a.consultId}:${a.authorId}`) ?? ''} ${a.text}`)
  const labelsOf = new Map<number, string[]>()
  for (const r of tags) labelsOf.set(r.ticketId, [...(labelsOf.get(r.ticketId) ?? []), r.tag])
  for (const r of categories) labelsOf.set(r.id, [...(labelsOf.get(r.id) ?? []), r.name])

  type Tally = { score: number; answered: number; matched: number; last: number; topics: Map<string, number> }
  const people = new Map<number, Tally>()
  for (const a of answers) {
    const answeredAt = Number(a.answeredAt)
    const labels = labelsOf.get(a.ticketId) ?? []
    const p = people.get(a.authorId) ?? { score: 0, answered: 0, matched: 0, last: 0, topics: new Map() }
    people.set(a.authorId, p)
    p.answered++
    p.last = Math.max(p.last, answeredAt)
    for (const label of labels) p.topics.set(label, (p.topics.get(label) ?? 0) + 1)
    let fraction = 1
    if (words.length) {
      const doc = new Set(queryWords(`${a.question} ${textOf.get(`${a.consultId}:${a.authorId}`) ?? ''} ${labels.join(' ')}`))
      fraction = words.filter((w) => matches(doc, w)).length / words.length
    }
    if (fraction === 0) continue
    p.matched++
    p.score += fraction * 0.5 ** (Math.max(0, t - answeredAt) / HALF_LIFE)
  }

  const teams = await db.selectFrom('teams').select(['id', 'name']).execute()
  const matchingTeams = words.length ? teams.filter((team) => words.some((w) => matches(new Set(queryWords(team.name)), w))).map((team) => team.id) : []
  if (matchingTeams.length) {
    const members = await db.selectFrom('teamMembers').select('userId').where('teamId', 'in', matchingTeams).execute()
    for (const m of members) {
      const p = people.get(m.userId) ?? { score: 0, answered: 0, matched: 0, last: 0, topics: new Map() }
      people.set(m.userId, p)
      p.score += TEAM_NAME_WEIGHT
    }
  }

  const ranked = [...people.entries()]
    .filter(([, p]) => p.score > 0)
    .sort(([, a], [, b]) => b.score - a.score || b.matched - a.matched || b.answered - a.answered)
  const userIds = ranked.map(([id]) => id)
  if (!userIds.length) return []
  const users = await db.selectFrom('users').select(['id', 'name', 'role']).where('id', 'in', userIds).where('isActive', '=', 1).execute()
  const memberships = await db.selectFrom('teamMembers').select(['userId', 'teamId']).where('userId', 'in', userIds).execute()
  const userById = new Map(users.map((u) => [u.id, u]))
  const teamById = new Map(teams.map((team) => [team.id, team]))
  return ranked
    .filter(([id]) => userById.has(id))
    .slice(0, limit)
    .map(([id, p]) => {
      const u = userById.get(id)!
      return {
        user: { id: u.id, name: u.name, role: u.role },
        teams: memberships
          .filter((m) => m.userId === id)
          .map((m) => teamById.get(m.teamId))
          .filter((team) => team !== undefined)
          .map((team) => ({ id: team.id, name: team.name })),
        answeredCount: p.answered,
        matchedCount: p.matched,
        score: Math.round(p.score * 1000) / 1000,
        topics: [...p.topics.entries()]
          .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
          .slice(0, 5)
          .map(([label]) => label),
        lastAnsweredAt: p.last || null,
      }
    })
}
