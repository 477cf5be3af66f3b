import { type Static, Type } from 'typebox'
import { Id, Nullable, Timestamp } from './common.ts'
import { PrioritySchema, SLA_METRICS, Tag } from './tickets.ts'

/**
 * SLA policies with business hours (issue 10): business-hours calendars, ordered policies whose conditions pick the
 * first one matching a ticket, per-priority targets, and the achievement report.
 */
export const SlaMetricSchema = Type.Enum(SLA_METRICS)

const HourMinute = Type.String({ pattern: '^([01][0-9]|2[0-4]):[0-5][0-9]$', description: 'local time HH:MM (24:00 = midnight at the end)' })
export const BusinessInterval = Type.Object({ start: HourMinute, end: HourMinute })
export const SlaCalendarInput = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Europe/Berlin' }),
  week: Type.Array(Type.Array(BusinessInterval, { maxItems: 6 }), {
    minItems: 7,
    maxItems: 7,
    description: 'Working intervals per weekday, Monday first. An end at or before the start runs past midnight.',
  }),
  holidays: Type.Array(Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }), { maxItems: 400, description: 'Local dates without working time' }),
})
export type SlaCalendarInput = Static<typeof SlaCalendarInput>
export const SlaCalendarUpdate = Type.Partial(SlaCalendarInput)
export type SlaCalendarUpdate = Static<typeof SlaCalendarUpdate>
export const SlaCalendarDto = Type.Object({ id: Id, ...SlaCalendarInput.properties, createdAt: Timestamp, updatedAt: Timestamp })
export type SlaCalendarDto = Static<typeof SlaCalendarDto>
export const SlaCalendarList = Type.Object({ items: Type.Array(SlaCalendarDto) })

const Minutes = Type.Integer({ minimum: 1, maximum: 525600 })
export const SlaTargets = Type.Object({
  firstResponse: Nullable(Minutes),
  nextResponse: Nullable(Minutes),
  resolution: Nullable(Minutes),
})
export type SlaTargets = Static<typeof SlaTargets>
export const SlaConditions = Type.Object({
  priorities: Type.Optional(Type.Array(PrioritySchema, { maxItems: 4 })),
  inboxIds: Type.Optional(Type.Array(Id, { maxItems: 100 })),
  teamIds: Type.Optional(Type.Array(Id, { maxItems: 100 })),
  organizationIds: Type.Optional(Type.Array(Id, { maxItems: 100 })),
  tags: Type.Optional(Type.Array(Tag, { maxItems: 50, description: 'the ticket has any of these tags' })),
})
export type SlaConditions = Static<typeof SlaConditions>
export const SlaPolicyInput = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  enabled: Type.Optional(Type.Boolean()),
  conditions: Type.Optional(SlaConditions),
  targets: Type.Object({ low: SlaTargets, normal: SlaTargets, high: SlaTargets, urgent: SlaTargets }),
  calendarId: Type.Optional(Nullable(Id)),
  warnPercent: Type.Optional(Type.Integer({ minimum: 1, maximum: 99, description: 'warn when this share of the target has passed (default 80)' })),
})
export type SlaPolicyInput = Static<typeof SlaPolicyInput>
export const SlaPolicyUpdate = Type.Partial(SlaPolicyInput)
export type SlaPolicyUpdate = Static<typeof SlaPolicyUpdate>
export const SlaPolicyDto = Type.Object({
  id: Id,
  name: Type.String(),
  position: Type.Integer(),
  enabled: Type.Boolean(),
  conditions: SlaConditions,
  targets: SlaPolicyInput.properties.targets,
  calendarId: Nullable(Id),
  warnPercent: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type SlaPolicyDto = Static<typeof SlaPolicyDto>
export const SlaPolicyList = Type.Object({ items: Type.Array(SlaPolicyDto) })
export const SlaPolicyOrder = Type.Object({ ids: Type.Array(Id, { minItems: 1, maxItems: 500 }) })

export const SlaReportQuery = Type.Object({
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
})
export const SlaReportRow = Type.Object({
  metric: SlaMetricSchema,
  priority: PrioritySchema,
  teamId: Nullable(Id),
  achieved: Type.Integer(),
  breached: Type.Integer(),
})
export const SlaReportDto = Type.Object({
  from: Timestamp,
  to: Timestamp,
  totals: Type.Array(Type.Object({ metric: SlaMetricSchema, achieved: Type.Integer(), breached: Type.Integer(), rate: Nullable(Type.Number()) })),
  rows: Type.Array(SlaReportRow),
})
export type SlaReportDto = Static<typeof SlaReportDto>

export const SlaClockDto = Type.Object({ now: Timestamp })
export const TestClockInput = Type.Object({ advanceMs: Type.Integer({ minimum: 0, maximum: 10 * 365 * 86_400_000 }) })
export const TestClockDto = Type.Object({ now: Timestamp, jobsRun: Type.Integer() })
