import { type CompiledQuery, sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { buildTestApp, queryPlan, TEST_DB } from '../../../test/helpers.ts'
import { queryTerms } from '../../platform/search.ts'
import { topicSearchSql } from './community.search.ts'
import { publicTopicsQuery } from './community.service.ts'

/**
 * The public topic lists are the forum's hot path (every visit to /community and a category): each sort walks its own
 * index in order and stops after one page, never reading every visible topic or sorting them.
 */
describe('community topic lists use their indexes', async () => {
  const app = await buildTestApp()
  const db = app.ctx.db
  const t = 1_700_000_000_000
  const categoryIds: number[] = []
  for (const name of ['Cards', 'Transfers', 'Accounts'])
    categoryIds.push((await db.insertInto('communityCategories').values({ name, createdAt: t, updatedAt: t }).returning('id').executeTakeFirstOrThrow()).id)
  const rows = Array.from({ length: 3000 }, (_, i) => ({
    categoryId: categoryIds[i % 3]!,
    title: `Question ${i}`,
    slug: `question-${i}`,
    authorMemberId: null,
    authorUserId: null,
    status: i % 10 ? 'visible' : 'held',
    isPinned: i % 500 ? 0 : 1,
    answerCount: i % 4,
    score: i % 37,
    acceptedPostId: null,
    mergedIntoId: null,
    ticketId: null,
    kbArticleId: null,
    vocItemId: null,
    lastActivityAt: t + i * 1000,
    createdAt: t + i * 1000,
    updatedAt: t + i * 1000,
  }))
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('communityTopics')
      .values(rows.slice(i, i + 500))
      .execute()
  await sql.raw(TEST_DB === 'postgres' ? 'VACUUM ANALYZE community_topics' : 'ANALYZE').execute(db)
  const plan = (query: CompiledQuery) => queryPlan(app, query)
  // SQLite must walk the sort's own index without a temporary sort. PostgreSQL's planner weighs its options by cost:
  // it may walk the staff list's (last_activity_at, id) index when nearly every topic is visible, or sort the few
  // rows of a narrow index range; either way an index, never a scan of every topic.
  const expectIndexed = (p: string, index: string) => {
    if (TEST_DB === 'postgres') {
      expect(p).not.toMatch(/Seq Scan on community_topics/)
      expect(p).toMatch(new RegExp(`${index}|community_topics_staff_latest`))
    } else {
      expect(p).not.toMatch(/SCAN community_topics\s*$/m)
      expect(p).not.toMatch(/TEMP B-TREE/)
      expect(p).toContain(index)
    }
  }

  it.each([
    ['latest', undefined, 'community_topics_latest'],
    ['top', undefined, 'community_topics_top'],
    ['unanswered', undefined, 'community_topics_unanswered'],
    ['latest', 0, 'community_topics_category_latest'],
    ['top', 1, 'community_topics_category_top'],
    ['unanswered', 2, 'community_topics_category_unanswered'],
  ] as const)('lists %s topics (category %s) in index order', async (sort, category, index) => {
    const query = publicTopicsQuery(db, { sort, page: 3, categoryId: category === undefined ? undefined : categoryIds[category] })
    expectIndexed(await plan(query.compile()), index)
  })

  it('searches through the full-text index', async () => {
    const p = await plan(topicSearchSql(app.ctx.dialect, queryTerms('question'), { audience: 'public', limit: 30 })!.compile(db))
    if (TEST_DB === 'postgres') expect(p).toContain('community_topics_search')
    else expect(p).toMatch(/community_topics_fts VIRTUAL TABLE INDEX/)
  })
})
