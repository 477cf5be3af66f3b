import {
  AutomationDryRunInput,
  AutomationDryRunResult,
  AutomationDto,
  AutomationInput,
  AutomationList,
  IdParams,
  Ok,
  ReorderAutomationsInput,
  UpdateAutomationInput,
} from '@allhands/contract'
import { registerTransactionalListener } from '../../platform/context.ts'
import { actorOf, type App } from '../../platform/http.ts'
import { registerRoomGuard, type RoomGuard } from '../../platform/realtime.ts'
import { AUTOMATIONS_ROOM } from './automations.engine.ts'
import { queueAutomationEvents } from './automations.listener.ts'
import { canManageAutomations } from './automations.policy.ts'
import {
  createAutomation,
  deleteAutomation,
  dryRunAutomation,
  getAutomation,
  listAutomations,
  reorderAutomations,
  updateAutomation,
} from './automations.service.ts'
import { scheduleTimeRuleScan } from './jobs/scan-time-rules.ts'

const ADMIN = 'Admins and owners only.'
const automationsRoomGuard: RoomGuard = (_ctx, actor, room) => (room === AUTOMATIONS_ROOM ? canManageAutomations(actor) : undefined)

/** /automations: event and time rules that act on tickets, in order; dry-run against recent tickets. */
export async function automationsRoutes(app: App) {
  const ctx = app.ctx
  const tags = ['automations']
  registerTransactionalListener(queueAutomationEvents)
  registerRoomGuard(automationsRoomGuard)
  // The time-rule scan queues its own next run every minute; this starts the chain.
  app.addHook('onReady', async () => {
    await scheduleTimeRuleScan(ctx.db)
  })

  app.get(
    '/automations',
    {
      schema: { tags, description: `Every automation in run order, with run counts and the per-ticket loop cap. ${ADMIN}`, response: { 200: AutomationList } },
    },
    async (req) => listAutomations(ctx, actorOf(req)),
  )
  app.post(
    '/automations',
    {
      schema: {
        tags,
        description: `Creates a rule at the end of the run order. Conditions and actions are checked on save: 422 names each bad one by its path (e.g. conditions.all[1]). ${ADMIN}`,
        body: AutomationInput,
        response: { 201: AutomationDto },
      },
    },
    async (req, reply) => reply.code(201).send(await createAutomation(ctx, actorOf(req), req.body)),
  )
  app.post(
    '/automations/reorder',
    {
      schema: {
        tags,
        description: `Sets the run order: list every rule's id once, first to run first. ${ADMIN}`,
        body: ReorderAutomationsInput,
        response: { 200: AutomationList },
      },
    },
    async (req) => reorderAutomations(ctx, actorOf(req), req.body.ids),
  )
  app.post(
    '/automations/dry-run',
    {
      schema: {
        tags,
        description: `Evaluates a saved rule (automationId) or an unsaved one (rule) against the most recently updated tickets and returns which would match and what would be done. Changes nothing. ${ADMIN}`,
        body: AutomationDryRunInput,
        response: { 200: AutomationDryRunResult },
      },
    },
    async (req) => dryRunAutomation(ctx, actorOf(req), req.body),
  )
  app.get('/automations/:id', { schema: { tags, description: ADMIN, params: IdParams, response: { 200: AutomationDto } } }, async (req) =>
    getAutomation(ctx, actorOf(req), req.params.id),
  )
  app.patch(
    '/automations/:id',
    {
      schema: {
        tags,
        description: `Changes a rule (enable/disable with {enabled}); checked like a new one. ${ADMIN}`,
        params: IdParams,
        body: UpdateAutomationInput,
        response: { 200: AutomationDto },
      },
    },
    async (req) => updateAutomation(ctx, actorOf(req), req.params.id, req.body),
  )
  app.delete('/automations/:id', { schema: { tags, description: ADMIN, params: IdParams, response: { 200: Ok } } }, async (req) => {
    await deleteAutomation(ctx, actorOf(req), req.params.id)
    return { ok: true }
  })
}
