import type { DecisionTreeAnswerInput, DecisionTreeStepDto, PublicDecisionTreeRunDto } from '@allhands/contract'
import type { FastifyReply } from 'fastify'
import { Type } from 'typebox'
import type { Ctx } from '../../platform/context.ts'
import { AppError } from '../../platform/errors.ts'
import { acceptFormBodies } from '../../platform/form-body.ts'
import type { App } from '../../platform/http.ts'
import { escapeHtml } from '../../platform/sanitize.ts'
import { renderHelpCenterPage } from '../kb/help-center.layout.ts'
import { answerPublicRun, getPublicRunState, listPublicTrees, startPublicRun } from './decision-tree-runs.service.ts'
import { PUBLIC_ANSWER_LIMIT, PUBLIC_START_LIMIT } from './decision-trees.routes.ts'

const e = escapeHtml
const FORM_LIMIT = 32 * 1024
/** Scripts only from our own origin (the runner), never inline; forms post only to us. */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' https: data:; form-action 'self'; base-uri 'none'; frame-ancestors 'self'"
const PAGE_LIMIT = { max: 120, timeWindow: '1 minute' }

/**
 * Progressive enhancement for the server-driven runner: every step is a plain HTML form that works without it.
 * With it, the step heading takes focus (screen readers announce the new step) and a double click sends once.
 */
export const RUNNER_JS = `(function(){var f=document.querySelector('form.dt-step');var h=document.getElementById('dt-title');
if(h&&!document.querySelector('[autofocus]')){h.setAttribute('tabindex','-1');h.focus()}
if(f){var sent=false;f.addEventListener('submit',function(ev){if(sent){ev.preventDefault();return}sent=true;f.setAttribute('aria-busy','true');
var s=document.getElementById('dt-status');if(s)s.textContent='Working…'})}})();`

const STYLE = `<style>.dt-choices{display:flex;flex-direction:column;gap:10px;max-width:480px;margin:16px 0}.dt-choices button{text-align:left}
.dt-field{display:block;margin:12px 0}.dt-field span{display:block;font-weight:600;margin-bottom:4px}.dt-field input,.dt-field textarea{width:100%;max-width:480px;padding:8px;border:1px solid #ced4da;border-radius:6px;font:inherit}
.dt-secondary{background:#e9ecef;color:#1a1b1e}#dt-title:focus{outline:none}.dt-path{font-size:.9rem;color:#868e96}</style>`

async function page(ctx: Ctx, reply: FastifyReply, title: string, body: string, canonicalPath: string, status = 200) {
  const html = await renderHelpCenterPage(ctx, { title, lang: 'en', body, canonicalPath, head: `${STYLE}<script src="/help/trees/runner.js" defer></script>` })
  return reply.code(status).type('text/html').header('content-security-policy', CSP).header('cache-control', 'no-store').send(html)
}

function stepForm(slug: string, run: PublicDecisionTreeRunDto, step: DecisionTreeStepDto, error?: string): string {
  const action = `/help/trees/${encodeURIComponent(slug)}/run/${encodeURIComponent(run.token)}`
  const alert = error ? `<p class="err" role="alert">${e(error)}</p>` : ''
  const fields: string[] = []
  if (step.type === 'question') {
    fields.push(
      `<div class="dt-choices" role="group" aria-labelledby="dt-title">${step.choices.map((c) => `<button type="submit" name="choice" value="${c.index}">${e(c.label)}</button>`).join('')}</div>`,
    )
  } else if (step.type === 'info') {
    fields.push('<p><button type="submit" name="continue" value="1">Continue</button></p>')
  } else if (step.type === 'input' && step.input) {
    const type = step.input.kind === 'email' ? 'email' : 'text'
    fields.push(
      `<label class="dt-field"><span>Your answer</span><input name="value" type="${type}" required maxlength="2000" autofocus${type === 'email' ? ' autocomplete="email"' : ''}></label><p><button type="submit">Continue</button></p>`,
    )
  } else {
    if (step.action?.kind === 'link_article' && step.action.articleUrl)
      fields.push(`<p><a href="${e(step.action.articleUrl)}" target="_blank" rel="noopener">${e(step.action.articleTitle || 'Read the article')}</a></p>`)
    const contact = step.needsEmail
      ? `<fieldset><legend>If you still need help, we will answer by email</legend>
<label class="dt-field"><span>Email</span><input name="email" type="email" maxlength="320" autocomplete="email"></label>
<label class="dt-field"><span>Name (optional)</span><input name="name" maxlength="200" autocomplete="name"></label>
<label class="dt-field"><span>Anything else we should know? (optional)</span><textarea name="value" rows="3" maxlength="2000"></textarea></label></fieldset>`
      : `<label class="dt-field"><span>Anything else we should know? (optional)</span><textarea name="value" rows="3" maxlength="2000"></textarea></label>`
    if (step.action?.kind === 'resolved') fields.push('<p><button type="submit" name="resolved" value="yes">Done</button></p>')
    else if (step.action?.kind === 'open_ticket') fields.push(`${contact}<p><button type="submit" name="resolved" value="no">Contact support</button></p>`)
    else
      fields.push(
        `<p><button type="submit" name="resolved" value="yes">This solved my problem</button></p>${contact}<p><button type="submit" class="dt-secondary" name="resolved" value="no">I still need help</button></p>`,
      )
  }
  return `<p class="crumbs"><a href="/help/trees">Guided help</a> › ${e(run.treeName)}</p>
<h1 id="dt-title">${e(step.title)}</h1>${alert}
<form class="dt-step" method="post" action="${e(action)}"><div class="dt-text">${step.html}</div>${fields.join('')}<p id="dt-status" role="status" class="muted"></p></form>`
}

function endedBody(run: PublicDecisionTreeRunDto, slug: string): string {
  const again = `<p><a href="/help/trees/${encodeURIComponent(slug)}">Start again</a> · <a href="/help/trees">Other guided help</a></p>`
  if (run.outcome === 'ticket' && run.ticketId)
    return `<h1 id="dt-title">We're on it</h1><p class="ok" role="status">We opened request <strong>#${run.ticketId}</strong> with your answers, so you won't have to repeat them. We will reply by email.</p>${again}`
  if (run.outcome === 'ticket')
    return `<h1 id="dt-title">Please contact us</h1><p role="status">This guide cannot continue. <a href="/form">Send us a message</a> and we will help.</p>${again}`
  return `<h1 id="dt-title">Glad that helped</h1><p class="ok" role="status">Thanks for letting us know.</p>${again}`
}

/** A browser form post as an answer: buttons and fields carry plain strings. */
function answerFromForm(body: Record<string, string>): DecisionTreeAnswerInput {
  const input: DecisionTreeAnswerInput = {}
  if (body.choice !== undefined && /^\d{1,3}$/.test(body.choice)) input.choice = Number(body.choice)
  if (body.value !== undefined) input.value = body.value.slice(0, 2000)
  if (body.resolved === 'yes' || body.resolved === 'no') input.resolved = body.resolved === 'yes'
  if (body.email) input.email = body.email.slice(0, 320)
  if (body.name) input.name = body.name.slice(0, 200)
  return input
}

/** Public pages of guided help: `/help/trees` (the list) and the server-driven runner, readable without JavaScript. */
export async function decisionTreePages(app: App) {
  const ctx = app.ctx
  acceptFormBodies(app, { bodyLimit: FORM_LIMIT })
  const FormBody = Type.Record(Type.String(), Type.String())
  const SlugParams = Type.Object({ slug: Type.String({ maxLength: 80 }) })
  const RunParams = Type.Object({ slug: Type.String({ maxLength: 80 }), token: Type.String({ maxLength: 100 }) })

  const problem = async (reply: FastifyReply, err: unknown) => {
    if (!(err instanceof AppError)) throw err
    const heading = err.status === 404 ? 'Not found' : err.status === 429 ? 'Too many requests' : 'Something is not right'
    return page(
      ctx,
      reply,
      heading,
      `<h1 id="dt-title">${e(heading)}</h1><p class="err">${e(err.message)}</p><p><a href="/help/trees">Guided help</a></p>`,
      '/help/trees',
      err.status,
    )
  }

  app.get('/help/trees/runner.js', { config: { public: true }, schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(RUNNER_JS),
  )
  app.get('/help/trees', { config: { public: true, rateLimit: PAGE_LIMIT }, schema: { hide: true } }, async (_req, reply) => {
    const { items } = await listPublicTrees(ctx)
    const list = items.length
      ? `<ul class="cards">${items.map((t) => `<li><a href="/help/trees/${encodeURIComponent(t.slug)}"><strong>${e(t.name)}</strong></a>${t.description ? `<p class="muted">${e(t.description)}</p>` : ''}</li>`).join('')}</ul>`
      : '<p class="muted">No guided help is available yet. <a href="/help">Browse the articles</a> or <a href="/form">contact us</a>.</p>'
    return page(
      ctx,
      reply,
      'Guided help',
      `<h1 id="dt-title">Guided help</h1><p>Answer a few questions and we will point you to the fix, or to the right person.</p>${list}`,
      '/help/trees',
    )
  })
  app.get('/help/trees/:slug', { config: { public: true, rateLimit: PAGE_LIMIT }, schema: { hide: true, params: SlugParams } }, async (req, reply) => {
    const tree = (await listPublicTrees(ctx)).items.find((t) => t.slug === req.params.slug)
    if (!tree) return problem(reply, new AppError('not_found', 404, 'This guided help does not exist or is not published'))
    const path = `/help/trees/${encodeURIComponent(tree.slug)}`
    return page(
      ctx,
      reply,
      tree.name,
      `<p class="crumbs"><a href="/help/trees">Guided help</a></p><h1 id="dt-title">${e(tree.name)}</h1>${tree.description ? `<p>${e(tree.description)}</p>` : ''}
<form class="dt-step" method="post" action="${e(path)}/start"><button type="submit">Start</button><p id="dt-status" role="status" class="muted"></p></form>`,
      path,
    )
  })
  app.post(
    '/help/trees/:slug/start',
    { config: { public: true, rateLimit: PUBLIC_START_LIMIT }, schema: { hide: true, params: SlugParams } },
    async (req, reply) => {
      try {
        const run = await startPublicRun(ctx, req.params.slug, req.ip)
        return reply.redirect(`/help/trees/${encodeURIComponent(req.params.slug)}/run/${encodeURIComponent(run.token)}`, 303)
      } catch (err) {
        return problem(reply, err)
      }
    },
  )
  const showRun = async (reply: FastifyReply, slug: string, run: PublicDecisionTreeRunDto, error?: string, status = 200) => {
    const canonical = `/help/trees/${encodeURIComponent(slug)}`
    if (!run.step) return page(ctx, reply, run.treeName, endedBody(run, slug), canonical, status)
    return page(ctx, reply, `${run.step.title} · ${run.treeName}`, stepForm(slug, run, run.step, error), canonical, status)
  }
  app.get(
    '/help/trees/:slug/run/:token',
    { config: { public: true, rateLimit: PAGE_LIMIT }, schema: { hide: true, params: RunParams } },
    async (req, reply) => {
      try {
        return showRun(reply, req.params.slug, await getPublicRunState(ctx, req.params.token))
      } catch (err) {
        return problem(reply, err)
      }
    },
  )
  app.post(
    '/help/trees/:slug/run/:token',
    { config: { public: true, rateLimit: PUBLIC_ANSWER_LIMIT }, schema: { hide: true, params: RunParams, body: FormBody } },
    async (req, reply) => {
      const { slug, token } = req.params
      try {
        await answerPublicRun(ctx, token, answerFromForm(req.body))
        return reply.redirect(`/help/trees/${encodeURIComponent(slug)}/run/${encodeURIComponent(token)}`, 303)
      } catch (err) {
        // Sent twice (a double click, the back button): show where the run is now.
        if (err instanceof AppError && err.status === 409)
          return reply.redirect(`/help/trees/${encodeURIComponent(slug)}/run/${encodeURIComponent(token)}`, 303)
        if (!(err instanceof AppError) || err.status === 404) return problem(reply, err)
        // The step again, with what to fix: nothing the customer answered before is lost.
        return showRun(reply, slug, await getPublicRunState(ctx, token), err.message, err.status)
      }
    },
  )
}
