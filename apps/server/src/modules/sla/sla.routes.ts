import {
  IdParams,
  Ok,
  SlaCalendarDto,
  SlaClockDto,
  SlaCalendarInput,
  SlaCalendarList,
  SlaCalendarUpdate,
  SlaPolicyDto,
  SlaPolicyInput,
  SlaPolicyList,
  SlaPolicyOrder,
  SlaPolicyUpdate,
  SlaReportDto,
  SlaReportQuery,
  TestClockDto,
  TestClockInput,
} from '@allhands/contract'
import { advanceClock, now } from '../../platform/clock.ts'
import { registerTransactionalListener } from '../../platform/context.ts'
import { forbidden } from '../../platform/errors.ts'
import { actorOf, type App } from '../../platform/http.ts'
import { scheduleSlaScan } from './jobs/scan-sla-timers.ts'
import { canManageSla, canMoveTestClock } from './sla.policy.ts'
import { scanSlaTimers } from './sla.scan.ts'
import {
  createCalendar,
  createPolicy,
  deleteCalendar,
  deletePolicy,
  getPolicy,
  listCalendars,
  listPolicies,
  reorderPolicies,
  slaReport,
  updateCalendar,
  updatePolicy,
} from './sla.service.ts'
import { maintainSlaTimers } from './sla.timers.ts'

/**
 * /sla-policies, /sla-calendars, /sla/report: SLA targets and business hours. Registering the plugin wires the module
 * in: its transactional listener keeps each ticket's clocks in step with the ticket, and the minute scan is scheduled.
 */
export async function slaRoutes(app: App) {
  const ctx = app.ctx
  registerTransactionalListener(maintainSlaTimers)
  app.addHook('onReady', async () => {
    await scheduleSlaScan(ctx.db)
  })
  const tags = ['sla']
  // Every change here is for admins: refuse others before their input is even looked at (the services check again).
  app.addHook('preValidation', async (req) => {
    if (req.method !== 'GET' && !canManageSla(actorOf(req))) throw forbidden('manage SLA policies', 'only admins and owners do')
  })

  app.get(
    '/sla-policies',
    { schema: { tags, description: 'SLA policies in the order they are tried (the first matching one applies).', response: { 200: SlaPolicyList } } },
    async (req) => listPolicies(ctx, actorOf(req)),
  )
  app.post(
    '/sla-policies',
    { schema: { tags, description: 'Adds a policy at the end of the order (admins).', body: SlaPolicyInput, response: { 201: SlaPolicyDto } } },
    async (req, reply) => reply.code(201).send(await createPolicy(ctx, actorOf(req), req.body)),
  )
  app.put(
    '/sla-policies/order',
    {
      schema: {
        tags,
        description: 'Sets the order policies are tried in; `ids` lists every policy once (admins).',
        body: SlaPolicyOrder,
        response: { 200: SlaPolicyList },
      },
    },
    async (req) => reorderPolicies(ctx, actorOf(req), req.body.ids),
  )
  app.get('/sla-policies/:id', { schema: { tags, params: IdParams, response: { 200: SlaPolicyDto } } }, async (req) =>
    getPolicy(ctx, actorOf(req), req.params.id),
  )
  app.patch(
    '/sla-policies/:id',
    { schema: { tags, description: 'Changes a policy (admins).', params: IdParams, body: SlaPolicyUpdate, response: { 200: SlaPolicyDto } } },
    async (req) => updatePolicy(ctx, actorOf(req), req.params.id, req.body),
  )
  app.delete(
    '/sla-policies/:id',
    { schema: { tags, description: 'Deletes a policy; running clocks keep their targets (admins).', params: IdParams, response: { 200: Ok } } },
    async (req) => deletePolicy(ctx, actorOf(req), req.params.id),
  )

  app.get('/sla-calendars', { schema: { tags, description: 'Business-hours calendars.', response: { 200: SlaCalendarList } } }, async (req) =>
    listCalendars(ctx, actorOf(req)),
  )
  app.post(
    '/sla-calendars',
    { schema: { tags, description: 'Adds a business-hours calendar (admins).', body: SlaCalendarInput, response: { 201: SlaCalendarDto } } },
    async (req, reply) => reply.code(201).send(await createCalendar(ctx, actorOf(req), req.body)),
  )
  app.patch(
    '/sla-calendars/:id',
    { schema: { tags, description: 'Changes a calendar (admins).', params: IdParams, body: SlaCalendarUpdate, response: { 200: SlaCalendarDto } } },
    async (req) => updateCalendar(ctx, actorOf(req), req.params.id, req.body),
  )
  app.delete(
    '/sla-calendars/:id',
    { schema: { tags, description: 'Deletes a calendar no policy uses (admins).', params: IdParams, response: { 200: Ok } } },
    async (req) => deleteCalendar(ctx, actorOf(req), req.params.id),
  )

  app.get(
    '/sla/clock',
    {
      schema: {
        tags,
        description: "The server's clock (epoch ms): SLA countdowns count against it, not against the browser's clock.",
        response: { 200: SlaClockDto },
      },
    },
    async (req) => {
      actorOf(req)
      return { now: now() }
    },
  )
  app.get(
    '/sla/report',
    {
      schema: {
        tags: [...tags, 'reports'],
        description: 'SLA achievement: clocks met and breached per metric, priority and team, counted when the outcome happened.',
        querystring: SlaReportQuery,
        response: { 200: SlaReportDto },
      },
    },
    async (req) => slaReport(ctx, actorOf(req), req.query),
  )

  // The test clock exists only when the server starts with ALLHANDS_TEST_CLOCK=1 (browser tests move server time with
  // it); a production server has no such route at all.
  if (ctx.config.testClock) {
    app.post(
      '/test/clock',
      {
        schema: {
          tags: ['test'],
          description: 'Test servers only (ALLHANDS_TEST_CLOCK=1): moves the server clock forward, then runs due jobs and the SLA scan (owner).',
          body: TestClockInput,
          response: { 200: TestClockDto },
        },
      },
      async (req) => {
        if (!canMoveTestClock(actorOf(req))) throw forbidden('move the test clock', 'only the owner does')
        advanceClock(req.body.advanceMs)
        const jobsRun = await ctx.jobs.runDue()
        await scanSlaTimers(ctx)
        return { now: now(), jobsRun }
      },
    )
  }
}
