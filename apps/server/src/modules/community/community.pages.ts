import { AppError } from '../../platform/errors.ts'
import { acceptFormBodies } from '../../platform/form-body.ts'
import type { App } from '../../platform/http.ts'
import { accountPages } from './community.pages.account.ts'
import { crossSiteRefusal, FORM_LIMIT, pageKit } from './community.pages.shared.ts'
import { topicPages } from './community.pages.topics.ts'

export { LOGIN_LIMIT, POST_LIMIT, SEARCH_LIMIT } from './community.pages.shared.ts'

/** Public community at /community: server-rendered pages with plain HTML forms, the help center's layout and theme, no script. */
export async function communityPages(app: App) {
  acceptFormBodies(app, { bodyLimit: FORM_LIMIT })
  // Member-cookie writes must come from our own pages (the staff cookie is checked the same way by the app).
  app.addHook('onRequest', async (req) => {
    if (req.method !== 'POST' || !req.url.startsWith('/community')) return
    if (crossSiteRefusal(req)) throw new AppError('forbidden', 403, 'Cross-site request refused')
  })
  const kit = pageKit(app)
  topicPages(app, kit)
  accountPages(app, kit)
}
