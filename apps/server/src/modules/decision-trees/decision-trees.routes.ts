import {
  CategoryRequirementParams,
  CreateDecisionTreeInput,
  DecisionTreeAnalyticsDto,
  DecisionTreeAnalyticsQuery,
  DecisionTreeAnswerInput,
  DecisionTreeDto,
  DecisionTreeList,
  DecisionTreeListQuery,
  DecisionTreeRequirementList,
  DecisionTreeRunDto,
  DecisionTreeRunParams,
  DecisionTreeSlugParams,
  DecisionTreeTokenParams,
  DecisionTreeVersionList,
  DecisionTreeVersionParams,
  IdParams,
  Ok,
  PublicDecisionTreeList,
  PublicDecisionTreeRunDto,
  SetDecisionTreeRequirementInput,
  StartDecisionTreeRunInput,
  TicketRunList,
  TicketScriptRequirementDto,
  UpdateDecisionTreeInput,
} from '@allhands/contract'
import { actorOf, type App } from '../../platform/http.ts'
import {
  answerPublicRun,
  answerRun,
  getPublicRunState,
  getRun,
  listPublicTrees,
  listTicketRuns,
  startPublicRun,
  startRun,
  ticketScriptRequirement,
} from './decision-tree-runs.service.ts'
import {
  createTree,
  deleteTree,
  getTree,
  listRequirements,
  listTrees,
  listVersions,
  publishTree,
  publishVersion,
  setRequirement,
  treeAnalytics,
  updateTree,
} from './decision-trees.service.ts'

/** Public runs: a handful of new runs per visitor and minute, answers at a human pace. */
export const PUBLIC_START_LIMIT = { max: 10, timeWindow: '1 minute' }
export const PUBLIC_ANSWER_LIMIT = { max: 60, timeWindow: '1 minute' }

/** /decision-trees: guided help for customers and scripts for agents; editor, versions, runs, analytics. */
export async function decisionTreesRoutes(app: App) {
  const ctx = app.ctx
  const tags = ['decision trees']

  app.get(
    '/decision-trees',
    {
      schema: {
        tags,
        description: 'Every tree for support staff (with what keeps each draft from being published); contributors see published agent scripts only.',
        querystring: DecisionTreeListQuery,
        response: { 200: DecisionTreeList },
      },
    },
    async (req) => listTrees(ctx, actorOf(req), req.query),
  )
  app.post(
    '/decision-trees',
    {
      schema: {
        tags,
        description: 'Support staff create a tree (a draft until published). Node texts are sanitized.',
        body: CreateDecisionTreeInput,
        response: { 201: DecisionTreeDto },
      },
    },
    async (req, reply) => reply.code(201).send(await createTree(ctx, actorOf(req), req.body)),
  )
  app.get('/decision-trees/:id', { schema: { tags, params: IdParams, response: { 200: DecisionTreeDto } } }, async (req) =>
    getTree(ctx, actorOf(req), req.params.id),
  )
  app.patch(
    '/decision-trees/:id',
    {
      schema: {
        tags,
        description: 'Edits the draft and details; the published version is unchanged until the next publish.',
        params: IdParams,
        body: UpdateDecisionTreeInput,
        response: { 200: DecisionTreeDto },
      },
    },
    async (req) => updateTree(ctx, actorOf(req), req.params.id, req.body),
  )
  app.delete('/decision-trees/:id', { schema: { tags, params: IdParams, response: { 200: Ok } } }, async (req) => {
    await deleteTree(ctx, actorOf(req), req.params.id)
    return { ok: true }
  })
  app.post(
    '/decision-trees/:id/publish',
    {
      schema: {
        tags,
        description:
          'Validates the draft (targets exist, no cycles, jumps to published trees, variables set before use) and freezes it as the next version. 422 lists the problems by node.',
        params: IdParams,
        response: { 200: DecisionTreeDto },
      },
    },
    async (req) => publishTree(ctx, actorOf(req), req.params.id),
  )
  app.get('/decision-trees/:id/versions', { schema: { tags, params: IdParams, response: { 200: DecisionTreeVersionList } } }, async (req) =>
    listVersions(ctx, actorOf(req), req.params.id),
  )
  app.post(
    '/decision-trees/:id/versions/:versionId/publish',
    { schema: { tags, description: 'Publishes an earlier version again (roll back).', params: DecisionTreeVersionParams, response: { 200: DecisionTreeDto } } },
    async (req) => publishVersion(ctx, actorOf(req), req.params.id, req.params.versionId),
  )
  app.get(
    '/decision-trees/:id/analytics',
    {
      schema: {
        tags,
        description: 'Runs, completion, drop-off per node and which endings lead to tickets (test runs excluded).',
        params: IdParams,
        querystring: DecisionTreeAnalyticsQuery,
        response: { 200: DecisionTreeAnalyticsDto },
      },
    },
    async (req) => treeAnalytics(ctx, actorOf(req), req.params.id, req.query.days),
  )
  app.post(
    '/decision-trees/:id/runs',
    {
      schema: {
        tags,
        description: 'Starts an agent script on a ticket (published version), or with test=true a test run of the draft in the editor.',
        params: IdParams,
        body: StartDecisionTreeRunInput,
        response: { 201: DecisionTreeRunDto },
      },
    },
    async (req, reply) => reply.code(201).send(await startRun(ctx, actorOf(req), req.params.id, req.body)),
  )
  app.get('/decision-tree-runs/:runId', { schema: { tags, params: DecisionTreeRunParams, response: { 200: DecisionTreeRunDto } } }, async (req) =>
    getRun(ctx, actorOf(req), req.params.runId),
  )
  app.post(
    '/decision-tree-runs/:runId/answers',
    {
      schema: {
        tags,
        description: "Answers the current step of one's own run. When a script on a ticket ends, the Q&A and outcome are added as an internal note.",
        params: DecisionTreeRunParams,
        body: DecisionTreeAnswerInput,
        response: { 200: DecisionTreeRunDto },
      },
    },
    async (req) => answerRun(ctx, actorOf(req), req.params.runId, req.body),
  )
  app.get('/tickets/:id/decision-tree-runs', { schema: { tags, params: IdParams, response: { 200: TicketRunList } } }, async (req) =>
    listTicketRuns(ctx, actorOf(req), req.params.id),
  )
  app.get(
    '/tickets/:id/script-requirement',
    {
      schema: {
        tags,
        description: 'Whether the caller (a rotation contributor) must run a script before replying on this ticket, and whether they did.',
        params: IdParams,
        response: { 200: TicketScriptRequirementDto },
      },
    },
    async (req) => ticketScriptRequirement(ctx, actorOf(req), req.params.id),
  )
  app.get('/decision-tree-requirements', { schema: { tags, response: { 200: DecisionTreeRequirementList } } }, async (req) =>
    listRequirements(ctx, actorOf(req)),
  )
  app.put(
    '/categories/:categoryId/required-script',
    {
      schema: {
        tags,
        description: 'Admins require rotation contributors to run a published agent script before replying on tickets of this category (null clears it).',
        params: CategoryRequirementParams,
        body: SetDecisionTreeRequirementInput,
        response: { 200: DecisionTreeRequirementList },
      },
    },
    async (req) => setRequirement(ctx, actorOf(req), req.params.categoryId, req.body.treeId),
  )

  // Customers (no sign-in): rate-limited per IP; runs are addressed by an unguessable token.
  app.get('/public/decision-trees', { config: { public: true }, schema: { tags, response: { 200: PublicDecisionTreeList } } }, async () => listPublicTrees(ctx))
  app.post(
    '/public/decision-trees/:slug/runs',
    {
      config: { public: true, rateLimit: PUBLIC_START_LIMIT },
      schema: {
        tags,
        description: 'Starts a customer run of a published public tree.',
        params: DecisionTreeSlugParams,
        response: { 201: PublicDecisionTreeRunDto },
      },
    },
    async (req, reply) => reply.code(201).send(await startPublicRun(ctx, req.params.slug, req.ip)),
  )
  app.get(
    '/public/decision-tree-runs/:token',
    {
      config: { public: true, rateLimit: PUBLIC_ANSWER_LIMIT },
      schema: { tags, params: DecisionTreeTokenParams, response: { 200: PublicDecisionTreeRunDto } },
    },
    async (req) => getPublicRunState(ctx, req.params.token),
  )
  app.post(
    '/public/decision-tree-runs/:token/answers',
    {
      config: { public: true, rateLimit: PUBLIC_ANSWER_LIMIT },
      schema: {
        tags,
        description:
          'Answers a customer run. Ending unresolved opens a ticket (email from the tree or `email`) with the path and answers; `ticketId` is returned.',
        params: DecisionTreeTokenParams,
        body: DecisionTreeAnswerInput,
        response: { 200: PublicDecisionTreeRunDto },
      },
    },
    async (req) => answerPublicRun(ctx, req.params.token, req.body),
  )
}
