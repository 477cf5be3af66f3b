/** Shared parts of the public community pages: limits, the page frame, who is posting, the cross-site rule. */
import type { CommunityAuthorDto } from '@allhands/contract'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { Executor } from '../../platform/context.ts'
import type { App } from '../../platform/http.ts'
import { currentSessionIdOf } from '../auth/request-session.ts'
import { escapeHtml as e } from '../../platform/sanitize.ts'
import { readHelpCenterTheme, renderHelpCenterPage, sendPage } from '../kb/index.ts'
import { memberOfRequest } from './community.identity.ts'
import { canModerateCommunity, type Poster } from './community.policy.ts'
import { type authorsOf, memberPath, type TopicRow, topicPath } from './community.queries.ts'

export const FORM_LIMIT = 64 * 1024
export const PAGE_LIMIT = { max: 240, timeWindow: '1 minute' }
/** Sign-in links per client address (each address also gets at most three links per quarter hour). */
export const LOGIN_LIMIT = { max: 5, timeWindow: '1 minute' }
/** Questions and answers per client address (each member also has the hourly posting rule). */
export const POST_LIMIT = { max: 20, timeWindow: '1 minute' }
export const ACTION_LIMIT = { max: 60, timeWindow: '1 minute' }
/** Searches per client address (each runs full-text queries, and a typo a few more). */
export const SEARCH_LIMIT = { max: 60, timeWindow: '1 minute' }

/** Ids are 32-bit integers on PostgreSQL: anything larger is a 404, never a query. */
export const MAX_ID = 2147483647
export const Id = Type.Integer({ minimum: 1, maximum: MAX_ID })
export const IdParams = Type.Object({ id: Id })
export const RefParams = Type.Object({ ref: Type.String({ maxLength: 200 }) })

export const NOTICES: Record<string, string> = {
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
  renamed: 'Your public name is saved.',
}

export const STYLE = `<style>
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

/**
 * Who is writing: a member of the support team signed in to the app (staff badge), else the member of the community
 * cookie, else nobody. Other app users (contributors) are not staff here, and a session that must still turn on the
 * 2FA its role requires is not staff either: the app's cookie alone never makes anyone a member.
 */
export async function posterOf(app: App, req: FastifyRequest): Promise<Poster | null> {
  if (req.actor && req.authMethod === 'session' && canModerateCommunity(req.actor) && !(await isEnrolmentOnlySession(app.ctx.db, req)))
    return { kind: 'staff', actor: req.actor }
  const member = await memberOfRequest(app.ctx.db, req)
  return member ? { kind: 'member', member } : null
}

/** Whether the request's app session may only enrol in two-factor authentication (the sessions table says so). */
async function isEnrolmentOnlySession(db: Executor, req: FastifyRequest): Promise<boolean> {
  const id = currentSessionIdOf(req)
  if (!id) return true
  const row = await db.selectFrom('sessions').select('enrolmentOnly').where('id', '=', id).executeTakeFirst()
  return !row || row.enrolmentOnly === 1
}

/**
 * Writes to /community must come from our own pages. The rule: an Origin header must be a well-formed URL of this host
 * (`null` and malformed ones are refused); without Origin, a Sec-Fetch-Site header must say `same-origin`; a request
 * with neither header (not a browser) passes only when it carries no cookie, so it acts as nobody.
 */
export function crossSiteRefusal(req: FastifyRequest): string | null {
  const origin = req.headers.origin
  const host = req.headers['x-forwarded-host'] ?? req.headers.host
  if (origin !== undefined) {
    let originHost: string
    try {
      originHost = new URL(origin).host
    } catch {
      return 'malformed Origin'
    }
    return origin !== 'null' && originHost && originHost === host ? null : 'foreign Origin'
  }
  const site = req.headers['sec-fetch-site']
  if (site !== undefined) return site === 'same-origin' ? null : 'cross-site Sec-Fetch-Site'
  return req.headers.cookie ? 'no Origin with cookies' : null
}

export const fmtDate = (ms: number | string) => new Date(Number(ms)).toISOString().slice(0, 10)
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

export function accountBar(poster: Poster | null, here: string) {
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
export const searchBox = (q: string) =>
  `<form class="search" method="get" action="/community/search" role="search"><input id="community-q" aria-label="Search the community" type="search" name="q" maxlength="200" placeholder="Search the community" value="${e(q)}"><button type="submit">Search community</button></form>`

export function authorLine(a: CommunityAuthorDto | null, at: number | string, editedAt: number | string | null = null) {
  const edited =
    editedAt === null ? '' : ` · <span class="edited">edited <time datetime="${new Date(Number(editedAt)).toISOString()}">${fmtDate(editedAt)}</time></span>`
  const who = !a
    ? '<span>Former member</span>'
    : a.kind === 'staff'
      ? `<strong>${e(a.name)}</strong><span class="badge staff" title="Works at the company">Staff</span>`
      : `<a href="${memberPath(a.id)}">${e(a.name)}</a> <span class="muted" title="Reputation">(${a.reputation ?? 0})</span>`
  return `<p class="byline">${who} · <time datetime="${new Date(Number(at)).toISOString()}">${fmtDate(at)}</time>${edited}</p>`
}

export function topicList(topics: TopicRow[], authors: Awaited<ReturnType<typeof authorsOf>>, empty: string) {
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

export function sortTabs(base: string, sort: string) {
  const tabs = [
    ['latest', 'Latest'],
    ['unanswered', 'Unanswered'],
    ['top', 'Top'],
  ]
  return `<nav class="tabs" aria-label="Sort topics">${tabs
    .map(([key, label]) => (key === sort ? `<a aria-current="page" href="${base}?sort=${key}">${label}</a>` : `<a href="${base}?sort=${key}">${label}</a>`))
    .join('')}</nav>`
}

/** What every community page handler shares: the page frame (render), error pages and the sign-in redirect. */
export function pageKit(app: App) {
  const ctx = app.ctx
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
    // The help center's caching for requests without cookies (nobody signed in: the same page for everyone).
    const cache = !req.headers.cookie && !p.noindex && (p.status ?? 200) === 200
    return sendPage(req, reply, html, { status: p.status, cache, vary: 'Cookie' })
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

  return { render, errorPage, requireSignIn, poster: (req: FastifyRequest) => posterOf(app, req) }
}
export type PageKit = ReturnType<typeof pageKit>
