import { describe, expect, it } from 'vitest'
import { buildTeam, buildTestApp, buildTicket, buildUser } from './helpers.ts'

/**
 * Every API route, denied paths first: anonymous callers get 401 (unless the route is public) and a
 * contributor gets 403 wherever the policy keeps them out. The list must cover every route in the
 * OpenAPI document, so a new route cannot ship without its deny-path test.
 */
type Expect = 'public' | 'deny' | 'allow'
type Case = { method: string; path: string; body?: unknown; contributor: Expect; multipart?: boolean }

describe('permissions on every route', async () => {
  const app = await buildTestApp()
  const team = await buildTeam(app)
  const otherTeam = await buildTeam(app)
  const agent = await buildUser(app, { role: 'agent' })
  const contributor = await buildUser(app, { role: 'contributor', teamIds: [team] })
  const own = await buildTicket(app, agent, { teamId: team })
  const foreign = await buildTicket(app, agent, { teamId: otherTeam })
  const ids = { own: own.id, foreign: foreign.id, contact: foreign.requester.id, user: agent.id }

  const cases: Case[] = [
    { method: 'GET', path: '/api/v1/health', contributor: 'public' },
    { method: 'GET', path: '/api/v1/setup', contributor: 'public' },
    { method: 'POST', path: '/api/v1/setup', body: { workspaceName: 'x', name: 'x', email: 'x@x.test', password: 'xxxxxxxx' }, contributor: 'public' },
    { method: 'POST', path: '/api/v1/auth/login', body: { email: 'nobody@x.test', password: 'x' }, contributor: 'public' },
    { method: 'POST', path: '/api/v1/auth/logout', contributor: 'public' },
    { method: 'GET', path: '/api/v1/auth/me', contributor: 'allow' },
    { method: 'GET', path: '/api/v1/tokens', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/tokens', body: { name: 'mine' }, contributor: 'allow' },
    { method: 'DELETE', path: '/api/v1/tokens/{id}', contributor: 'allow' },
    { method: 'GET', path: '/api/v1/users', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/users', body: { email: 'n@x.test', name: 'n', role: 'agent', password: 'xxxxxxxx' }, contributor: 'deny' },
    { method: 'PATCH', path: '/api/v1/users/{user}', body: { role: 'admin' }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/invites', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/invites', body: { email: 'i@x.test', role: 'agent' }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/invites/{token}', contributor: 'public' },
    { method: 'POST', path: '/api/v1/invites/{token}/accept', body: { name: 'x', password: 'xxxxxxxx' }, contributor: 'public' },
    { method: 'GET', path: '/api/v1/teams', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/teams', body: { name: 'Rogue' }, contributor: 'deny' },
    { method: 'PATCH', path: '/api/v1/teams/{team}', body: { name: 'Renamed' }, contributor: 'deny' },
    { method: 'DELETE', path: '/api/v1/teams/{team}', contributor: 'deny' },
    { method: 'PUT', path: '/api/v1/teams/{team}/members', body: { userIds: [] }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/inboxes', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/inboxes', body: { name: 'x' }, contributor: 'deny' },
    { method: 'PATCH', path: '/api/v1/inboxes/{inbox}', body: { name: 'x' }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/settings', contributor: 'allow' },
    { method: 'PATCH', path: '/api/v1/settings', body: { workspaceName: 'Mine now' }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/custom-fields', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/custom-fields', body: { entity: 'ticket', key: 'k', label: 'K', type: 'text' }, contributor: 'deny' },
    { method: 'PATCH', path: '/api/v1/custom-fields/{id}', body: { label: 'x' }, contributor: 'deny' },
    { method: 'DELETE', path: '/api/v1/custom-fields/{id}', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/tickets', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/tickets', body: { subject: 's', body: 'b', requester: { email: 'r@x.test' } }, contributor: 'deny' },
    { method: 'POST', path: '/api/v1/tickets/bulk', body: { ticketIds: [own.id], changes: { status: 'solved' } }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/tickets/{foreign}', contributor: 'deny' },
    { method: 'PATCH', path: '/api/v1/tickets/{own}', body: { status: 'solved' }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/tickets/{foreign}/messages', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/tickets/{own}/replies', body: { body: 'Hi customer' }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/tickets/{foreign}/reply-decision', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/tickets/{foreign}/notes', body: { body: 'peek' }, contributor: 'deny' },
    { method: 'POST', path: '/api/v1/tickets/{own}/merge', body: { intoTicketId: foreign.id }, contributor: 'deny' },
    { method: 'POST', path: '/api/v1/tickets/{foreign}/follow', contributor: 'deny' },
    { method: 'DELETE', path: '/api/v1/tickets/{foreign}/follow', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/views', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/views', body: { name: 'Everyone', shared: true, filters: {} }, contributor: 'deny' },
    { method: 'PATCH', path: '/api/v1/views/{id}', body: { name: 'x' }, contributor: 'deny' },
    { method: 'DELETE', path: '/api/v1/views/{id}', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/contacts', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/contacts', body: { name: 'c', emails: [] }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/contacts/{contact}', contributor: 'allow' },
    { method: 'PATCH', path: '/api/v1/contacts/{contact}', body: { name: 'c' }, contributor: 'deny' },
    { method: 'POST', path: '/api/v1/contacts/{contact}/merge', body: { intoContactId: own.requester.id }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/organizations', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/organizations', body: { name: 'o' }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/organizations/{id}', contributor: 'allow' },
    { method: 'PATCH', path: '/api/v1/organizations/{id}', body: { name: 'o' }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/search', contributor: 'allow' },
    { method: 'GET', path: '/api/v1/notifications', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/notifications/{id}/read', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/notifications/read-all', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/attachments', contributor: 'allow', multipart: true },
    { method: 'GET', path: '/api/v1/attachments/{id}', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/inboxes/{inbox}/inbound-email', body: { raw: 'x' }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/inbound-emails', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/inbound-emails/{id}/retry', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/inbound-emails/{id}/raw', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/messages/{ownMessage}/retry-delivery', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/inboxes/{inbox}/test-connection', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/audit-log', contributor: 'deny' },
    // issue 6 surveys routes
    { method: 'GET', path: '/api/v1/surveys/csat/settings', contributor: 'deny' },
    {
      method: 'PUT',
      path: '/api/v1/surveys/csat/settings',
      body: { enabled: false, delayMinutes: 60, scale: '3', expiryDays: 14, subject: 's', intro: 'i', question: 'q' },
      contributor: 'deny',
    },
    { method: 'GET', path: '/api/v1/surveys/csat/responses', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/surveys/csat/summary', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/tickets/{foreign}/csat', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/tickets/{own}/csat', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/public/surveys/csat/{token}', body: { rating: 'good' }, contributor: 'public' },
    { method: 'POST', path: '/api/v1/surveys/purchase-reason', body: { contact: { email: 'buyer@x.test' } }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/surveys/purchase-reason/summary', contributor: 'deny' },
    { method: 'PUT', path: '/api/v1/surveys/purchase-reason/categories', body: { categories: ['Price'] }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/contacts/{contact}/purchase-reasons', contributor: 'allow' },
    { method: 'GET', path: '/api/v1/surveys', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/surveys', body: { title: 't', questions: [{ id: 'q', kind: 'text', label: 'Q', required: false }] }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/surveys/{id}', contributor: 'deny' },
    { method: 'PATCH', path: '/api/v1/surveys/{id}', body: { status: 'closed' }, contributor: 'deny' },
    { method: 'DELETE', path: '/api/v1/surveys/{id}', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/surveys/{id}/send', body: { vip: true }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/surveys/{id}/results', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/surveys/{id}/responses.csv', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/public/surveys/responses/{key}', body: { answers: {} }, contributor: 'public' },
    // issue 6 reports routes
    { method: 'GET', path: '/api/v1/reports/summary', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/reports/timeseries', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/reports/cohorts', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/reports/breakdown', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/reports/live', contributor: 'deny' },
    // issue 6 voc routes
    { method: 'GET', path: '/api/v1/voc/items', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/voc/items', body: { kind: 'pain_point', title: 'Rogue item' }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/voc/items/{id}', contributor: 'allow' },
    { method: 'PATCH', path: '/api/v1/voc/items/{id}', body: { status: 'shipped' }, contributor: 'deny' },
    { method: 'DELETE', path: '/api/v1/voc/items/{id}', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/voc/items/{id}/links', body: { ticketId: foreign.id }, contributor: 'deny' },
    { method: 'DELETE', path: '/api/v1/voc/links/{id}', contributor: 'allow' },
    { method: 'GET', path: '/api/v1/tickets/{foreign}/voc-items', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/contacts/{contact}/voc', contributor: 'allow' },
    { method: 'GET', path: '/api/v1/voc/suggestions', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/voc/suggestions/refresh', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/voc/suggestions/{id}/accept', body: {}, contributor: 'deny' },
    { method: 'POST', path: '/api/v1/voc/suggestions/{id}/dismiss', contributor: 'deny' },
    { method: 'PATCH', path: '/api/v1/voc/notifications/{id}', body: { body: 'Hi' }, contributor: 'deny' },
    { method: 'POST', path: '/api/v1/voc/notifications/{id}/send', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/voc/items/{id}/notifications/send', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/voc/settings', contributor: 'allow' },
    { method: 'PUT', path: '/api/v1/voc/settings', body: { shippedTemplate: 'Hi' }, contributor: 'deny' },
    // issue 10 macros routes
    { method: 'GET', path: '/api/v1/macros', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/macros', body: { name: 'Rogue', body: 'Hi' }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/macros/{id}', contributor: 'deny' },
    { method: 'PATCH', path: '/api/v1/macros/{id}', body: { name: 'Renamed' }, contributor: 'deny' },
    { method: 'DELETE', path: '/api/v1/macros/{id}', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/macros/{id}/preview', body: { ticketId: foreign.id }, contributor: 'deny' },
    // Contributors may apply approved macros to tickets they see; the line after checks the denied path.
    { method: 'POST', path: '/api/v1/tickets/{foreign}/macros/{macroId}/apply', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/tickets/{foreign}/macros/{id}/apply', contributor: 'deny' },
    // issue 8 background jobs routes
    { method: 'GET', path: '/api/v1/admin/jobs', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/admin/jobs/summary', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/admin/jobs/{id}/retry', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/admin/jobs/retry-all', body: {}, contributor: 'deny' },
    { method: 'DELETE', path: '/api/v1/admin/jobs/{id}', contributor: 'deny' },
    // issue 10 webhooks routes
    // issue 10 automations routes
    { method: 'GET', path: '/api/v1/automations', contributor: 'deny' },
    {
      method: 'POST',
      path: '/api/v1/automations',
      body: { name: 'Rogue', trigger: 'ticket.created', conditions: { all: [] }, actions: [{ type: 'add_tags', tags: ['x'] }] },
      contributor: 'deny',
    },
    { method: 'POST', path: '/api/v1/automations/reorder', body: { ids: [1] }, contributor: 'deny' },
    {
      method: 'POST',
      path: '/api/v1/automations/dry-run',
      body: { rule: { name: 'Rogue', trigger: 'ticket.created', conditions: { all: [] }, actions: [{ type: 'add_tags', tags: ['x'] }] } },
      contributor: 'deny',
    },
    { method: 'GET', path: '/api/v1/automations/{id}', contributor: 'deny' },
    { method: 'PATCH', path: '/api/v1/automations/{id}', body: { enabled: false }, contributor: 'deny' },
    { method: 'DELETE', path: '/api/v1/automations/{id}', contributor: 'deny' },
    // issue 10 sla routes
    { method: 'GET', path: '/api/v1/sla-policies', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/sla-policies', body: { name: 'Rogue', targets: {} }, contributor: 'deny' },
    { method: 'PUT', path: '/api/v1/sla-policies/order', body: { ids: [1] }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/sla-policies/{id}', contributor: 'deny' },
    { method: 'PATCH', path: '/api/v1/sla-policies/{id}', body: { name: 'Renamed' }, contributor: 'deny' },
    { method: 'DELETE', path: '/api/v1/sla-policies/{id}', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/sla-calendars', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/sla-calendars', body: { name: 'x', timeZone: 'UTC', week: [], holidays: [] }, contributor: 'deny' },
    { method: 'PATCH', path: '/api/v1/sla-calendars/{id}', body: { name: 'x' }, contributor: 'deny' },
    { method: 'DELETE', path: '/api/v1/sla-calendars/{id}', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/sla/report', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/sla/clock', contributor: 'allow' },
    // issue 10 notifications routes
    { method: 'GET', path: '/api/v1/me/notification-preferences', contributor: 'allow' },
    { method: 'PUT', path: '/api/v1/me/notification-preferences', body: { digestHour: 9 }, contributor: 'allow' },
    // issue 10 import routes
    { method: 'POST', path: '/api/v1/imports', contributor: 'deny', multipart: true },
    { method: 'GET', path: '/api/v1/imports', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/imports/{id}', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/imports/{id}/preview', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/imports/{id}/start', body: {}, contributor: 'deny' },
    { method: 'POST', path: '/api/v1/imports/{id}/cancel', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/imports/{id}/resume', contributor: 'deny' },
    // issue 10 export routes
    { method: 'GET', path: '/api/v1/audit', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/audit/export', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/exports', body: { kind: 'tickets', format: 'csv' }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/exports', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/exports/{id}', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/exports/{id}/download', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/contacts/{contact}/data-export', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/contacts/{contact}/erase', body: { confirmation: 'ERASE 1' }, contributor: 'deny' },
    // issue 10 sso routes
    { method: 'GET', path: '/api/v1/auth/sso', contributor: 'public' },
    { method: 'GET', path: '/api/v1/auth/oidc/start', contributor: 'public' },
    { method: 'GET', path: '/api/v1/auth/oidc/callback', contributor: 'public' },
    { method: 'GET', path: '/api/v1/security/sso', contributor: 'deny' },
    {
      method: 'PUT',
      path: '/api/v1/security/sso',
      body: {
        enabled: false,
        displayName: 'X',
        issuerUrl: '',
        clientId: '',
        scopes: 'openid email',
        allowedDomains: [],
        jitProvisioning: false,
        jitRole: 'agent',
        passwordLoginDisabled: false,
      },
      contributor: 'deny',
    },
    { method: 'POST', path: '/api/v1/security/sso/test', body: { issuerUrl: 'https://idp.example.test' }, contributor: 'deny' },
    // issue 9 kb routes
    { method: 'GET', path: '/api/v1/kb/categories', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/kb/categories', body: { name: 'Rogue' }, contributor: 'deny' },
    { method: 'PATCH', path: '/api/v1/kb/categories/{id}', body: { name: 'x' }, contributor: 'deny' },
    { method: 'DELETE', path: '/api/v1/kb/categories/{id}', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/kb/sections', body: { categoryId: 1, name: 'Rogue' }, contributor: 'deny' },
    { method: 'PATCH', path: '/api/v1/kb/sections/{id}', body: { name: 'x' }, contributor: 'deny' },
    { method: 'DELETE', path: '/api/v1/kb/sections/{id}', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/kb/articles', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/kb/articles', body: { title: 'Draft', bodyHtml: '<p>x</p>' }, contributor: 'allow' },
    { method: 'GET', path: '/api/v1/kb/articles/{id}', contributor: 'allow' },
    { method: 'PATCH', path: '/api/v1/kb/articles/{id}', body: { title: 'x' }, contributor: 'allow' },
    { method: 'DELETE', path: '/api/v1/kb/articles/{id}', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/kb/articles/{id}/submit', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/kb/articles/{id}/publish', body: {}, contributor: 'deny' },
    { method: 'POST', path: '/api/v1/kb/articles/{id}/reject', body: {}, contributor: 'deny' },
    { method: 'POST', path: '/api/v1/kb/articles/{id}/archive', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/kb/articles/{id}/versions', contributor: 'allow' },
    { method: 'GET', path: '/api/v1/kb/articles/{id}/diff', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/kb/articles/{id}/versions/{version}/restore', contributor: 'allow' },
    { method: 'GET', path: '/api/v1/kb/articles/{id}/insert', contributor: 'allow' },
    { method: 'GET', path: '/api/v1/kb/search', contributor: 'allow' },
    { method: 'GET', path: '/api/v1/kb/suggestions', contributor: 'allow' },
    { method: 'GET', path: '/api/v1/kb/gaps', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/kb/settings', contributor: 'allow' },
    {
      method: 'PUT',
      path: '/api/v1/kb/settings',
      body: { title: 'Help', logoUrl: null, primaryColor: '#123456', accentColor: '#123456', languages: ['en'] },
      contributor: 'deny',
    },
    { method: 'GET', path: '/api/v1/kb/public/articles', contributor: 'public' },
    { method: 'GET', path: '/api/v1/kb/public/articles/{id}', contributor: 'public' },
    { method: 'GET', path: '/api/v1/kb/public/search', contributor: 'public' },
    { method: 'POST', path: '/api/v1/kb/public/articles/{id}/votes', body: { helpful: true }, contributor: 'public' },
    // issue 9 decision-trees routes
    { method: 'GET', path: '/api/v1/decision-trees', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/decision-trees', body: { name: 'Rogue tree' }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/decision-trees/{id}', contributor: 'deny' },
    { method: 'PATCH', path: '/api/v1/decision-trees/{id}', body: { name: 'x' }, contributor: 'deny' },
    { method: 'DELETE', path: '/api/v1/decision-trees/{id}', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/decision-trees/{id}/publish', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/decision-trees/{id}/versions', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/decision-trees/{id}/versions/{versionId}/publish', contributor: 'allow' },
    { method: 'GET', path: '/api/v1/decision-trees/{id}/analytics', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/decision-trees/{id}/runs', body: { test: true }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/decision-tree-runs/{runId}', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/decision-tree-runs/{runId}/answers', body: {}, contributor: 'allow' },
    { method: 'GET', path: '/api/v1/tickets/{foreign}/decision-tree-runs', contributor: 'deny' },
    // issue 9 community routes
    { method: 'GET', path: '/api/v1/tickets/{foreign}/script-requirement', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/decision-tree-requirements', contributor: 'deny' },
    { method: 'PUT', path: '/api/v1/categories/{categoryId}/required-script', body: { treeId: null }, contributor: 'allow' },
    { method: 'GET', path: '/api/v1/public/decision-trees', contributor: 'public' },
    { method: 'POST', path: '/api/v1/public/decision-trees/{slug}/runs', contributor: 'public' },
    { method: 'GET', path: '/api/v1/public/decision-tree-runs/{token}', contributor: 'public' },
    { method: 'POST', path: '/api/v1/public/decision-tree-runs/{token}/answers', body: {}, contributor: 'public' },
    { method: 'GET', path: '/api/v1/webhooks', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/webhooks/events', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/webhooks', body: { url: 'https://hooks.example.com/rogue', events: ['ticket.created'] }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/webhooks/{id}', contributor: 'deny' },
    { method: 'PATCH', path: '/api/v1/webhooks/{id}', body: { enabled: false }, contributor: 'deny' },
    { method: 'DELETE', path: '/api/v1/webhooks/{id}', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/webhooks/{id}/rotate-secret', body: {}, contributor: 'deny' },
    { method: 'POST', path: '/api/v1/webhooks/{id}/test', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/webhooks/{id}/deliveries', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver', contributor: 'deny' },
    // issue 10 security routes (own 2FA and sessions are allowed to everyone; others' sessions and the policy are admin-only)
    { method: 'POST', path: '/api/v1/auth/login/two-factor', body: { challenge: 'ahc_0000000000000000', code: '000000' }, contributor: 'public' },
    { method: 'POST', path: '/api/v1/auth/password', body: { currentPassword: 'x', newPassword: 'xxxxxxxx' }, contributor: 'allow' },
    { method: 'GET', path: '/api/v1/auth/two-factor', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/auth/two-factor/enrolment', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/auth/two-factor/enrolment/confirm', body: { code: '000000' }, contributor: 'allow' },
    { method: 'POST', path: '/api/v1/auth/two-factor/disable', body: { password: 'x' }, contributor: 'allow' },
    { method: 'POST', path: '/api/v1/auth/two-factor/recovery-codes', body: { password: 'x' }, contributor: 'allow' },
    { method: 'GET', path: '/api/v1/auth/sessions', contributor: 'allow' },
    { method: 'DELETE', path: '/api/v1/auth/sessions/{id}', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/auth/sessions/revoke-others', contributor: 'allow' },
    { method: 'DELETE', path: '/api/v1/users/{user}/sessions', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/security/settings', contributor: 'deny' },
    { method: 'PUT', path: '/api/v1/security/settings', body: { twoFactorRequiredRoles: ['contributor'] }, contributor: 'deny' },
    // issue 7 chat visitor-side routes (modules/chat)
    { method: 'GET', path: '/api/v1/chat/inboxes/{id}/settings', contributor: 'deny' },
    { method: 'PATCH', path: '/api/v1/chat/inboxes/{id}/settings', body: { csatEnabled: true }, contributor: 'deny' },
    { method: 'POST', path: '/api/v1/widget/sessions', body: { inboxId: 1 }, contributor: 'public' },
    { method: 'POST', path: '/api/v1/widget/uploads', contributor: 'public', multipart: true },
    { method: 'POST', path: '/api/v1/widget/offline', body: { inboxId: 1, name: 'n', email: 'n@x.test', message: 'm' }, contributor: 'public' },
    { method: 'POST', path: '/api/v1/widget/transcript', body: { token: 'x' }, contributor: 'public' },
    { method: 'POST', path: '/api/v1/widget/rating', body: { token: 'x', rating: 5 }, contributor: 'public' },
    // issue 7 chat agent-side routes (modules/chat-desk)
    { method: 'GET', path: '/api/v1/chat/me', contributor: 'deny' },
    { method: 'PUT', path: '/api/v1/chat/me', body: { status: 'online' }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/chat/agents', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/chat/conversations', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/tickets/{foreign}/chat', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/tickets/{own}/chat/accept', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/tickets/{own}/chat/transfer', body: { teamId: 1 }, contributor: 'deny' },
    { method: 'POST', path: '/api/v1/tickets/{own}/chat/end', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/tickets/{own}/chat/supervise', body: { mode: 'watch' }, contributor: 'deny' },
    { method: 'POST', path: '/api/v1/tickets/{own}/chat/whispers', body: { body: 'psst' }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/chat/visitors', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/chat/visitors/{id}/page-views', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/contacts/{contact}/page-views', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/chat/visitors/{id}/invite', body: { message: 'Hi' }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/chat/inboxes/{inbox}/invite-rules', contributor: 'deny' },
    {
      method: 'POST',
      path: '/api/v1/chat/inboxes/{inbox}/invite-rules',
      body: { name: 'n', urlPattern: '*', minSecondsOnPage: 0, returningOnly: false, message: 'Hi', capHours: 1, enabled: true },
      contributor: 'deny',
    },
    { method: 'PATCH', path: '/api/v1/chat/invite-rules/{id}', body: { enabled: false }, contributor: 'deny' },
    { method: 'DELETE', path: '/api/v1/chat/invite-rules/{id}', contributor: 'deny' },
    // rotations, shifts and all-hands windows
    { method: 'GET', path: '/api/v1/rotations', contributor: 'allow' },
    {
      method: 'POST',
      path: '/api/v1/rotations',
      body: { kind: 'all_hands', name: 'x', timeZone: 'UTC', cohort: { userIds: [], teamIds: [] }, startsAt: '2030-01-01', endsAt: '2030-01-02' },
      contributor: 'deny',
    },
    { method: 'GET', path: '/api/v1/rotations/{id}', contributor: 'allow' },
    { method: 'PATCH', path: '/api/v1/rotations/{id}', body: { name: 'x' }, contributor: 'deny' },
    { method: 'DELETE', path: '/api/v1/rotations/{id}', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/rotations/{id}/summary', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/shifts', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/shifts', body: { rotationId: null, userId: 1, startsAt: 0, endsAt: 1000 }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/shifts/mine', contributor: 'allow' },
    { method: 'GET', path: '/api/v1/shifts/current', contributor: 'allow' },
    { method: 'GET', path: '/api/v1/shifts/{id}', contributor: 'allow' },
    { method: 'DELETE', path: '/api/v1/shifts/{id}', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/shifts/{id}/start', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/shifts/{id}/end', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/shifts/{id}/swaps', body: { toUserId: 1 }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/shift-swaps', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/shift-swaps/{id}/accept', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/shift-swaps/{id}/decline', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/shift-swaps/{id}/approve', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/shift-swaps/{id}/reject', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/shift-swaps/{id}/cancel', contributor: 'deny' },
    // categories, risk rules and the rotation queue
    { method: 'GET', path: '/api/v1/categories', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/categories', body: { name: 'Rogue', keywords: ['x'] }, contributor: 'deny' },
    { method: 'PATCH', path: '/api/v1/categories/{id}', body: { name: 'Renamed' }, contributor: 'deny' },
    { method: 'DELETE', path: '/api/v1/categories/{id}', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/risk-rules', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/risk-rules', body: { name: 'x', type: 'priority', level: 'low', config: { priorities: ['low'] } }, contributor: 'deny' },
    { method: 'PUT', path: '/api/v1/risk-rules/order', body: { ids: [1] }, contributor: 'deny' },
    { method: 'PATCH', path: '/api/v1/risk-rules/{id}', body: { enabled: false }, contributor: 'deny' },
    { method: 'DELETE', path: '/api/v1/risk-rules/{id}', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/risk-rules/{id}/matches', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/queue', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/queue/next', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/queue/claim/{own}', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/queue/settings', contributor: 'deny' },
    { method: 'PATCH', path: '/api/v1/queue/settings', body: { autoAssign: true }, contributor: 'deny' },
    { method: 'POST', path: '/api/v1/tickets/{foreign}/hand-back', body: { note: 'not mine' }, contributor: 'deny' },
    // reviews, trust levels and tone coach
    { method: 'POST', path: '/api/v1/tone-check', body: { html: '<p>Hi</p>', ticketId: foreign.id }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/tone-rules', contributor: 'allow' },
    { method: 'PUT', path: '/api/v1/tone-rules', body: { rules: [] }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/reviews', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/reviews/summary', contributor: 'allow' },
    { method: 'GET', path: '/api/v1/reviews/{id}', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/reviews/attachments/{id}', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/reviews/{id}/approve', body: {}, contributor: 'deny' },
    { method: 'POST', path: '/api/v1/reviews/{id}/reject', body: { feedback: 'No' }, contributor: 'deny' },
    { method: 'POST', path: '/api/v1/reviews/{id}/withdraw', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/review-policies', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/review-policies', body: { categoryId: 1 }, contributor: 'deny' },
    { method: 'PATCH', path: '/api/v1/review-policies/{id}', body: { approvalsRequired: 1 }, contributor: 'deny' },
    { method: 'DELETE', path: '/api/v1/review-policies/{id}', contributor: 'deny' },
    // consults and expertise directory
    { method: 'POST', path: '/api/v1/tickets/{foreign}/consults', body: { teamId: 1, question: 'Can I peek?' }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/tickets/{foreign}/consults', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/tickets/{own}/consults', contributor: 'allow' },
    { method: 'GET', path: '/api/v1/consults', contributor: 'allow' },
    { method: 'GET', path: '/api/v1/consults/{id}', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/consults/{id}/messages', body: { body: 'Answer' }, contributor: 'deny' },
    { method: 'POST', path: '/api/v1/consults/{id}/resolve', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/consults/{id}/assign', body: { userId: 1 }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/consult-settings', contributor: 'allow' },
    { method: 'PUT', path: '/api/v1/consult-settings', body: { defaultDueHours: 8 }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/expertise', contributor: 'allow' },
    // ride-alongs and monitoring
    { method: 'POST', path: '/api/v1/ride-alongs', body: { followedUserId: agent.id }, contributor: 'allow' },
    { method: 'GET', path: '/api/v1/ride-alongs', contributor: 'allow' },
    { method: 'GET', path: '/api/v1/ride-alongs/{id}', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/ride-alongs/{id}/end', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/ride-alongs/{id}/messages', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/ride-alongs/{id}/messages', body: { body: 'psst' }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/monitoring/overview', contributor: 'deny' },
    // courses and certification
    { method: 'GET', path: '/api/v1/courses', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/courses', body: { title: 't', description: '', categoryId: 1, grantsClearance: 'low' }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/courses/{id}', contributor: 'deny' },
    { method: 'PATCH', path: '/api/v1/courses/{id}', body: { published: true }, contributor: 'deny' },
    { method: 'DELETE', path: '/api/v1/courses/{id}', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/courses/{id}/authoring', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/courses/{id}/lessons', body: { kind: 'lesson', title: 't', body: 'b' }, contributor: 'deny' },
    { method: 'PUT', path: '/api/v1/courses/{id}/lesson-order', body: { lessonIds: [] }, contributor: 'deny' },
    { method: 'POST', path: '/api/v1/courses/{id}/enrollments', body: { userIds: [1] }, contributor: 'deny' },
    { method: 'PATCH', path: '/api/v1/course-lessons/{id}', body: { title: 't' }, contributor: 'deny' },
    { method: 'DELETE', path: '/api/v1/course-lessons/{id}', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/course-lessons/{id}/complete', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/course-lessons/{id}/quiz-attempts', body: { answers: {} }, contributor: 'deny' },
    { method: 'POST', path: '/api/v1/course-lessons/{id}/practice-attempts', body: { body: 'Hi' }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/practice-attempts', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/practice-attempts/{id}', contributor: 'deny' },
    { method: 'POST', path: '/api/v1/practice-attempts/{id}/grade', body: { passed: true, feedback: 'ok' }, contributor: 'deny' },
    { method: 'GET', path: '/api/v1/training/people/{user}', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/training/cohort', contributor: 'deny' },
    { method: 'GET', path: '/api/v1/certifications', contributor: 'allow' },
    { method: 'POST', path: '/api/v1/certifications', body: { userId: 1, categoryId: 1 }, contributor: 'deny' },
    { method: 'POST', path: '/api/v1/certifications/revoke', body: { userId: 1, categoryId: 1 }, contributor: 'deny' },
    { method: 'POST', path: '/api/v1/public/form', body: { name: 'n', email: 'n@x.test', subject: 's', message: 'm' }, contributor: 'public' },
  ]

  const fill = (path: string) =>
    path
      .replace('{own}', String(ids.own))
      .replace('{foreign}', String(ids.foreign))
      .replace('{contact}', String(ids.contact))
      .replace('{user}', String(ids.user))
      .replace('{ownMessage}', String(own.lastMessageId))
      .replace(/\{(team|inbox|id)\}/, '1')
      .replace('{token}', 'inv_0000000000000000000000')
      .replace('/search', '/search?q=card')
  const template = (path: string) =>
    path.replace(/\{(own|foreign|contact|user|team|inbox|token|ownMessage)\}/, (_, name) => (name === 'token' ? '{token}' : '{id}'))

  it('covers every route of the OpenAPI document', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json()
    const documented = Object.entries(spec.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    )
    const tested = cases.map((c) => `${c.method} ${template(c.path)}`)
    expect(documented.filter((r) => !tested.includes(r))).toEqual([])
  })

  it.each(cases.filter((c) => c.contributor !== 'public'))('refuses $method $path without a session (401)', async (c) => {
    const res = await app.inject({ method: c.method as 'GET', url: fill(c.path), ...(c.body ? { payload: c.body as object } : {}) })
    expect(res.statusCode).toBe(401)
    expect(res.json().error.code).toBe('unauthenticated')
  })

  it.each(cases.filter((c) => c.contributor === 'deny'))('refuses $method $path to a contributor (403)', async (c) => {
    const res = await app.inject({
      method: c.method as 'GET',
      url: fill(c.path),
      headers: contributor.headers,
      ...(c.body ? { payload: c.body as object } : {}),
    })
    expect([403, 404]).toContain(res.statusCode)
    if (res.statusCode === 404) expect(c.path).toMatch(/\{id\}/)
    else expect(res.json().error.code).toBe('forbidden')
  })

  it('lets a contributor note and follow tickets of their team, and see only those', async () => {
    const note = await app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${own.id}/notes`,
      headers: contributor.headers,
      payload: { body: 'I know this customer' },
    })
    expect(note.statusCode).toBe(201)
    expect((await app.inject({ method: 'POST', url: `/api/v1/tickets/${own.id}/follow`, headers: contributor.headers })).statusCode).toBe(200)
    const list = (await app.inject({ method: 'GET', url: '/api/v1/tickets', headers: contributor.headers })).json()
    expect(list.items.map((t: { id: number }) => t.id)).toEqual([own.id])
    const search = (await app.inject({ method: 'GET', url: `/api/v1/search?q=%23${foreign.id}`, headers: contributor.headers })).json()
    expect(search.tickets).toEqual([])
  })
})
