import {
  CreateKbArticleInput,
  IdParams,
  KbArticleDto,
  KbArticleList,
  KbArticleListQuery,
  KbCategoryDto,
  KbCategoryInput,
  KbCategoryPatch,
  KbCategoryTree,
  KbDiffDto,
  KbDiffQuery,
  KbGapsDto,
  KbGapsQuery,
  KbInsertDto,
  KbPublicArticleDto,
  KbPublicArticleList,
  KbPublicArticleQuery,
  KbReviewInput,
  KbSearchQuery,
  KbSearchResult,
  KbSectionDto,
  KbSectionInput,
  KbSectionPatch,
  KbSettingsDto,
  KbSuggestQuery,
  KbVersionList,
  KbVersionParams,
  KbVoteInput,
  Ok,
  UpdateKbArticleInput,
} from '@allhands/contract'
import { actorOf, type App } from '../../platform/http.ts'
import { readHelpCenterTheme } from './help-center.layout.ts'
import { kbFileRoutes } from './kb.files.routes.ts'
import { getPublicArticle, listPublicArticles, publicSearch, recordVote } from './kb.public.ts'
import { articlePath } from './kb.queries.ts'
import {
  archiveArticle,
  articleForInsert,
  createArticle,
  createCategory,
  createSection,
  deleteArticle,
  deleteCategory,
  deleteSection,
  diffVersions,
  getArticle,
  getCategoryTree,
  getGaps,
  getKbSettings,
  listArticles,
  listVersions,
  publishArticle,
  rejectArticle,
  restoreVersion,
  searchKb,
  submitArticle,
  suggestForTicket,
  updateArticle,
  updateCategory,
  updateKbSettings,
  updateSection,
} from './kb.service.ts'

const PUBLIC_READ = { max: 240, timeWindow: '1 minute' }
const PUBLIC_SEARCH = { max: 60, timeWindow: '1 minute' }
const PUBLIC_VOTE = { max: 10, timeWindow: '1 minute' }

/** /kb: knowledge-base authoring for signed-in people, and /kb/public for the help center widget (no sign-in). */
export async function kbRoutes(app: App) {
  const ctx = app.ctx
  const tags = ['knowledge base']
  const ok = { ok: true }
  await app.register(kbFileRoutes)

  app.get('/kb/categories', { schema: { tags, description: 'Categories with their sections, in order.', response: { 200: KbCategoryTree } } }, async (req) => {
    actorOf(req)
    return getCategoryTree(ctx)
  })
  app.post(
    '/kb/categories',
    { schema: { tags, description: 'Publishers and admins.', body: KbCategoryInput, response: { 201: KbCategoryDto } } },
    async (req, reply) => reply.code(201).send(await createCategory(ctx, actorOf(req), req.body)),
  )
  app.patch('/kb/categories/:id', { schema: { tags, params: IdParams, body: KbCategoryPatch, response: { 200: KbCategoryDto } } }, async (req) =>
    updateCategory(ctx, actorOf(req), req.params.id, req.body),
  )
  app.delete(
    '/kb/categories/:id',
    { schema: { tags, description: 'Deletes its sections too; their articles stay, without a section.', params: IdParams, response: { 200: Ok } } },
    async (req) => {
      await deleteCategory(ctx, actorOf(req), req.params.id)
      return ok
    },
  )
  app.post('/kb/sections', { schema: { tags, body: KbSectionInput, response: { 201: KbSectionDto } } }, async (req, reply) =>
    reply.code(201).send(await createSection(ctx, actorOf(req), req.body)),
  )
  app.patch('/kb/sections/:id', { schema: { tags, params: IdParams, body: KbSectionPatch, response: { 200: KbSectionDto } } }, async (req) =>
    updateSection(ctx, actorOf(req), req.params.id, req.body),
  )
  app.delete('/kb/sections/:id', { schema: { tags, params: IdParams, response: { 200: Ok } } }, async (req) => {
    await deleteSection(ctx, actorOf(req), req.params.id)
    return ok
  })

  app.get(
    '/kb/articles',
    {
      schema: {
        tags,
        description: 'All articles (internal and unpublished included), last changed first.',
        querystring: KbArticleListQuery,
        response: { 200: KbArticleList },
      },
    },
    async (req) => listArticles(ctx, actorOf(req), req.query),
  )
  app.post(
    '/kb/articles',
    {
      schema: {
        tags,
        description: 'A new draft (version 1). `translationOf` adds a translation of an existing article. The body is sanitized with the e-mail allow-list.',
        body: CreateKbArticleInput,
        response: { 201: KbArticleDto },
      },
    },
    async (req, reply) => reply.code(201).send(await createArticle(ctx, actorOf(req), req.body)),
  )
  app.get('/kb/articles/:id', { schema: { tags, params: IdParams, response: { 200: KbArticleDto } } }, async (req) =>
    getArticle(ctx, actorOf(req), req.params.id),
  )
  app.patch(
    '/kb/articles/:id',
    {
      schema: {
        tags,
        description: 'Saves a new version when the title or body changes. Contributors edit only their own drafts; publishers any article, live ones included.',
        params: IdParams,
        body: UpdateKbArticleInput,
        response: { 200: KbArticleDto },
      },
    },
    async (req) => updateArticle(ctx, actorOf(req), req.params.id, req.body),
  )
  app.delete(
    '/kb/articles/:id',
    { schema: { tags, description: 'Removes the article; its public link then answers 410 Gone.', params: IdParams, response: { 200: Ok } } },
    async (req) => {
      await deleteArticle(ctx, actorOf(req), req.params.id)
      return ok
    },
  )
  app.post(
    '/kb/articles/:id/submit',
    { schema: { tags, description: 'Sends a draft to the review queue (status in_review).', params: IdParams, response: { 200: KbArticleDto } } },
    async (req) => submitArticle(ctx, actorOf(req), req.params.id),
  )
  app.post(
    '/kb/articles/:id/publish',
    { schema: { tags, description: 'Publishers and admins only.', params: IdParams, body: KbReviewInput, response: { 200: KbArticleDto } } },
    async (req) => publishArticle(ctx, actorOf(req), req.params.id, req.body?.note),
  )
  app.post(
    '/kb/articles/:id/reject',
    {
      schema: {
        tags,
        description: 'Sends an article in review back to draft with a note.',
        params: IdParams,
        body: KbReviewInput,
        response: { 200: KbArticleDto },
      },
    },
    async (req) => rejectArticle(ctx, actorOf(req), req.params.id, req.body?.note),
  )
  app.post('/kb/articles/:id/archive', { schema: { tags, params: IdParams, response: { 200: KbArticleDto } } }, async (req) =>
    archiveArticle(ctx, actorOf(req), req.params.id),
  )
  app.get('/kb/articles/:id/versions', { schema: { tags, params: IdParams, response: { 200: KbVersionList } } }, async (req) =>
    listVersions(ctx, actorOf(req), req.params.id),
  )
  app.get(
    '/kb/articles/:id/diff',
    {
      schema: {
        tags,
        description: 'Word diff of the titles, line diff of the texts.',
        params: IdParams,
        querystring: KbDiffQuery,
        response: { 200: KbDiffDto },
      },
    },
    async (req) => diffVersions(ctx, actorOf(req), req.params.id, req.query.from, req.query.to),
  )
  app.post(
    '/kb/articles/:id/versions/:version/restore',
    { schema: { tags, description: 'Saves the old version as a new one.', params: KbVersionParams, response: { 200: KbArticleDto } } },
    async (req) => restoreVersion(ctx, actorOf(req), req.params.id, req.params.version),
  )
  app.get(
    '/kb/articles/:id/insert',
    {
      schema: {
        tags,
        description: 'The public link and HTML of a published article, for the reply composer.',
        params: IdParams,
        response: { 200: KbInsertDto },
      },
    },
    async (req) => articleForInsert(ctx, actorOf(req), req.params.id),
  )
  app.get(
    '/kb/search',
    {
      schema: {
        tags,
        description: 'Ranked search of published articles (internal ones included) with typo tolerance.',
        querystring: KbSearchQuery,
        response: { 200: KbSearchResult },
      },
    },
    async (req) => searchKb(ctx, actorOf(req), req.query.q, req.query.lang, req.query.limit),
  )
  app.get(
    '/kb/suggestions',
    {
      schema: { tags, description: "Articles matching a ticket's subject and first message.", querystring: KbSuggestQuery, response: { 200: KbSearchResult } },
    },
    async (req) => suggestForTicket(ctx, actorOf(req), req.query.ticketId),
  )
  app.get(
    '/kb/gaps',
    {
      schema: {
        tags,
        description: 'Help-center searches that found nothing and articles voted unhelpful (with comments). Publishers and admins.',
        querystring: KbGapsQuery,
        response: { 200: KbGapsDto },
      },
    },
    async (req) => getGaps(ctx, actorOf(req), req.query.days),
  )
  app.get('/kb/settings', { schema: { tags, description: 'Help center branding and languages.', response: { 200: KbSettingsDto } } }, async (req) => {
    actorOf(req)
    return getKbSettings(ctx)
  })
  app.put('/kb/settings', { schema: { tags, description: 'Admins.', body: KbSettingsDto, response: { 200: KbSettingsDto } } }, async (req) =>
    updateKbSettings(ctx, actorOf(req), req.body),
  )

  // Public JSON for the widget: published public articles only, rate-limited per client address.
  const publicTags = ['knowledge base (public)']
  app.get(
    '/kb/public/articles',
    {
      config: { public: true, rateLimit: PUBLIC_READ },
      schema: { tags: publicTags, security: [], querystring: KbPublicArticleQuery, response: { 200: KbPublicArticleList } },
    },
    async (req) => {
      const lang = req.query.lang ?? (await readHelpCenterTheme(ctx.db)).languages[0]!
      const rows = await listPublicArticles(ctx.db, lang, req.query.sectionId)
      return { items: rows.map((r) => ({ id: r.id, lang: r.lang, title: r.title, sectionId: r.sectionId, url: articlePath(r) })) }
    },
  )
  app.get(
    '/kb/public/articles/:id',
    { config: { public: true, rateLimit: PUBLIC_READ }, schema: { tags: publicTags, security: [], params: IdParams, response: { 200: KbPublicArticleDto } } },
    async (req) => getPublicArticle(ctx, req.params.id),
  )
  app.get(
    '/kb/public/search',
    {
      config: { public: true, rateLimit: PUBLIC_SEARCH },
      schema: { tags: publicTags, security: [], querystring: KbSearchQuery, response: { 200: KbSearchResult } },
    },
    async (req) => publicSearch(ctx, req.query.q, req.query.lang ?? (await readHelpCenterTheme(ctx.db)).languages[0]!, req.query.limit ?? 20),
  )
  app.post(
    '/kb/public/articles/:id/votes',
    {
      config: { public: true, rateLimit: PUBLIC_VOTE },
      schema: { tags: publicTags, security: [], params: IdParams, body: KbVoteInput, response: { 201: Ok } },
    },
    async (req, reply) => {
      await recordVote(ctx, req.params.id, req.body.helpful, req.body.comment)
      return reply.code(201).send(ok)
    },
  )
}
