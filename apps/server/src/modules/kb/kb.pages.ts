import { createHash } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { Ctx } from '../../platform/context.ts'
import { AppError } from '../../platform/errors.ts'
import { acceptFormBodies } from '../../platform/form-body.ts'
import { type App, isSamePath } from '../../platform/http.ts'
import { escapeHtml as e } from '../../platform/sanitize.ts'
import { kbFilePages } from './kb.files.routes.ts'
import { publicBodyWithFiles } from './kb.files.ts'
import { type HelpCenterPage, languageName, readHelpCenterTheme, renderHelpCenterPage } from './help-center.layout.ts'
import {
  homeArticles,
  listPublicArticles,
  lookupPublicArticle,
  negotiateLanguage,
  publicSearch,
  publicTranslations,
  recordVote,
  relatedArticles,
} from './kb.public.ts'
import { articlePath, listCategoryTree } from './kb.queries.ts'

const FORM_LIMIT = 16 * 1024
const PAGE_LIMIT = { max: 240, timeWindow: '1 minute' }
const SEARCH_LIMIT = { max: 60, timeWindow: '1 minute' }
const VOTE_LIMIT = { max: 10, timeWindow: '1 minute' }

/** No script at all on help-center pages: whatever slipped into an article could not run. */
export const HELP_CENTER_CSP =
  "default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; form-action 'self'; base-uri 'none'; frame-ancestors 'self'"

const LangParams = Type.Object({ lang: Type.String({ pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$', maxLength: 12 }) })

/**
 * Sends a public page (help center, community) with the security headers and, when cacheable, its validators: an
 * unchanged page answers 304 to a revalidating client. `vary` adds to `Accept-Language` (the community's pages vary by
 * cookie: only cookieless requests are cached).
 */
export function sendPage(req: FastifyRequest, reply: FastifyReply, html: string, opts: { status?: number; cache?: boolean; vary?: string } = {}) {
  reply.header('content-security-policy', HELP_CENTER_CSP).header('x-content-type-options', 'nosniff').header('referrer-policy', 'same-origin')
  const status = opts.status ?? 200
  if (status === 200 && opts.cache !== false) {
    const etag = `W/"${createHash('sha1').update(html).digest('base64url').slice(0, 22)}"`
    reply
      .header('etag', etag)
      .header('cache-control', 'public, max-age=60, stale-while-revalidate=300')
      .header('vary', opts.vary ? `Accept-Language, ${opts.vary}` : 'Accept-Language')
    if (req.headers['if-none-match'] === etag) return reply.code(304).send()
  } else reply.header('cache-control', 'no-store')
  return reply.code(status).type('text/html; charset=utf-8').send(html)
}

const articleLinks = (items: { id: number; lang: string; slug: string; title: string }[]) =>
  `<ul class="list">${items.map((a) => `<li><a href="${e(articlePath(a))}">${e(a.title)}</a></li>`).join('')}</ul>`

async function page(ctx: Ctx, p: HelpCenterPage) {
  return renderHelpCenterPage(ctx, p)
}

/** Public help center: `/help` (language negotiation), home, section, article and search pages, votes by form post. */
export async function helpCenterPages(app: App) {
  const ctx = app.ctx
  acceptFormBodies(app, { bodyLimit: FORM_LIMIT })
  await app.register(kbFilePages)

  const notFoundPage = async (req: FastifyRequest, reply: FastifyReply, lang: string, status: 404 | 410, title: string, text: string) =>
    sendPage(
      req,
      reply,
      await page(ctx, {
        title,
        lang,
        canonicalPath: `/help/${lang}`,
        body: `<h1>${e(title)}</h1><p>${e(text)}</p><p>Try searching above, or <a href="/help/${e(lang)}">browse all articles</a>.</p>`,
        head: '<meta name="robots" content="noindex">',
      }),
      { status },
    )

  app.get('/help', { config: { public: true, rateLimit: PAGE_LIMIT }, schema: { hide: true } }, async (req, reply) => {
    const theme = await readHelpCenterTheme(ctx.db)
    const lang = negotiateLanguage(req.headers['accept-language'], theme.languages)
    return reply.header('vary', 'Accept-Language').header('cache-control', 'no-store').redirect(`/help/${lang}`, 302)
  })

  app.get('/help/:lang', { config: { public: true, rateLimit: PAGE_LIMIT }, schema: { hide: true, params: LangParams } }, async (req, reply) => {
    const { lang } = req.params
    const [tree, articles, theme] = await Promise.all([listCategoryTree(ctx.db), homeArticles(ctx.db, ctx.dialect, lang), readHelpCenterTheme(ctx.db)])
    const bySection = new Map<number | null, typeof articles>()
    for (const a of articles) bySection.set(a.sectionId, [...(bySection.get(a.sectionId) ?? []), a])
    const parts = [`<h1>${e(theme.title)}</h1>`]
    if (!articles.length) parts.push(`<p class="muted">There are no articles in ${e(languageName(lang))} yet.</p>`)
    for (const c of tree) {
      const sections = c.sections.filter((s) => bySection.has(s.id))
      if (!sections.length) continue
      parts.push(
        `<section aria-labelledby="cat-${c.id}"><h2 id="cat-${c.id}">${e(c.name)}</h2>${c.description ? `<p class="muted">${e(c.description)}</p>` : ''}<ul class="cards">`,
      )
      for (const s of sections) {
        const list = bySection.get(s.id)!
        parts.push(
          `<li><h3><a href="/help/${e(lang)}/sections/${s.id}">${e(s.name)}</a></h3>${articleLinks(list.slice(0, 5))}${list.length > 5 ? `<a href="/help/${e(lang)}/sections/${s.id}">All articles in ${e(s.name)}</a>` : ''}</li>`,
        )
      }
      parts.push('</ul></section>')
    }
    const loose = [...bySection.entries()].filter(([id]) => id === null || !tree.some((c) => c.sections.some((s) => s.id === id))).flatMap(([, l]) => l)
    if (loose.length) parts.push(`<section aria-labelledby="more"><h2 id="more">More articles</h2>${articleLinks(loose.slice(0, 50))}</section>`)
    const alternates = Object.fromEntries(theme.languages.map((l) => [l, `/help/${l}`]))
    return sendPage(req, reply, await page(ctx, { title: theme.title, lang, canonicalPath: `/help/${lang}`, body: parts.join('\n'), alternates }))
  })

  app.get(
    '/help/:lang/sections/:id',
    {
      config: { public: true, rateLimit: PAGE_LIMIT },
      schema: { hide: true, params: Type.Object({ ...LangParams.properties, id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }) },
    },
    async (req, reply) => {
      const { lang, id } = req.params
      const tree = await listCategoryTree(ctx.db)
      const category = tree.find((c) => c.sections.some((s) => s.id === id))
      const section = category?.sections.find((s) => s.id === id)
      if (!category || !section) return notFoundPage(req, reply, lang, 404, 'Section not found', 'This section does not exist.')
      const articles = await listPublicArticles(ctx.db, lang, id)
      const body = `<p class="crumbs"><a href="/help/${e(lang)}">Home</a> › ${e(category.name)}</p><h1>${e(section.name)}</h1>${
        section.description ? `<p class="muted">${e(section.description)}</p>` : ''
      }${articles.length ? articleLinks(articles) : '<p class="muted">No articles in this section yet.</p>'}`
      return sendPage(req, reply, await page(ctx, { title: section.name, lang, canonicalPath: `/help/${lang}/sections/${id}`, body }))
    },
  )

  app.get(
    '/help/:lang/articles/:ref',
    {
      config: { public: true, rateLimit: PAGE_LIMIT },
      schema: {
        hide: true,
        params: Type.Object({ ...LangParams.properties, ref: Type.String({ maxLength: 200 }) }),
        querystring: Type.Object({ voted: Type.Optional(Type.String({ maxLength: 10 })) }),
      },
    },
    async (req, reply) => {
      const { lang, ref } = req.params
      const id = Number(/^(\d{1,10})(-|$)/.exec(ref)?.[1])
      const found = id ? await lookupPublicArticle(ctx.db, id) : ({ kind: 'missing' } as const)
      if (found.kind === 'missing') return notFoundPage(req, reply, lang, 404, 'Article not found', 'We could not find this article.')
      if (found.kind === 'gone') return notFoundPage(req, reply, lang, 410, 'This article was removed', `"${found.article.title}" is no longer available.`)
      const a = found.article
      const canonical = articlePath(a)
      if (!isSamePath(req.url, canonical)) return reply.redirect(canonical + (req.query.voted ? `?voted=${encodeURIComponent(req.query.voted)}` : ''), 301)
      const [translations, related, tree, bodyHtml] = await Promise.all([
        publicTranslations(ctx.db, a),
        relatedArticles(ctx.db, a),
        listCategoryTree(ctx.db),
        publicBodyWithFiles(ctx.db, a),
      ])
      const category = tree.find((c) => c.sections.some((s) => s.id === a.sectionId))
      const section = category?.sections.find((s) => s.id === a.sectionId)
      const alternates = Object.fromEntries(translations.map((t) => [t.lang, articlePath(t)]))
      const head = [
        `<meta name="description" content="${e(a.bodyText.slice(0, 160).replace(/\s+/g, ' '))}">`,
        ...translations.map((t) => `<link rel="alternate" hreflang="${e(t.lang)}" href="${e(ctx.config.publicUrl + articlePath(t))}">`),
      ].join('\n')
      const voted = req.query.voted
      const notice =
        voted === 'yes' || voted === 'no'
          ? `<p role="status" class="ok">Thank you for your feedback!</p>`
          : voted === 'error'
            ? `<p role="alert" class="err">Your feedback could not be recorded. Please try again in a minute.</p>`
            : ''
      const voteForm = `<section class="vote" id="vote" aria-labelledby="vote-title">${notice}
<form method="post" action="/help/${e(a.lang)}/articles/${a.id}/vote"><fieldset><legend id="vote-title">Was this article helpful?</legend>
<label><input type="radio" name="helpful" value="yes" required> Yes</label><label><input type="radio" name="helpful" value="no"> No</label></fieldset>
<p><label for="vote-comment">Comment (optional)</label><br><textarea id="vote-comment" name="comment" rows="3" maxlength="2000"></textarea></p>
<button type="submit">Send feedback</button></form></section>`
      const body = `<p class="crumbs"><a href="/help/${e(a.lang)}">Home</a>${
        category && section ? ` › ${e(category.name)} › <a href="/help/${e(a.lang)}/sections/${section.id}">${e(section.name)}</a>` : ''
      }</p>
<article><h1>${e(a.title)}</h1><p class="muted">Updated <time datetime="${new Date(Number(a.updatedAt)).toISOString()}">${new Date(Number(a.updatedAt)).toISOString().slice(0, 10)}</time></p>
<div class="article-body">${bodyHtml}</div></article>
${related.length ? `<aside aria-labelledby="related"><h2 id="related">Related articles</h2>${articleLinks(related)}</aside>` : ''}
${voteForm}`
      return sendPage(req, reply, await page(ctx, { title: a.title, lang: a.lang, canonicalPath: canonical, body, head, alternates }), { cache: !voted })
    },
  )

  app.post(
    '/help/:lang/articles/:id/vote',
    {
      config: { public: true, rateLimit: VOTE_LIMIT },
      schema: {
        hide: true,
        params: Type.Object({ ...LangParams.properties, id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }),
        body: Type.Object({ helpful: Type.Optional(Type.String({ maxLength: 5 })), comment: Type.Optional(Type.String({ maxLength: 4000 })) }),
      },
    },
    async (req, reply) => {
      const { id } = req.params
      const found = await lookupPublicArticle(ctx.db, id)
      if (found.kind !== 'ok') return notFoundPage(req, reply, req.params.lang, 404, 'Article not found', 'We could not find this article.')
      const target = articlePath(found.article)
      const helpful = req.body.helpful
      if (helpful !== 'yes' && helpful !== 'no') return reply.redirect(`${target}?voted=error#vote`, 303)
      try {
        await recordVote(ctx, id, helpful === 'yes', req.body.comment)
      } catch (err) {
        if (err instanceof AppError && err.status < 500) return reply.redirect(`${target}?voted=error#vote`, 303)
        throw err
      }
      return reply.redirect(`${target}?voted=${helpful}#vote`, 303)
    },
  )

  app.get(
    '/help/search',
    {
      config: { public: true, rateLimit: SEARCH_LIMIT },
      schema: {
        hide: true,
        querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })), lang: Type.Optional(Type.String({ maxLength: 12 })) }),
      },
    },
    async (req, reply) => {
      const theme = await readHelpCenterTheme(ctx.db)
      const asked = req.query.lang
      const lang = asked && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/.test(asked) ? asked : negotiateLanguage(req.headers['accept-language'], theme.languages)
      const q = (req.query.q ?? '').trim()
      const result = q ? await publicSearch(ctx, q, lang) : { items: [], correctedQuery: null }
      const parts = [`<h1>Search results</h1>`]
      if (!q) parts.push('<p class="muted">Type a few words in the search box above.</p>')
      else {
        if (result.correctedQuery) parts.push(`<p>Showing results for <strong>${e(result.correctedQuery)}</strong> (you searched for “${e(q)}”).</p>`)
        parts.push(`<p role="status">${result.items.length} ${result.items.length === 1 ? 'article' : 'articles'} for “${e(q)}”</p>`)
        if (result.items.length)
          parts.push(
            `<ol class="list results">${result.items.map((h) => `<li><a href="${e(h.url)}">${e(h.title)}</a><br><span class="muted">${e(h.snippet)}</span></li>`).join('')}</ol>`,
          )
        else parts.push('<p>No articles match. Try other words, or <a href="/help/trees">guided help</a>.</p>')
      }
      const html = await page(ctx, {
        title: q ? `Search: ${q}` : 'Search',
        lang,
        canonicalPath: '/help/search',
        body: parts.join('\n'),
        head: '<meta name="robots" content="noindex">',
        query: q,
      })
      return sendPage(req, reply, html, { cache: false })
    },
  )
}
