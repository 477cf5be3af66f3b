import type { Ctx, Executor } from '../../platform/context.ts'
import { escapeHtml } from '../../platform/sanitize.ts'
import { getSettings } from '../settings/settings.service.ts'

export { escapeHtml }

/** How the public help center looks; kept in the settings table under `helpCenter`, edited by admins. */
export interface HelpCenterTheme {
  title: string
  logoUrl: string | null
  primaryColor: string
  accentColor: string
  /** Languages visitors may switch to, first one the default. */
  languages: string[]
}

export const DEFAULT_THEME: HelpCenterTheme = { title: 'Help center', logoUrl: null, primaryColor: '#228be6', accentColor: '#1c7ed6', languages: ['en'] }
export const HELP_CENTER_SETTINGS_KEY = 'helpCenter'

const COLOR = /^#[0-9a-f]{3}([0-9a-f]{3})?$/i
const LANG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/

/** The stored theme merged over the defaults; values that would break out of CSS or a URL are dropped. */
export async function readHelpCenterTheme(db: Executor): Promise<HelpCenterTheme> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', HELP_CENTER_SETTINGS_KEY).executeTakeFirst()
  const stored = row ? (JSON.parse(row.value) as Partial<HelpCenterTheme>) : {}
  const languages = (stored.languages ?? []).filter((l) => LANG.test(l))
  return {
    title: typeof stored.title === 'string' && stored.title.trim() ? stored.title : DEFAULT_THEME.title,
    logoUrl: typeof stored.logoUrl === 'string' && /^(https:\/\/|\/api\/v1\/attachments\/\d+$)/.test(stored.logoUrl) ? stored.logoUrl : null,
    primaryColor: stored.primaryColor && COLOR.test(stored.primaryColor) ? stored.primaryColor : DEFAULT_THEME.primaryColor,
    accentColor: stored.accentColor && COLOR.test(stored.accentColor) ? stored.accentColor : DEFAULT_THEME.accentColor,
    languages: languages.length ? languages : DEFAULT_THEME.languages,
  }
}

export interface HelpCenterPage {
  title: string
  lang: string
  /** Trusted HTML the caller built, every user value escaped or sanitized. */
  body: string
  /** Path of this page (`/help/en/articles/12-reset-password`), for the canonical link. */
  canonicalPath: string
  /** Extra trusted tags for <head> (meta description, alternate links). */
  head?: string
  /** Where the language switcher points for each language (translations of this page); `/help/<lang>` otherwise. */
  alternates?: Record<string, string>
  /** Pre-filled value of the header search box. */
  query?: string
}

export const LANGUAGE_NAMES: Record<string, string> = {
  en: 'English',
  de: 'Deutsch',
  fr: 'Français',
  es: 'Español',
  it: 'Italiano',
  nl: 'Nederlands',
  pt: 'Português',
  pl: 'Polski',
  sv: 'Svenska',
  da: 'Dansk',
  fi: 'Suomi',
  nb: 'Norsk',
  ja: '日本語',
  zh: '中文',
  ko: '한국어',
}
export const languageName = (lang: string) => LANGUAGE_NAMES[lang.toLowerCase()] ?? lang

const STYLE = (t: HelpCenterTheme) => `:root{--hc-primary:${t.primaryColor};--hc-accent:${t.accentColor}}
*{box-sizing:border-box}body{font-family:system-ui,-apple-system,sans-serif;margin:0;color:#1a1b1e;line-height:1.6;background:#fff}
a{color:var(--hc-accent)}a:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible,select:focus-visible{outline:3px solid #74c0fc;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:8px;z-index:2}
header.hc{background:var(--hc-primary);color:#fff;padding:12px 0}header.hc a{color:#fff}
.wrap{max-width:960px;margin:0 auto;padding:0 16px}
.bar{display:flex;flex-wrap:wrap;align-items:center;gap:12px 20px}.brand{display:flex;align-items:center;gap:10px;font-weight:700;font-size:1.15rem;text-decoration:none}
.brand img{max-height:36px;max-width:160px}.bar nav{display:flex;gap:16px;margin-left:auto;flex-wrap:wrap}
form.search{display:flex;gap:8px;margin:14px 0 4px}form.search input{flex:1;padding:10px 12px;border-radius:6px;border:1px solid #ced4da;font:inherit;min-width:0}
button,.button{padding:9px 16px;border:0;border-radius:6px;background:var(--hc-accent);color:#fff;font:inherit;cursor:pointer;text-decoration:none;display:inline-block}
header.hc form.search button{background:#fff;color:var(--hc-primary)}
main{padding:24px 0 40px;min-height:50vh}.muted{color:#868e96}.crumbs{font-size:.9rem;color:#868e96}.crumbs a{color:inherit}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:16px;padding:0;list-style:none}.cards li{border:1px solid #dee2e6;border-radius:8px;padding:14px 16px}
ul.list{padding-left:20px}article img{max-width:100%;height:auto}article pre{background:#f1f3f5;padding:12px;overflow:auto;border-radius:6px}
article table{border-collapse:collapse}article td,article th{border:1px solid #dee2e6;padding:4px 8px}
.ok{background:#ebfbee;padding:10px 12px;border-radius:6px}.err{background:#fff5f5;color:#c92a2a;padding:10px 12px;border-radius:6px}
.vote{border-top:1px solid #dee2e6;margin-top:32px;padding-top:16px}.vote textarea{width:100%;padding:8px;border:1px solid #ced4da;border-radius:6px;font:inherit}
.vote fieldset{border:0;padding:0;margin:0}.vote label{margin-right:16px}mark{background:#fff3bf}
footer.hc{border-top:1px solid #dee2e6;padding:16px 0;font-size:.9rem;color:#868e96}footer.hc ul{list-style:none;display:flex;flex-wrap:wrap;gap:4px 14px;padding:0;margin:6px 0}
@media (prefers-color-scheme:dark){body{background:#1a1b1e;color:#e9ecef}.cards li{border-color:#373a40}article pre{background:#25262b}
form.search input,.vote textarea{background:#25262b;color:#e9ecef;border-color:#373a40}}`

/**
 * The whole HTML document of a public help-center page: workspace branding, a search box that works without
 * JavaScript, the "Guided help" link, a language switcher and a footer. Pages carry no script at all (the routes
 * send a CSP forbidding it), so callers put only escaped or sanitized HTML in `body`.
 */
export async function renderHelpCenterPage(ctx: Ctx, page: HelpCenterPage): Promise<string> {
  const [theme, settings] = await Promise.all([readHelpCenterTheme(ctx.db), getSettings(ctx.db)])
  const e = escapeHtml
  const lang = LANG.test(page.lang) ? page.lang : theme.languages[0]!
  const home = `/help/${encodeURIComponent(lang)}`
  const languages = [...new Set([...theme.languages, ...Object.keys(page.alternates ?? {})])].filter((l) => LANG.test(l))
  const switcher =
    languages.length > 1
      ? `<ul aria-label="Language">${languages
          .map((l) => {
            const href = page.alternates?.[l] ?? `/help/${encodeURIComponent(l)}`
            return l === lang
              ? `<li><strong aria-current="true" lang="${e(l)}">${e(languageName(l))}</strong></li>`
              : `<li><a href="${e(href)}" hreflang="${e(l)}" lang="${e(l)}">${e(languageName(l))}</a></li>`
          })
          .join('')}</ul>`
      : ''
  const base = ctx.config.publicUrl ? ctx.config.publicUrl.replace(/\/$/, '') : ''
  const logo = theme.logoUrl ? `<img src="${e(theme.logoUrl)}" alt="">` : ''
  return `<!doctype html><html lang="${e(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(page.title)} · ${e(theme.title)} · ${e(settings.workspaceName)}</title>
<link rel="canonical" href="${e(base + page.canonicalPath)}">
${page.head ?? ''}<style>${STYLE(theme)}</style></head>
<body><a class="skip" href="#main">Skip to content</a>
<header class="hc"><div class="wrap"><div class="bar"><a class="brand" href="${e(home)}">${logo}<span>${e(settings.workspaceName)} · ${e(theme.title)}</span></a>
<nav aria-label="Help center"><a href="${e(home)}">Articles</a><a href="/help/trees">Guided help</a></nav></div>
<form class="search" role="search" method="get" action="/help/search"><input type="hidden" name="lang" value="${e(lang)}">
<label class="skip" for="hc-q">Search the help center</label><input id="hc-q" type="search" name="q" maxlength="200" placeholder="Search articles…" value="${e(page.query ?? '')}">
<button type="submit">Search</button></form></div></header>
<main id="main"><div class="wrap">${page.body}</div></main>
<footer class="hc"><div class="wrap">${switcher}<p>© ${e(settings.workspaceName)} · <a href="${e(home)}">${e(theme.title)}</a></p></div></footer>
</body></html>`
}
