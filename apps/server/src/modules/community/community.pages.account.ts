import { Type } from 'typebox'
import { AppError } from '../../platform/errors.ts'
import type { App } from '../../platform/http.ts'
import { escapeHtml as e } from '../../platform/sanitize.ts'
import { consumeLoginLink, peekLoginLink, renameMember, requestLoginLink, safeReturnTo, setMemberCookie, signOut } from './community.identity.ts'
import { memberPath, topicPath } from './community.queries.ts'
import { publicProfile } from './community.service.ts'
import { ACTION_LIMIT, IdParams, LOGIN_LIMIT, PAGE_LIMIT, type PageKit, fmtDate, plural, posterOf } from './community.pages.shared.ts'

/** Member profiles (and their public name), sign-in by magic link and sign-out. */
export function accountPages(app: App, kit: PageKit) {
  const ctx = app.ctx
  const { render, errorPage, requireSignIn } = kit
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
    const own = poster?.kind === 'member' && poster.member.id === member.id
    const rename = own
      ? `<form method="post" action="/community/profile/name" class="field"><label for="profile-name">Your public name</label> <span class="muted">(shown on your posts; never your email address)</span><input id="profile-name" type="text" name="displayName" required minlength="2" maxlength="40" value="${e(member.displayName)}"><button type="submit">Save name</button></form>`
      : ''
    const body = `<p class="crumbs"><a href="/community">Community</a> › Members</p><h1>${e(member.displayName)}</h1>${rename}
<p><strong>${member.reputation}</strong> reputation · ${plural(member.postCount, 'post')} · member since ${fmtDate(member.createdAt)}${member.bannedAt ? ' · <span class="badge held">Banned</span>' : ''}</p>
<section aria-labelledby="activity"><h2 id="activity">Recent activity</h2>${list}</section>`
    return render(req, reply, { title: member.displayName, path: memberPath(member.id), body, poster })
  })

  app.post(
    '/community/profile/name',
    {
      config: { public: true, rateLimit: ACTION_LIMIT },
      schema: { hide: true, body: Type.Object({ displayName: Type.Optional(Type.String({ maxLength: 200 })) }) },
    },
    async (req, reply) => {
      const poster = await posterOf(app, req)
      if (poster?.kind !== 'member') return requireSignIn(reply, '/community')
      try {
        await renameMember(ctx.db, poster.member.id, req.body.displayName ?? '')
      } catch (err) {
        if (!(err instanceof AppError)) throw err
        return errorPage(req, reply, poster, err.status, 'Your public name', err.message)
      }
      return reply.redirect(`${memberPath(poster.member.id)}?notice=renamed`, 303)
    },
  )

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
