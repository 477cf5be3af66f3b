import type { CommunityAuthorDto } from '@allhands/contract'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { AppError } from '../../platform/errors.ts'
import type { App } from '../../platform/http.ts'
import { escapeHtml as e, normalizeBody } from '../../platform/sanitize.ts'
import { readHelpCenterTheme, renderHelpCenterPage } from '../kb/index.ts'
import { HELP_CENTER_CSP } from '../kb/kb.pages.ts'
import { snippetOf } from '../kb/kb.search.ts'
import { consumeLoginLink, memberOfRequest, peekLoginLink, requestLoginLink, safeReturnTo, setMemberCookie, signOut } from './community.identity.ts'
import { canAcceptAnswer, changeRefusal, deleteConflict, isAuthorOf, isModerator, type Poster, postRefusal } from './community.policy.ts'
import { acceptAnswer, askQuestion, flagPost, isFollowing, postAnswer, setTopicFollow, votePost } from './community.posting.ts'
import { authorsOf, findPostRow, findTopicRow, listTopicPosts, memberPath, type PostRow, type TopicRow, topicPath } from './community.queries.ts'
import { listCategories, listPublicTopics, publicProfile, searchPublicTopics } from './community.service.ts'
import { deleteOwnPost, editOwnPost } from './community.editing.ts'

const FORM_LIMIT = 64 * 1024
const PAGE_LIMIT = { max: 240, timeWindow: '1 minute' }
/** Sign-in links per client address (each address also gets at most three links per quarter hour). */
export const LOGIN_LIMIT = { max: 5, timeWindow: '1 minute' }
/** Questions and answers per client address (each member also has the hourly posting rule). */
export const POST_LIMIT = { max: 20, timeWindow: '1 minute' }
const ACTION_LIMIT = { max: 60, timeWindow: '1 minute' }
/** Searches per client address (each runs full-text queries, and a typo a few more). */
export const SEARCH_LIMIT = { max: 60, timeWindow: '1 minute' }

const Id = Type.Integer({ minimum: 1, maximum: 2147483647 })
const IdParams = Type.Object({ id: Id })
const RefParams = Type.Object({ ref: Type.String({ maxLength: 200 }) })

const NOTICES: Record<string, string> = {
  asked: 'Your question is published.',
  answered: 'Your answer is published.',
  held: 'Thank you! Your post is waiting for a moderator and will appear once approved.',
  voted: 'Thanks for voting.',
  accepted: 'Answer accepted. Thank you for closing the loop!',
  followed: 'You follow this topic: new answers come to you by email.',
  unfollowed: 'You no longer follow this topic.',
  flagged: 'Thank you: moderators will look at this post.',
  edited: 'Your changes are saved.',
  deleted: 'Your post is deleted.',
  signedin: 'You are signed in.',
  signedout: 'You are signed out.',
}

const STYLE = `<style>
.acct{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;justify-content:space-between;border-bottom:1px solid #dee2e6;padding-bottom:10px;margin-bottom:16px}
.acct form{display:inline}.linkbtn{background:none;color:var(--hc-accent);padding:0;text-decoration:underline}
.tabs{display:flex;gap:14px;margin:8px 0 16px}.tabs [aria-current]{font-weight:700;text-decoration:none}
ol.topics{list-style:none;padding:0}ol.topics li{border-bottom:1px solid #dee2e6;padding:10px 0}.stats{font-size:.9rem;color:#868e96}
.badge{display:inline-block;font-size:.75rem;font-weight:700;border-radius:4px;padding:1px 6px;margin-left:6px;vertical-align:middle;background:#e7f5ff;color:#1864ab}
.badge.staff{background:#fff3bf;color:#5c3c00}.badge.accepted{background:#d3f9d8;color:#2b8a3e}.badge.held{background:#ffe3e3;color:#c92a2a}
article.post{border:1px solid #dee2e6;border-radius:8px;padding:12px 16px;margin:12px 0}article.post.accepted{border:2px solid #40c057}
article.post img{max-width:100%;height:auto}.byline{font-size:.9rem;color:#868e96}.actions{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin-top:8px}
.actions form{display:inline}.actions button{padding:4px 10px;font-size:.9rem}.secondary{background:#e9ecef;color:#1a1b1e}
form.search{display:flex;gap:8px;margin:0 0 16px}form.search input{flex:1}.removed{font-style:italic;color:#868e96}
textarea,input[type=text],input[type=email],select{width:100%;padding:8px;border:1px solid #ced4da;border-radius:6px;font:inherit}
label{font-weight:600}.field{margin:10px 0}
@media (prefers-color-scheme:dark){.secondary{background:#373a40;color:#e9ecef}textarea,input[type=text],input[type=email],select{background:#25262b;color:#e9ecef;border-color:#373a40}}
</style>`

/** Who is writing: a signed-in member of staff (staff badge), else the member of the community cookie, else nobody. */
async function posterOf(app: App, req: FastifyRequest): Promise<Poster | null> {
  if (req.actor) return { kind: 'staff', actor: req.actor }
  const member = await memberOfRequest(app.ctx.db, req)
  return member ? { kind: 'member', member } : null
}

const fmtDate = (ms: number | string) => new Date(Number(ms)).toISOString().slice(0, 10)
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

function accountBar(poster: Poster | null, here: string) {
  const back = `<a href="/community">Community home</a> · <a href="/help">Help center</a>`
  if (!poster)
    return `<div class="acct"><span>${back}</span><span><a href="/community/login?returnTo=${encodeURIComponent(here)}">Sign in to ask and answer</a></span></div>`
  const name =
    poster.kind === 'staff'
      ? `${e(poster.actor.name)}<span class="badge staff">Staff</span>`
      : `<a href="${memberPath(poster.member.id)}">${e(poster.member.displayName)}</a>`
  const out = poster.kind === 'member' ? `<form method="post" action="/community/logout"><button class="linkbtn" type="submit">Sign out</button></form>` : ''
  return `<div class="acct"><span>${back}</span><span>Signed in as ${name} · <a href="/community/ask">Ask a question</a> ${out}</span></div>`
}

/** The community search box at the top of every community page (a plain GET form). */
const searchBox = (q: string) =>
  `<form class="search" method="get" action="/community/search" role="search"><input id="community-q" aria-label="Search the community" type="search" name="q" maxlength="200" placeholder="Search the community" value="${e(q)}"><button type="submit">Search community</button></form>`

function authorLine(a: CommunityAuthorDto | null, at: number | string, editedAt: number | string | null = null) {
  const edited =
    editedAt === null ? '' : ` · <span class="edited">edited <time datetime="${new Date(Number(editedAt)).toISOString()}">${fmtDate(editedAt)}</time></span>`
  const who = !a
    ? '<span>Former member</span>'
    : a.kind === 'staff'
      ? `<strong>${e(a.name)}</strong><span class="badge staff" title="Works at the company">Staff</span>`
      : `<a href="${memberPath(a.id)}">${e(a.name)}</a> <span class="muted" title="Reputation">(${a.reputation ?? 0})</span>`
  return `<p class="byline">${who} · <time datetime="${new Date(Number(at)).toISOString()}">${fmtDate(at)}</time>${edited}</p>`
}

function topicList(topics: TopicRow[], authors: Awaited<ReturnType<typeof authorsOf>>, empty: string) {
  if (!topics.length) return `<p class="muted">${e(empty)}</p>`
  return `<ol class="topics">${topics
    .map((t) => {
      const a = authors(t)
      const badges = `${t.isPinned ? '<span class="badge">Pinned</span>' : ''}${t.acceptedPostId ? '<span class="badge accepted">Answered</span>' : ''}${t.isLocked ? '<span class="badge">Locked</span>' : ''}`
      return `<li><a href="${e(topicPath(t))}">${e(t.title)}</a>${badges}<div class="stats">${plural(t.answerCount, 'answer')} · ${plural(t.score, 'vote')} · ${
        a ? `by ${e(a.name)}${a.kind === 'staff' ? ' (staff)' : ''} · ` : ''
      }active ${fmtDate(t.lastActivityAt)}</div></li>`
    })
    .join('')}</ol>`
}

function sortTabs(base: string, sort: string) {
  const tabs = [
    ['latest', 'Latest'],
    ['unanswered', 'Unanswered'],
    ['top', 'Top'],
  ]
  return `<nav class="tabs" aria-label="Sort topics">${tabs
    .map(([key, label]) => (key === sort ? `<a aria-current="page" href="${base}?sort=${key}">${label}</a>` : `<a href="${base}?sort=${key}">${label}</a>`))
    .join('')}</nav>`
}

/** Public community at /community: server-rendered pages with plain HTML forms, the help center's layout and theme, no script. */
export async function communityPages(app: App) {
  const ctx = app.ctx
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))))
  })
  // Member-cookie writes must come from our own pages (the staff cookie is checked the same way by the app).
  app.addHook('onRequest', async (req) => {
    if (req.method !== 'POST' || !req.url.startsWith('/community')) return
    const origin = req.headers.origin
    const host = req.headers['x-forwarded-host'] ?? req.headers.host
    if (origin && origin !== 'null' && new URL(origin).host !== host) throw new AppError('forbidden', 403, 'Cross-site request refused')
  })

  const render = async (
    req: FastifyRequest,
    reply: FastifyReply,
    p: { title: string; body: string; path: string; status?: number; noindex?: boolean; poster: Poster | null; query?: string },
  ) => {
    const theme = await readHelpCenterTheme(ctx.db)
    const notice = (req.query as { notice?: string } | undefined)?.notice
    const flash = notice && NOTICES[notice] ? `<p role="status" class="ok">${e(NOTICES[notice])}</p>` : ''
    const html = await renderHelpCenterPage(ctx, {
      title: p.title,
      lang: theme.languages[0]!,
      canonicalPath: p.path,
      head: `${STYLE}${p.noindex ? '<meta name="robots" content="noindex">' : ''}`,
      body: `${accountBar(p.poster, p.path)}${searchBox(p.query ?? '')}${flash}${p.body}`,
    })
    return reply
      .code(p.status ?? 200)
      .header('content-security-policy', HELP_CENTER_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin')
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(html)
  }
  const errorPage = (req: FastifyRequest, reply: FastifyReply, poster: Poster | null, status: number, title: string, text: string) =>
    render(req, reply, {
      title,
      path: '/community',
      status,
      noindex: true,
      poster,
      body: `<h1>${e(title)}</h1><p role="alert" class="err">${e(text)}</p><p><a href="/community">Back to the community</a></p>`,
    })
  const requireSignIn = (reply: FastifyReply, returnTo: string) => reply.redirect(`/community/login?returnTo=${encodeURIComponent(returnTo)}`, 303)

  app.get('/community', { config: { public: true, rateLimit: PAGE_LIMIT }, schema: { hide: true } }, async (req, reply) => {
    const poster = await posterOf(app, req)
    const [categories, latest] = await Promise.all([listCategories(ctx.db), listPublicTopics(ctx.db, { sort: 'latest', page: 1 })])
    const authors = await authorsOf(ctx.db, latest.rows)
    const cards = categories.length
      ? `<ul class="cards">${categories
          .map(
            (c) =>
              `<li><h3><a href="/community/c/${c.id}">${e(c.name)}</a></h3>${c.description ? `<p class="muted">${e(c.description)}</p>` : ''}<p class="stats">${plural(c.topicCount, 'topic')}</p></li>`,
          )
          .join('')}</ul>`
      : '<p class="muted">The community has no categories yet.</p>'
    const body = `<h1>Community</h1><p>Ask questions, share answers and learn from other customers. Looking for guides? Visit the <a href="/help">help center</a>.</p>
<p><a class="button" href="/community/ask">Ask a question</a></p>
<section aria-labelledby="cats"><h2 id="cats">Categories</h2>${cards}</section>
<section aria-labelledby="latest"><h2 id="latest">Latest topics</h2>${topicList(latest.rows.slice(0, 15), authors, 'No questions yet. Be the first to ask!')}</section>`
    return render(req, reply, { title: 'Community', path: '/community', body, poster })
  })

  app.get(
    '/community/c/:id',
    {
      config: { public: true, rateLimit: PAGE_LIMIT },
      schema: {
        hide: true,
        params: IdParams,
        querystring: Type.Object({
          sort: Type.Optional(Type.Union([Type.Literal('latest'), Type.Literal('unanswered'), Type.Literal('top')])),
          page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
        }),
      },
    },
    async (req, reply) => {
      const poster = await posterOf(app, req)
      const category = (await listCategories(ctx.db)).find((c) => c.id === req.params.id)
      if (!category) return errorPage(req, reply, poster, 404, 'Category not found', 'This category does not exist.')
      const sort = req.query.sort ?? 'latest'
      const page = req.query.page ?? 1
      const { rows, hasMore } = await listPublicTopics(ctx.db, { categoryId: category.id, sort, page })
      const authors = await authorsOf(ctx.db, rows)
      const base = `/community/c/${category.id}`
      const pager = `${page > 1 ? `<a href="${base}?sort=${sort}&page=${page - 1}">Newer</a> ` : ''}${hasMore ? `<a href="${base}?sort=${sort}&page=${page + 1}">Older</a>` : ''}`
      const body = `<p class="crumbs"><a href="/community">Community</a> › ${e(category.name)}</p><h1>${e(category.name)}</h1>${
        category.description ? `<p class="muted">${e(category.description)}</p>` : ''
      }<p><a class="button" href="/community/ask?category=${category.id}">Ask a question</a></p>${sortTabs(base, sort)}${topicList(
        rows,
        authors,
        sort === 'unanswered' ? 'Every question here has an answer.' : 'No questions here yet.',
      )}<p>${pager}</p>`
      return render(req, reply, { title: category.name, path: base, body, poster })
    },
  )

  async function topicPage(
    req: FastifyRequest,
    reply: FastifyReply,
    topic: TopicRow,
    poster: Poster | null,
    opts: { error?: string; draft?: string; status?: number } = {},
  ) {
    const moderator = poster ? isModerator(poster) : false
    const author = poster ? isAuthorOf(poster, topic) : false
    if (topic.status === 'hidden' && !moderator) return errorPage(req, reply, poster, 404, 'Topic not found', 'This topic does not exist or was removed.')
    if (topic.status === 'deleted' && !moderator) return errorPage(req, reply, poster, 410, 'Question deleted', 'This question was deleted by its author.')
    if (topic.status === 'held' && !moderator && !author)
      return errorPage(req, reply, poster, 404, 'Topic not found', 'This topic does not exist or was removed.')
    const category = (await listCategories(ctx.db)).find((c) => c.id === topic.categoryId)
    const all = await listTopicPosts(ctx.db, topic, { visibleOnly: false })
    // Public posts for everyone; a held post also for its author (marked as waiting) and for moderators; a deleted
    // answer as a placeholder (its text for moderators only).
    const posts = all.filter(
      (p) =>
        p.status === 'visible' ||
        p.status === 'deleted' ||
        (p.status === 'held' && (moderator || (poster && isAuthorOf(poster, p)))) ||
        (moderator && p.status === 'hidden'),
    )
    const authors = await authorsOf(ctx.db, posts)
    const following = await isFollowing(ctx.db, topic.id, poster)
    const canAccept = poster ? canAcceptAnswer(poster, topic) : false
    const answerCount = all.filter((p) => p.kind === 'answer' && (p.status === 'visible' || p.status === 'held')).length
    const path = topicPath(topic)
    const postHtml = (p: PostRow) => {
      const accepted = p.id === topic.acceptedPostId
      const own = poster ? isAuthorOf(poster, p) : false
      if (p.status === 'deleted' && !moderator)
        return `<article class="post" id="post-${p.id}" aria-label="Deleted answer"><p class="removed">This answer was deleted by its author.</p></article>`
      const status =
        p.status === 'held'
          ? '<p class="badge held">Waiting for a moderator</p>'
          : p.status === 'hidden'
            ? '<p class="badge held">Hidden (moderators only)</p>'
            : p.status === 'deleted'
              ? '<p class="badge held">Deleted by its author (moderators only)</p>'
              : ''
      const votes =
        p.status === 'visible' && poster && !own
          ? `<form method="post" action="/community/posts/${p.id}/vote"><input type="hidden" name="value" value="up"><button type="submit" class="secondary" aria-label="Vote up post ${p.id}">▲ Up</button></form>
<form method="post" action="/community/posts/${p.id}/vote"><input type="hidden" name="value" value="down"><button type="submit" class="secondary" aria-label="Vote down post ${p.id}">▼ Down</button></form>`
          : ''
      const accept =
        p.kind === 'answer' && p.status === 'visible' && canAccept && !accepted
          ? `<form method="post" action="/community/posts/${p.id}/accept"><button type="submit">Accept this answer</button></form>`
          : ''
      const flag =
        p.status === 'visible' && poster && !own
          ? `<details><summary>Report</summary><form method="post" action="/community/posts/${p.id}/flag"><label for="flag-${p.id}">Why should moderators look at this post?</label><input id="flag-${p.id}" type="text" name="reason" maxlength="500"><button type="submit" class="secondary">Report post</button></form></details>`
          : ''
      // Authors change their own posts; the accepted answer and an answered question cannot be deleted (the button says why).
      const change =
        own && poster && !changeRefusal(poster, p)
          ? `<a href="/community/posts/${p.id}/edit" aria-label="Edit ${p.kind === 'question' ? 'your question' : `your answer ${p.id}`}">Edit</a>${
              deleteConflict(p, topic, answerCount)
                ? ''
                : `<form method="post" action="/community/posts/${p.id}/delete"><button type="submit" class="secondary" aria-label="Delete ${p.kind === 'question' ? 'your question' : `your answer ${p.id}`}">Delete</button></form>`
            }`
          : ''
      return `<article class="post${accepted ? ' accepted' : ''}" id="post-${p.id}" aria-label="${p.kind === 'question' ? 'Question' : accepted ? 'Accepted answer' : 'Answer'}">
${accepted ? '<p class="badge accepted">Accepted answer</p>' : ''}${status}
<div class="post-body">${p.bodyHtml}</div>${authorLine(authors(p), p.createdAt, p.editedAt)}
<div class="actions"><span class="stats" aria-label="Score">${plural(p.score, 'vote')}</span>${votes}${accept}${flag}${change}</div></article>`
    }
    const question = posts.find((p) => p.kind === 'question')
    const answers = posts.filter((p) => p.kind === 'answer')
    const refusal = poster ? postRefusal(poster, topic) : null
    const answerForm = !poster
      ? `<p><a href="/community/login?returnTo=${encodeURIComponent(path)}">Sign in</a> to answer.</p>`
      : refusal
        ? `<p class="muted">${e(refusal)}.</p>`
        : `<form method="post" action="/community/t/${topic.id}/answers" id="answer"><div class="field"><label for="answer-body">Your answer</label>
<textarea id="answer-body" name="body" rows="6" required maxlength="50000">${e(opts.draft ?? '')}</textarea></div><button type="submit">Post your answer</button></form>`
    const followForm = poster
      ? `<form method="post" action="/community/t/${topic.id}/follow"><input type="hidden" name="follow" value="${following ? '0' : '1'}"><button type="submit" class="secondary">${
          following ? 'Unfollow this topic' : 'Follow this topic'
        }</button></form>`
      : ''
    const body = `<p class="crumbs"><a href="/community">Community</a>${category ? ` › <a href="/community/c/${category.id}">${e(category.name)}</a>` : ''}</p>
<h1>${e(topic.title)}${topic.isPinned ? '<span class="badge">Pinned</span>' : ''}${topic.isLocked ? '<span class="badge">Locked</span>' : ''}</h1>
${topic.status === 'held' ? '<p role="status" class="err">This question is waiting for a moderator; only you and the moderators can see it for now.</p>' : ''}
${topic.ticketId !== null ? '<p class="ok">Our support team is handling this question and will follow up with the person who asked.</p>' : ''}
${opts.error ? `<p role="alert" class="err">${e(opts.error)}</p>` : ''}
${question ? postHtml(question) : ''}<div class="actions">${followForm}</div>
<section aria-labelledby="answers"><h2 id="answers">${plural(answers.filter((a) => a.status === 'visible').length, 'answer')}</h2>${answers.map(postHtml).join('\n')}</section>
<section aria-labelledby="reply"><h2 id="reply">Answer this question</h2>${answerForm}</section>`
    return render(req, reply, { title: topic.title, path, body, poster, status: opts.status, noindex: topic.status !== 'visible' })
  }

  app.get('/community/t/:ref', { config: { public: true, rateLimit: PAGE_LIMIT }, schema: { hide: true, params: RefParams } }, async (req, reply) => {
    const poster = await posterOf(app, req)
    const id = Number(/^(\d{1,10})(-|$)/.exec(req.params.ref)?.[1])
    let topic = id ? await findTopicRow(ctx.db, id) : undefined
    if (!topic) return errorPage(req, reply, poster, 404, 'Topic not found', 'This topic does not exist or was removed.')
    // A merged topic lives on at its target: follow the chain (merges are never circular, but cap the hops anyway).
    for (let hops = 0; topic.mergedIntoId !== null && hops < 10; hops++) {
      const next = await findTopicRow(ctx.db, topic.mergedIntoId)
      if (!next) break
      topic = next
    }
    if (topic.id !== id) return reply.redirect(topicPath(topic), 301)
    const canonical = topicPath(topic)
    if (req.url.split('?')[0] !== canonical) return reply.redirect(canonical + (req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : ''), 301)
    return topicPage(req, reply, topic, poster)
  })

  // ---- asking ----

  const askForm = async (poster: Poster, v: { categoryId?: number; title?: string; body?: string; error?: string; similar?: TopicRow[] }) => {
    const categories = await listCategories(ctx.db)
    const similar = !v.similar
      ? ''
      : v.similar.length
        ? `<section aria-labelledby="similar"><h2 id="similar">Similar questions</h2><p class="muted">One of these may already answer yours.</p><ol class="topics">${v.similar
            .map(
              (t) =>
                `<li><a href="${e(topicPath(t))}">${e(t.title)}</a>${t.acceptedPostId ? '<span class="badge accepted">Answered</span>' : ''}<div class="stats">${plural(t.answerCount, 'answer')}</div></li>`,
            )
            .join('')}</ol></section>`
        : '<p role="status" class="muted">No similar questions yet: go ahead and ask.</p>'
    return `<p class="crumbs"><a href="/community">Community</a> › Ask</p><h1>Ask a question</h1>${v.error ? `<p role="alert" class="err">${e(v.error)}</p>` : ''}${similar}
${poster.kind === 'member' && poster.member.approvedCount === 0 ? '<p class="muted">Your first post is checked by a moderator before it appears.</p>' : ''}
<form method="post" action="/community/ask"><div class="field"><label for="ask-category">Category</label><select id="ask-category" name="categoryId" required>${categories
      .map((c) => `<option value="${c.id}"${c.id === v.categoryId ? ' selected' : ''}>${e(c.name)}</option>`)
      .join('')}</select></div>
<div class="field"><label for="ask-title">Title</label><input id="ask-title" type="text" name="title" required minlength="5" maxlength="200" value="${e(v.title ?? '')}"></div>
<div class="field"><label for="ask-body">Details</label><textarea id="ask-body" name="body" rows="8" required maxlength="50000">${e(v.body ?? '')}</textarea></div>
<button type="submit" name="preview" value="1" class="secondary" formnovalidate>Find similar questions</button> <button type="submit">Post your question</button></form>`
  }

  app.get(
    '/community/ask',
    { config: { public: true, rateLimit: PAGE_LIMIT }, schema: { hide: true, querystring: Type.Object({ category: Type.Optional(Id) }) } },
    async (req, reply) => {
      const poster = await posterOf(app, req)
      if (!poster) return requireSignIn(reply, '/community/ask')
      return render(req, reply, {
        title: 'Ask a question',
        path: '/community/ask',
        poster,
        noindex: true,
        body: await askForm(poster, { categoryId: req.query.category }),
      })
    },
  )

  app.post(
    '/community/ask',
    {
      config: { public: true, rateLimit: POST_LIMIT },
      schema: {
        hide: true,
        body: Type.Object({
          categoryId: Type.Optional(Type.String({ maxLength: 12 })),
          title: Type.Optional(Type.String({ maxLength: 1000 })),
          body: Type.Optional(Type.String({ maxLength: 60000 })),
          preview: Type.Optional(Type.String({ maxLength: 2 })),
        }),
      },
    },
    async (req, reply) => {
      const poster = await posterOf(app, req)
      if (!poster) return requireSignIn(reply, '/community/ask')
      const v = { categoryId: Number(req.body.categoryId) || 0, title: req.body.title ?? '', body: req.body.body ?? '' }
      if (req.body.preview) {
        // "Find similar questions": the title as an any-word search, before anything is posted.
        const similar = (await searchPublicTopics(ctx, v.title.slice(0, 200), { limit: 5, anyWord: true })).rows
        const body = await askForm(poster, { ...v, similar })
        return render(req, reply, { title: 'Ask a question', path: '/community/ask', poster, noindex: true, body })
      }
      try {
        const { topic, held } = await askQuestion(ctx, poster, v)
        return reply.redirect(`${topicPath(topic)}?notice=${held ? 'held' : 'asked'}`, 303)
      } catch (err) {
        if (!(err instanceof AppError)) throw err
        const body = await askForm(poster, { ...v, error: err.message })
        return render(req, reply, { title: 'Ask a question', path: '/community/ask', poster, noindex: true, status: err.status, body })
      }
    },
  )

  // ---- answering, voting, accepting, following, flagging ----

  const FormBody = Type.Object({ body: Type.Optional(Type.String({ maxLength: 60000 })) })
  app.post(
    '/community/t/:id/answers',
    { config: { public: true, rateLimit: POST_LIMIT }, schema: { hide: true, params: IdParams, body: FormBody } },
    async (req, reply) => {
      const poster = await posterOf(app, req)
      const topic = await findTopicRow(ctx.db, req.params.id)
      if (!topic) return errorPage(req, reply, poster, 404, 'Topic not found', 'This topic does not exist or was removed.')
      if (!poster) return requireSignIn(reply, topicPath(topic))
      try {
        const { post, held } = await postAnswer(ctx, poster, topic.id, { body: req.body.body ?? '' })
        return reply.redirect(`${topicPath(topic)}?notice=${held ? 'held' : 'answered'}#post-${post.id}`, 303)
      } catch (err) {
        if (!(err instanceof AppError)) throw err
        return topicPage(req, reply, topic, poster, { error: err.message, draft: req.body.body, status: err.status })
      }
    },
  )

  /** Runs a post action for the signed-in poster and goes back to the topic with a notice, or shows the refusal there. */
  const postAction = async (req: FastifyRequest, reply: FastifyReply, postId: number, run: (poster: Poster) => Promise<string>) => {
    const poster = await posterOf(app, req)
    const post = await ctx.db.selectFrom('communityPosts').select(['topicId']).where('id', '=', postId).executeTakeFirst()
    const topic = post ? await findTopicRow(ctx.db, post.topicId) : undefined
    if (!topic) return errorPage(req, reply, poster, 404, 'Post not found', 'This post does not exist or was removed.')
    if (!poster) return requireSignIn(reply, topicPath(topic))
    try {
      const notice = await run(poster)
      return reply.redirect(`${topicPath(topic)}?notice=${notice}#post-${postId}`, 303)
    } catch (err) {
      if (!(err instanceof AppError)) throw err
      return topicPage(req, reply, topic, poster, { error: err.message, status: err.status })
    }
  }

  app.post(
    '/community/posts/:id/vote',
    {
      config: { public: true, rateLimit: ACTION_LIMIT },
      schema: { hide: true, params: IdParams, body: Type.Object({ value: Type.Optional(Type.String({ maxLength: 10 })) }) },
    },
    async (req, reply) =>
      postAction(req, reply, req.params.id, async (poster) => {
        await votePost(ctx, poster, req.params.id, req.body.value === 'down' ? -1 : 1)
        return 'voted'
      }),
  )
  app.post('/community/posts/:id/accept', { config: { public: true, rateLimit: ACTION_LIMIT }, schema: { hide: true, params: IdParams } }, async (req, reply) =>
    postAction(req, reply, req.params.id, async (poster) => {
      await acceptAnswer(ctx, poster, req.params.id)
      return 'accepted'
    }),
  )
  app.post(
    '/community/posts/:id/flag',
    {
      config: { public: true, rateLimit: ACTION_LIMIT },
      schema: { hide: true, params: IdParams, body: Type.Object({ reason: Type.Optional(Type.String({ maxLength: 2000 })) }) },
    },
    async (req, reply) =>
      postAction(req, reply, req.params.id, async (poster) => {
        await flagPost(ctx, poster, req.params.id, req.body.reason ?? '')
        return 'flagged'
      }),
  )
  app.post(
    '/community/t/:id/follow',
    {
      config: { public: true, rateLimit: ACTION_LIMIT },
      schema: { hide: true, params: IdParams, body: Type.Object({ follow: Type.Optional(Type.String({ maxLength: 2 })) }) },
    },
    async (req, reply) => {
      const poster = await posterOf(app, req)
      const topic = await findTopicRow(ctx.db, req.params.id)
      if (!topic) return errorPage(req, reply, poster, 404, 'Topic not found', 'This topic does not exist or was removed.')
      if (!poster) return requireSignIn(reply, topicPath(topic))
      const on = req.body.follow !== '0'
      await setTopicFollow(ctx, poster, topic.id, on)
      return reply.redirect(`${topicPath(topic)}?notice=${on ? 'followed' : 'unfollowed'}`, 303)
    },
  )

  // ---- authors edit and delete their posts ----

  /** The post and its topic for an author's change, or the page that says why not. */
  const ownPost = async (req: FastifyRequest, reply: FastifyReply, postId: number) => {
    const poster = await posterOf(app, req)
    const post = await findPostRow(ctx.db, postId)
    const topic = post ? await findTopicRow(ctx.db, post.topicId) : undefined
    if (!post || !topic || (post.status !== 'visible' && !(poster && isAuthorOf(poster, post)) && !(poster && isModerator(poster)))) {
      await errorPage(req, reply, poster, 404, 'Post not found', 'This post does not exist or was removed.')
      return null
    }
    if (!poster) {
      await requireSignIn(reply, topicPath(topic))
      return null
    }
    const refusal = changeRefusal(poster, post)
    if (refusal) {
      await errorPage(req, reply, poster, 403, 'You cannot change this post', `You cannot change this post: ${refusal}.`)
      return null
    }
    return { poster, post, topic }
  }

  const editForm = (post: PostRow, topic: TopicRow, v: { title: string; body: string; error?: string }) =>
    `<p class="crumbs"><a href="/community">Community</a> › <a href="${e(topicPath(topic))}">${e(topic.title)}</a> › Edit</p><h1>Edit your ${post.kind}</h1>${
      v.error ? `<p role="alert" class="err">${e(v.error)}</p>` : ''
    }${post.status === 'held' ? '<p class="muted">This post waits for a moderator; it stays in the queue after your edit.</p>' : ''}
<form method="post" action="/community/posts/${post.id}/edit">${
      post.kind === 'question'
        ? `<div class="field"><label for="edit-title">Title</label><input id="edit-title" type="text" name="title" required minlength="5" maxlength="200" value="${e(v.title)}"></div>`
        : ''
    }<div class="field"><label for="edit-body">${post.kind === 'question' ? 'Details' : 'Your answer'}</label><textarea id="edit-body" name="body" rows="8" required maxlength="50000">${e(v.body)}</textarea></div>
<button type="submit">Save changes</button> <a href="${e(topicPath(topic))}#post-${post.id}">Cancel</a></form>`

  app.get('/community/posts/:id/edit', { config: { public: true, rateLimit: PAGE_LIMIT }, schema: { hide: true, params: IdParams } }, async (req, reply) => {
    const own = await ownPost(req, reply, req.params.id)
    if (!own) return reply
    const { poster, post, topic } = own
    // Plain-text posts are edited as the text they were written in; HTML ones as their (sanitized) HTML.
    const source = normalizeBody(post.bodyText, 'text').html === post.bodyHtml ? post.bodyText : post.bodyHtml
    return render(req, reply, {
      title: 'Edit post',
      path: topicPath(topic),
      poster,
      noindex: true,
      body: editForm(post, topic, { title: topic.title, body: source }),
    })
  })

  app.post(
    '/community/posts/:id/edit',
    {
      config: { public: true, rateLimit: POST_LIMIT },
      schema: {
        hide: true,
        params: IdParams,
        body: Type.Object({ title: Type.Optional(Type.String({ maxLength: 1000 })), body: Type.Optional(Type.String({ maxLength: 60000 })) }),
      },
    },
    async (req, reply) => {
      const own = await ownPost(req, reply, req.params.id)
      if (!own) return reply
      const { poster, post, topic } = own
      const v = { title: req.body.title ?? '', body: req.body.body ?? '' }
      try {
        const { held } = await editOwnPost(ctx, poster, post.id, { title: post.kind === 'question' ? v.title : undefined, body: v.body })
        const fresh = (await findTopicRow(ctx.db, topic.id)) ?? topic
        return reply.redirect(`${topicPath(fresh)}?notice=${held ? 'held' : 'edited'}#post-${post.id}`, 303)
      } catch (err) {
        if (!(err instanceof AppError)) throw err
        return render(req, reply, {
          title: 'Edit post',
          path: topicPath(topic),
          poster,
          noindex: true,
          status: err.status,
          body: editForm(post, topic, { ...v, error: err.message }),
        })
      }
    },
  )

  app.post(
    '/community/posts/:id/delete',
    { config: { public: true, rateLimit: ACTION_LIMIT }, schema: { hide: true, params: IdParams } },
    async (req, reply) => {
      const own = await ownPost(req, reply, req.params.id)
      if (!own) return reply
      const { poster, post, topic } = own
      try {
        await deleteOwnPost(ctx, poster, post.id)
      } catch (err) {
        if (!(err instanceof AppError)) throw err
        return topicPage(req, reply, topic, poster, { error: err.message, status: err.status })
      }
      // A deleted question takes its topic with it: back to its category.
      return reply.redirect(
        post.kind === 'question' ? `/community/c/${topic.categoryId}?notice=deleted` : `${topicPath(topic)}?notice=deleted#post-${post.id}`,
        303,
      )
    },
  )

  // ---- search ----

  app.get(
    '/community/search',
    {
      config: { public: true, rateLimit: SEARCH_LIMIT },
      schema: { hide: true, querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })) }) },
    },
    async (req, reply) => {
      const poster = await posterOf(app, req)
      const q = (req.query.q ?? '').trim()
      const parts = [`<p class="crumbs"><a href="/community">Community</a> › Search</p><h1>Search the community</h1>`]
      if (!q) parts.push('<p class="muted">Type a few words in the search box above.</p>')
      else {
        const result = await searchPublicTopics(ctx, q)
        if (result.corrected) parts.push(`<p>Showing results for <strong>${e(result.corrected)}</strong> (you searched for “${e(q)}”).</p>`)
        const authors = await authorsOf(ctx.db, result.rows)
        parts.push(
          result.rows.length
            ? `<p class="muted">${plural(result.rows.length, 'topic')} found.</p><ol class="topics">${result.rows
                .map((t) => {
                  const a = authors(t)
                  return `<li><a href="${e(topicPath(t))}">${e(t.title)}</a>${t.acceptedPostId ? '<span class="badge accepted">Answered</span>' : ''}<p>${e(snippetOf(result.textOf(t.id), result.corrected ?? q))}</p><div class="stats">${plural(t.answerCount, 'answer')} · ${plural(t.score, 'vote')}${a ? ` · by ${e(a.name)}` : ''} · active ${fmtDate(t.lastActivityAt)}</div></li>`
                })
                .join('')}</ol>`
            : `<p>No topics match “${e(q)}”. <a href="/community/ask">Ask the community</a>.</p>`,
        )
      }
      return render(req, reply, { title: q ? `Search: ${q}` : 'Search', path: '/community/search', poster, noindex: true, query: q, body: parts.join('') })
    },
  )

  // ---- profiles ----

  app.get('/community/u/:id', { config: { public: true, rateLimit: PAGE_LIMIT }, schema: { hide: true, params: IdParams } }, async (req, reply) => {
    const poster = await posterOf(app, req)
    const profile = await publicProfile(ctx.db, req.params.id)
    if (!profile) return errorPage(req, reply, poster, 404, 'Member not found', 'This member does not exist.')
    const { member, posts } = profile
    const list = posts.length
      ? `<ol class="topics">${posts
          .map(
            (p) =>
              `<li>${p.kind === 'question' ? 'Asked' : 'Answered'} <a href="${e(topicPath({ id: p.topicId, slug: p.slug }))}${p.kind === 'answer' ? `#post-${p.id}` : ''}">${e(p.title)}</a>${
                p.id === p.acceptedPostId ? '<span class="badge accepted">Accepted</span>' : ''
              }<div class="stats">${plural(p.score, 'vote')} · ${fmtDate(p.createdAt)}</div></li>`,
          )
          .join('')}</ol>`
      : '<p class="muted">No public posts yet.</p>'
    const body = `<p class="crumbs"><a href="/community">Community</a> › Members</p><h1>${e(member.displayName)}</h1>
<p><strong>${member.reputation}</strong> reputation · ${plural(member.postCount, 'post')} · member since ${fmtDate(member.createdAt)}${member.bannedAt ? ' · <span class="badge held">Banned</span>' : ''}</p>
<section aria-labelledby="activity"><h2 id="activity">Recent activity</h2>${list}</section>`
    return render(req, reply, { title: member.displayName, path: memberPath(member.id), body, poster })
  })

  // ---- sign-in by magic link ----

  const ReturnQuery = Type.Object({ returnTo: Type.Optional(Type.String({ maxLength: 300 })) })
  const loginForm = (returnTo: string | null, error?: string) =>
    `<h1>Sign in to the community</h1>${error ? `<p role="alert" class="err">${e(error)}</p>` : ''}<p>No password needed: we email you a link that signs you in.</p>
<form method="post" action="/community/login"><input type="hidden" name="returnTo" value="${e(returnTo ?? '')}"><div class="field"><label for="login-email">Email address</label>
<input id="login-email" type="email" name="email" required maxlength="254" autocomplete="email"></div><button type="submit">Email me a sign-in link</button></form>`

  app.get('/community/login', { config: { public: true, rateLimit: PAGE_LIMIT }, schema: { hide: true, querystring: ReturnQuery } }, async (req, reply) => {
    const poster = await posterOf(app, req)
    return render(req, reply, { title: 'Sign in', path: '/community/login', noindex: true, poster, body: loginForm(safeReturnTo(req.query.returnTo)) })
  })

  app.post(
    '/community/login',
    {
      config: { public: true, rateLimit: LOGIN_LIMIT },
      schema: {
        hide: true,
        body: Type.Object({ email: Type.Optional(Type.String({ maxLength: 320 })), returnTo: Type.Optional(Type.String({ maxLength: 300 })) }),
      },
    },
    async (req, reply) => {
      const returnTo = safeReturnTo(req.body.returnTo)
      try {
        await requestLoginLink(ctx, req.body.email ?? '', returnTo)
      } catch (err) {
        if (!(err instanceof AppError)) throw err
        return render(req, reply, {
          title: 'Sign in',
          path: '/community/login',
          noindex: true,
          poster: null,
          status: err.status,
          body: loginForm(returnTo, err.message),
        })
      }
      const body = `<h1>Check your email</h1><p role="status" class="ok">If ${e((req.body.email ?? '').trim())} can receive email, a sign-in link is on its way. It works once and expires in 15 minutes.</p><p><a href="/community">Back to the community</a></p>`
      return render(req, reply, { title: 'Check your email', path: '/community/login', noindex: true, poster: null, body })
    },
  )

  const TokenParams = Type.Object({ token: Type.String({ maxLength: 120 }) })
  // Opening the link shows a button; only pressing it spends the link, so mail scanners that fetch links do not.
  app.get('/community/login/:token', { config: { public: true, rateLimit: LOGIN_LIMIT }, schema: { hide: true, params: TokenParams } }, async (req, reply) => {
    const link = /^cml_[\w-]{20,80}$/.test(req.params.token) ? await peekLoginLink(ctx.db, req.params.token) : null
    if (!link)
      return render(req, reply, {
        title: 'Sign in',
        path: '/community/login',
        noindex: true,
        poster: null,
        status: 400,
        body: loginForm(null, 'This sign-in link is invalid, expired or already used. Ask for a new one below.'),
      })
    const body = `<h1>Sign in to the community</h1><p>Signing in as <strong>${e(link.email)}</strong>.</p><form method="post" action="/community/login/${e(req.params.token)}"><button type="submit">Sign in</button></form>`
    return render(req, reply, { title: 'Sign in', path: '/community/login', noindex: true, poster: null, body })
  })

  app.post('/community/login/:token', { config: { public: true, rateLimit: LOGIN_LIMIT }, schema: { hide: true, params: TokenParams } }, async (req, reply) => {
    try {
      const { sessionSecret, returnTo } = await consumeLoginLink(ctx, req.params.token)
      setMemberCookie(ctx, reply, sessionSecret)
      const to = returnTo ?? '/community'
      return reply.redirect(`${to}${to.includes('?') ? '&' : '?'}notice=signedin`, 303)
    } catch (err) {
      if (!(err instanceof AppError)) throw err
      return render(req, reply, {
        title: 'Sign in',
        path: '/community/login',
        noindex: true,
        poster: null,
        status: err.status,
        body: loginForm(null, err.message),
      })
    }
  })

  app.post('/community/logout', { config: { public: true, rateLimit: ACTION_LIMIT }, schema: { hide: true } }, async (req, reply) => {
    await signOut(ctx.db, req, reply)
    return reply.redirect('/community?notice=signedout', 303)
  })
}
