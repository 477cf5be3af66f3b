import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { AppError } from '../../platform/errors.ts'
import { type App, isSamePath } from '../../platform/http.ts'
import { escapeHtml as e, normalizeBody } from '../../platform/sanitize.ts'
import { snippetOf } from '../kb/index.ts'
import { canAcceptAnswer, changeRefusal, deleteConflict, isAuthorOf, isModerator, type Poster, postRefusal } from './community.policy.ts'
import { acceptAnswer, askQuestion, flagPost, isFollowing, postAnswer, setTopicFollow, votePost } from './community.posting.ts'
import { authorsOf, findPostRow, findTopicRow, type PostRow, type TopicRow, topicPagePosts, topicPath } from './community.queries.ts'
import { listCategories, listPublicTopics, searchPublicTopics } from './community.service.ts'
import { deleteOwnPost, editOwnPost } from './community.editing.ts'
import {
  ACTION_LIMIT,
  Id,
  IdParams,
  MAX_ID,
  PAGE_LIMIT,
  POST_LIMIT,
  type PageKit,
  RefParams,
  SEARCH_LIMIT,
  authorLine,
  fmtDate,
  plural,
  posterOf,
  sortTabs,
  topicList,
} from './community.pages.shared.ts'

/** The forum's pages: home, categories, topics, asking, answering, post actions, authors' edits and search. */
export function topicPages(app: App, kit: PageKit) {
  const ctx = app.ctx
  const { render, errorPage, requireSignIn } = kit
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
    opts: { error?: string; draft?: string; status?: number; page?: number } = {},
  ) {
    const moderator = poster ? isModerator(poster) : false
    const author = poster ? isAuthorOf(poster, topic) : false
    if (topic.status === 'hidden' && !moderator) return errorPage(req, reply, poster, 404, 'Topic not found', 'This topic does not exist or was removed.')
    if (topic.status === 'deleted' && !moderator) return errorPage(req, reply, poster, 410, 'Question deleted', 'This question was deleted by its author.')
    if (topic.status === 'held' && !moderator && !author)
      return errorPage(req, reply, poster, 404, 'Topic not found', 'This topic does not exist or was removed.')
    const category = (await listCategories(ctx.db)).find((c) => c.id === topic.categoryId)
    // Public posts for everyone; a held post also for its author (marked as waiting) and for moderators; a deleted
    // answer as a placeholder (its text for moderators only). Answers come a page at a time.
    const page = opts.page ?? 1
    const { posts, answerCount, hasMore } = await topicPagePosts(ctx.db, topic, { moderator, viewer: poster, page })
    const authors = await authorsOf(ctx.db, posts)
    const following = await isFollowing(ctx.db, topic.id, poster)
    const canAccept = poster ? canAcceptAnswer(poster, topic) : false
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
<section aria-labelledby="answers"><h2 id="answers">${plural(topic.answerCount, 'answer')}</h2>${answers.map(postHtml).join('\n')}${
      page > 1 || hasMore
        ? `<nav class="tabs" aria-label="Answer pages">${page > 1 ? `<a href="${e(path)}?page=${page - 1}#answers">Previous answers</a>` : ''}${
            hasMore ? `<a href="${e(path)}?page=${page + 1}#answers">More answers</a>` : ''
          }</nav>`
        : ''
    }</section>
<section aria-labelledby="reply"><h2 id="reply">Answer this question</h2>${answerForm}</section>`
    return render(req, reply, {
      title: topic.title,
      path: page > 1 ? `${path}?page=${page}` : path,
      body,
      poster,
      status: opts.status,
      noindex: topic.status !== 'visible',
    })
  }

  app.get(
    '/community/t/:ref',
    {
      config: { public: true, rateLimit: PAGE_LIMIT },
      schema: { hide: true, params: RefParams, querystring: Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }) },
    },
    async (req, reply) => {
      const poster = await posterOf(app, req)
      const id = Number(/^(\d{1,10})(-|$)/.exec(req.params.ref)?.[1])
      let topic = id && id <= MAX_ID ? await findTopicRow(ctx.db, id) : undefined
      if (!topic) return errorPage(req, reply, poster, 404, 'Topic not found', 'This topic does not exist or was removed.')
      // A merged topic lives on at its target: follow the chain (merges are never circular, but cap the hops anyway).
      for (let hops = 0; topic.mergedIntoId !== null && hops < 10; hops++) {
        const next = await findTopicRow(ctx.db, topic.mergedIntoId)
        if (!next) break
        topic = next
      }
      if (topic.id !== id) return reply.redirect(topicPath(topic), 301)
      const canonical = topicPath(topic)
      if (!isSamePath(req.url, canonical)) return reply.redirect(canonical + (req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : ''), 301)
      return topicPage(req, reply, topic, poster, { page: req.query.page })
    },
  )

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
}
