import { HandBackInput, IdParams, QueueClaimDto, QueueDto, QueueSettingsDto, QueueSettingsPatch, TicketDto } from '@allhands/contract'
import { forbidden } from '../../platform/errors.ts'
import { actorOf, type App } from '../../platform/http.ts'
import { canManageQueueSettings } from '../../platform/policy.ts'
import { registerRoomGuard, type RoomGuard } from '../../platform/realtime.ts'
import { handBackTicket } from './hand-back.ts'
import { scheduleAutoAssign } from './jobs/auto-assign-tickets.ts'
import { claimNext, claimTicket, listQueue, QUEUE_ROOM } from './queue.service.ts'
import { getQueueSettings, updateQueueSettings } from './queue.settings.ts'
import { scheduleSlaCheck } from '../risk/jobs/check-sla-breaches.ts'

/** Anyone signed in may watch the queue room: its events carry ticket ids only, never content. */
const queueRoomGuard: RoomGuard = (_ctx, _actor, room) => (room === QUEUE_ROOM ? true : undefined)

/** /queue: the rotation queue (offered tickets, take next, claim one), its settings, and hand-back. */
export async function queueRoutes(app: App) {
  const ctx = app.ctx
  registerRoomGuard(queueRoomGuard)
  // The recurring jobs (auto-assignment each minute, SLA checks every five) queue their own next run; this starts the chain.
  app.addHook('onReady', async () => {
    await scheduleAutoAssign(ctx.db)
    await scheduleSlaCheck(ctx.db)
  })
  const tags = ['queue']
  app.get(
    '/queue',
    {
      schema: {
        tags,
        description:
          'Unassigned waiting tickets the signed-in person may take, oldest first: within their clearance and, for contributors, on shift and in certified (or no) categories. When nothing is offered, `reason` says why.',
        response: { 200: QueueDto },
      },
    },
    async (req) => listQueue(ctx, actorOf(req)),
  )
  app.post(
    '/queue/next',
    {
      schema: {
        tags,
        description: 'Takes the oldest ticket the queue offers (atomically: nobody else gets it). `ticket` is null when nothing is offered.',
        response: { 200: QueueClaimDto },
      },
    },
    async (req) => claimNext(ctx, actorOf(req)),
  )
  app.post(
    '/queue/claim/:id',
    {
      schema: {
        tags,
        description: 'Takes one offered ticket; 409 when someone was faster, 403 when it is beyond your clearance or certification.',
        params: IdParams,
        response: { 200: TicketDto },
      },
    },
    async (req) => claimTicket(ctx, actorOf(req), req.params.id),
  )
  app.get('/queue/settings', { schema: { tags, response: { 200: QueueSettingsDto } } }, async (req) => {
    if (!canManageQueueSettings(actorOf(req))) throw forbidden('see the rotation queue settings')
    return getQueueSettings(ctx.db)
  })
  app.patch(
    '/queue/settings',
    {
      schema: {
        tags,
        description: 'Admins: auto-assignment on or off and the per-person cap of open tickets.',
        body: QueueSettingsPatch,
        response: { 200: QueueSettingsDto },
      },
    },
    async (req) => updateQueueSettings(ctx, actorOf(req), req.body),
  )
  app.post(
    '/tickets/:id/hand-back',
    {
      schema: {
        tags: ['tickets'],
        description:
          'Returns the ticket to support: unassigns it, adds the note as an internal note and tells the support team. Its assignee or support staff.',
        params: IdParams,
        body: HandBackInput,
        response: { 200: TicketDto },
      },
    },
    async (req) => handBackTicket(ctx, actorOf(req), req.params.id, req.body),
  )
}
