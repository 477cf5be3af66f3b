import { Outlet, createRootRoute, createRoute, createRouter, lazyRouteComponent, redirect } from '@tanstack/react-router'
import type { MeDto } from '@allhands/contract'
import { ApiError, api } from './lib/api.ts'
import { keys, queryClient } from './lib/queries.ts'
import { InvitePage } from './features/auth/InvitePage.tsx'
import { LoginPage } from './features/auth/LoginPage.tsx'
import { SetupPage } from './features/auth/SetupPage.tsx'
import { HomePage } from './features/home/HomePage.tsx'
import { InboxPage } from './features/inbox/InboxPage.tsx'
import { AppLayout } from './features/layout/AppLayout.tsx'
import { NotFound } from './features/layout/NotFound.tsx'
// issue 10 security imports
// issue 10 automations imports
// issue 10 sla imports
// issue 10 notifications imports
// issue 10 import imports
// issue 10 export imports
// issue 10 sso imports
// issue 9 kb imports
// issue 9 decision-trees imports
// issue 9 community imports
import { securityApi, securityKeys } from './features/security/security.api.ts'

const rootRoute = createRootRoute({ component: Outlet, notFoundComponent: NotFound })

const setupStatus = () => queryClient.fetchQuery({ queryKey: keys.setup, queryFn: api.setupStatus, staleTime: Number.POSITIVE_INFINITY })
const requireSetupDone = async () => {
  if ((await setupStatus()).needsSetup) throw redirect({ to: '/setup', replace: true })
}

const setupRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/setup',
  component: SetupPage,
  beforeLoad: async () => {
    if (!(await setupStatus()).needsSetup) throw redirect({ to: '/login', replace: true })
  },
})
const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  component: LoginPage,
  beforeLoad: requireSetupDone,
  validateSearch: (s: Record<string, unknown>): { next?: string } => (typeof s.next === 'string' && s.next.startsWith('/') ? { next: s.next } : {}),
})
const inviteRoute = createRoute({ getParentRoute: () => rootRoute, path: '/invite/$token', component: InvitePage })
// issue 10 security routes
const twoFactorSetupRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/two-factor/setup',
  component: lazyRouteComponent(() => import('./features/security/EnrolmentRequiredPage.tsx'), 'EnrolmentRequiredPage'),
  beforeLoad: async ({ location }) => {
    try {
      await queryClient.fetchQuery({ queryKey: keys.me, queryFn: api.me, staleTime: 60_000 })
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) throw redirect({ to: '/login', search: { next: location.href }, replace: true })
      throw err
    }
  },
})

// Guards every signed-in page: first-run setup, then a valid session.
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  component: AppLayout,
  beforeLoad: async ({ location }) => {
    await requireSetupDone()
    try {
      await queryClient.fetchQuery({ queryKey: keys.me, queryFn: api.me, staleTime: 60_000 })
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) throw redirect({ to: '/login', search: { next: location.href }, replace: true })
      throw err
    }
    // issue 10 security: a session that must turn on 2FA first reaches only the enrolment screen
    const twoFactor = await queryClient.fetchQuery({ queryKey: securityKeys.status, queryFn: securityApi.status, staleTime: 60_000 })
    if (twoFactor.enrolmentRequired) throw redirect({ to: '/two-factor/setup', replace: true })
  },
})
// Contributors start on their home page (shift, queue, reviews); support staff in the inbox.
const indexRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/',
  beforeLoad: () => {
    const me = queryClient.getQueryData<MeDto>(keys.me)
    if (me?.user.role === 'contributor') throw redirect({ to: '/home' })
    throw redirect({ to: '/views/$viewId', params: { viewId: 'all_open' } })
  },
})
const homeRoute = createRoute({ getParentRoute: () => appRoute, path: '/home', component: HomePage })
const viewRoute = createRoute({ getParentRoute: () => appRoute, path: '/views/$viewId', component: InboxPage })
const ticketRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/tickets/$ticketId',
  component: lazyRouteComponent(() => import('./features/tickets/TicketPage.tsx'), 'TicketPage'),
})
const contactsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/contacts',
  component: lazyRouteComponent(() => import('./features/contacts/ContactsPage.tsx'), 'ContactsPage'),
})
const contactRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/contacts/$contactId',
  component: lazyRouteComponent(() => import('./features/contacts/ContactPage.tsx'), 'ContactPage'),
})
const organizationsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/organizations',
  component: lazyRouteComponent(() => import('./features/contacts/OrganizationsPage.tsx'), 'OrganizationsPage'),
})
const organizationRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/organizations/$organizationId',
  component: lazyRouteComponent(() => import('./features/contacts/OrganizationPage.tsx'), 'OrganizationPage'),
})
const searchRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/search',
  validateSearch: (s: Record<string, unknown>): { q: string } => ({ q: typeof s.q === 'string' ? s.q : '' }),
  component: lazyRouteComponent(() => import('./features/search/SearchPage.tsx'), 'SearchPage'),
})
const settingsIndexRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings',
  beforeLoad: () => {
    throw redirect({ to: '/settings/$section', params: { section: 'workspace' } })
  },
})
const settingsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings/$section',
  component: lazyRouteComponent(() => import('./features/admin/SettingsPage.tsx'), 'SettingsPage'),
})

// issue 6 surveys routes
const surveysRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/surveys',
  validateSearch: (s: Record<string, unknown>): { tab?: string; survey?: string } => ({
    ...(typeof s.tab === 'string' ? { tab: s.tab } : {}),
    ...(typeof s.survey === 'string' || typeof s.survey === 'number' ? { survey: String(s.survey) } : {}),
  }),
  component: lazyRouteComponent(() => import('./features/surveys/SurveysPage.tsx'), 'SurveysPage'),
})
// issue 6 reports routes
// Search params stay loose strings here; the page parses and validates them (features/reports/reports.search.ts).
const reportsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/reports',
  validateSearch: (s: Record<string, unknown>): Record<string, string | undefined> =>
    Object.fromEntries(Object.entries(s).filter((e): e is [string, string] => typeof e[1] === 'string')),
  component: lazyRouteComponent(() => import('./features/reports/ReportsPage.tsx'), 'ReportsPage'),
})
// issue 6 voc routes
const vocRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/voc',
  component: lazyRouteComponent(() => import('./features/voc/VocBoardPage.tsx'), 'VocBoardPage'),
})
const vocItemRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/voc/$itemId',
  component: lazyRouteComponent(() => import('./features/voc/VocItemPage.tsx'), 'VocItemPage'),
})
// issue 5 routes
const rotationsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/rotations',
  component: lazyRouteComponent(() => import('./features/rotations/RotationsPage.tsx'), 'RotationsPage'),
})
const queueRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/queue',
  component: lazyRouteComponent(() => import('./features/queue/QueuePage.tsx'), 'QueuePage'),
})
const trainingRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/training',
  validateSearch: (s: Record<string, unknown>): { tab?: 'catalogue' | 'progress' | 'grading' | 'dashboards' } =>
    s.tab === 'progress' || s.tab === 'grading' || s.tab === 'dashboards' || s.tab === 'catalogue' ? { tab: s.tab } : {},
  component: lazyRouteComponent(() => import('./features/courses/TrainingPage.tsx'), 'TrainingPage'),
})
const courseRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/training/courses/$courseId',
  component: lazyRouteComponent(() => import('./features/courses/CoursePlayer.tsx'), 'CoursePlayer'),
})
const courseEditRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/training/courses/$courseId/edit',
  component: lazyRouteComponent(() => import('./features/courses/CourseEditor.tsx'), 'CourseEditor'),
})
const reviewsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/reviews',
  component: lazyRouteComponent(() => import('./features/reviews/ReviewsPage.tsx'), 'ReviewsPage'),
})
const rideAlongRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/ride-along',
  component: lazyRouteComponent(() => import('./features/ride-along/RideAlongPage.tsx'), 'RideAlongPage'),
})
const rideAlongLiveRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/ride-along/$rideAlongId',
  component: lazyRouteComponent(() => import('./features/ride-along/RideAlongLivePage.tsx'), 'RideAlongLivePage'),
})
const monitoringRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/monitoring',
  component: lazyRouteComponent(() => import('./features/monitoring/MonitoringPage.tsx'), 'MonitoringPage'),
})
const consultsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/consults',
  component: lazyRouteComponent(() => import('./features/consults/ConsultsPage.tsx'), 'ConsultsPage'),
})
const consultRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/consults/$consultId',
  component: lazyRouteComponent(() => import('./features/consults/ConsultPage.tsx'), 'ConsultPage'),
})
// issue 10 macros routes
// issue 10 automations routes
// issue 10 sla routes
const breachesNextRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/breaches-next',
  validateSearch: (s: Record<string, unknown>): { view?: string } => (typeof s.view === 'string' ? { view: s.view } : {}),
  component: lazyRouteComponent(() => import('./features/sla/BreachesNextPage.tsx'), 'BreachesNextPage'),
})
// issue 10 notifications routes
const notificationsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/notifications',
  component: lazyRouteComponent(() => import('./features/notifications/NotificationsPage.tsx'), 'NotificationsPage'),
})
// issue 10 import routes
// issue 10 export routes
// issue 10 sso routes
// issue 9 kb routes
const kbRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/kb',
  component: lazyRouteComponent(() => import('./features/kb/KnowledgeBasePage.tsx'), 'KnowledgeBasePage'),
})
const kbArticleRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/kb/articles/$articleId',
  component: lazyRouteComponent(() => import('./features/kb/ArticleEditorPage.tsx'), 'ArticleEditorPage'),
})
// issue 9 decision-trees routes
const decisionTreeRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/decision-trees/$treeId',
  component: lazyRouteComponent(() => import('./features/decision-trees/DecisionTreeEditorPage.tsx'), 'DecisionTreeEditorPage'),
})
// issue 9 community routes
const communityDeskRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/community-desk',
  component: lazyRouteComponent(() => import('./features/community/CommunityPage.tsx'), 'CommunityPage'),
})
const ticketScriptsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/tickets/$ticketId/scripts',
  component: lazyRouteComponent(() => import('./features/decision-trees/TicketScriptPage.tsx'), 'TicketScriptPage'),
})
// issue 7 chat routes
const chatsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/chats',
  component: lazyRouteComponent(() => import('./features/chat/ChatsPage.tsx'), 'ChatsPage'),
})
const visitorsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/visitors',
  component: lazyRouteComponent(() => import('./features/chat/VisitorsPage.tsx'), 'VisitorsPage'),
})
const expertsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/experts',
  component: lazyRouteComponent(() => import('./features/consults/ExpertsPage.tsx'), 'ExpertsPage'),
})

const routeTree = rootRoute.addChildren([
  setupRoute,
  loginRoute,
  inviteRoute,
  twoFactorSetupRoute, // issue 10 security
  appRoute.addChildren([
    indexRoute,
    homeRoute,
    viewRoute,
    ticketRoute,
    contactsRoute,
    contactRoute,
    organizationsRoute,
    organizationRoute,
    searchRoute,
    settingsIndexRoute,
    settingsRoute,
    // issue 5 pages
    rotationsRoute,
    queueRoute,
    trainingRoute,
    courseRoute,
    courseEditRoute,
    reviewsRoute,
    rideAlongRoute,
    rideAlongLiveRoute,
    monitoringRoute,
    consultsRoute,
    consultRoute,
    expertsRoute,
    // issue 6 surveys pages
    surveysRoute,
    // issue 6 reports pages
    reportsRoute,
    // issue 6 voc pages
    vocRoute,
    vocItemRoute,
    // issue 10 macros pages
    // issue 10 automations pages
    // issue 10 sla pages
    breachesNextRoute,
    // issue 10 notifications pages
    notificationsRoute,
    // issue 10 import pages
    // issue 10 export pages
    // issue 10 sso pages
    // issue 9 kb pages
    kbRoute,
    kbArticleRoute,
    // issue 9 decision-trees pages
    decisionTreeRoute,
    // issue 9 community pages
    communityDeskRoute,
    ticketScriptsRoute,
    // issue 7 chat pages
    chatsRoute,
    visitorsRoute,
  ]),
])

export const router = createRouter({ routeTree, defaultPreload: 'intent', scrollRestoration: true })

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router
  }
}
