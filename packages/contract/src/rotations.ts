import { type Static, Type } from 'typebox'
import { Id, Nullable, Timestamp } from './common.ts'

/**
 * Rotations and tours of duty: programs that give people time-boxed shifts. `recurring` repeats weekly,
 * monthly (e.g. the first Monday) or yearly (one ISO week a year); `onboarding` covers a new hire's first
 * N working days; `all_hands` is a holiday window for a cohort, reviewed by default, with a snippet set.
 */
export const ROTATION_KINDS = ['recurring', 'onboarding', 'all_hands'] as const
export type RotationKind = (typeof ROTATION_KINDS)[number]

export const RECURRENCE_FREQUENCIES = ['weekly', 'monthly', 'yearly'] as const
export type RecurrenceFrequency = (typeof RECURRENCE_FREQUENCIES)[number]

/** A wall-clock time in the rotation's time zone, `HH:mm` (24:00 allowed as an end). */
export const ClockTime = Type.String({ pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$', examples: ['09:00'] })
/** A calendar date in the rotation's time zone. */
export const CalendarDate = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', examples: ['2026-12-24'] })
/** ISO weekday: 1 = Monday … 7 = Sunday. */
export const Weekday = Type.Integer({ minimum: 1, maximum: 7 })

export const DailyHours = Type.Object({ start: ClockTime, end: ClockTime })
export type DailyHours = Static<typeof DailyHours>

/**
 * When a recurring rotation's shifts fall. weekly: every `interval` weeks on `weekdays`; monthly: the
 * `nth` (1–4, or -1 for the last) of each weekday in `weekdays`; yearly: every weekday in `weekdays` of
 * ISO week `week`.
 */
export const RecurrenceRule = Type.Object({
  frequency: Type.Enum(RECURRENCE_FREQUENCIES),
  weekdays: Type.Array(Weekday, { minItems: 1, maxItems: 7, uniqueItems: true }),
  interval: Type.Optional(Type.Integer({ minimum: 1, maximum: 12 })),
  nth: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 4 }), Type.Literal(-1)])),
  week: Type.Optional(Type.Integer({ minimum: 1, maximum: 52 })),
  hours: DailyHours,
  /** First day shifts may fall on (defaults to the day the rotation was created). */
  startsOn: Type.Optional(CalendarDate),
})
export type RecurrenceRule = Static<typeof RecurrenceRule>

export const Cohort = Type.Object({
  userIds: Type.Array(Id, { maxItems: 500, uniqueItems: true }),
  teamIds: Type.Array(Id, { maxItems: 100, uniqueItems: true }),
})
export type Cohort = Static<typeof Cohort>

export const Snippet = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 80 }),
  body: Type.String({ minLength: 1, maxLength: 4000 }),
})
export type Snippet = Static<typeof Snippet>

const TimeZone = Type.String({ minLength: 1, maxLength: 64, examples: ['Europe/Berlin'] })

/** Settings every kind shares. */
const CommonFields = {
  name: Type.String({ minLength: 1, maxLength: 120 }),
  timeZone: TimeZone,
  cohort: Cohort,
  oncallTeamId: Type.Optional(Nullable(Id)),
  quotaPerYear: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 366 }))),
  swapRequiresApproval: Type.Optional(Type.Boolean()),
  reviewRequired: Type.Optional(Type.Boolean()),
  reminderLeadMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 10080 })),
  snippets: Type.Optional(Type.Array(Snippet, { maxItems: 30 })),
}

export const CreateRecurringRotation = Type.Object({ kind: Type.Literal('recurring'), ...CommonFields, schedule: RecurrenceRule })
export const CreateOnboardingRotation = Type.Object({
  kind: Type.Literal('onboarding'),
  ...CommonFields,
  /** The new hires' first day; shifts fall on the first `days` working days (Monday–Friday) from it. */
  startsOn: CalendarDate,
  days: Type.Integer({ minimum: 1, maximum: 60 }),
  hours: DailyHours,
})
export const CreateAllHandsRotation = Type.Object({
  kind: Type.Literal('all_hands'),
  ...CommonFields,
  /** First and last day of the window (inclusive). */
  startsAt: CalendarDate,
  endsAt: CalendarDate,
  /** Hours on each day of the window; without them each person has one shift over the whole window. */
  dailyHours: Type.Optional(Nullable(DailyHours)),
})
export const CreateRotationInput = Type.Union([CreateRecurringRotation, CreateOnboardingRotation, CreateAllHandsRotation])
export type CreateRotationInput = Static<typeof CreateRotationInput>

/** A change to a rotation: settings (any subset); its kind never changes. The schedule fields follow its kind. */
export const UpdateRotationInput = Type.Object({
  name: Type.Optional(CommonFields.name),
  timeZone: Type.Optional(TimeZone),
  cohort: Type.Optional(Cohort),
  oncallTeamId: CommonFields.oncallTeamId,
  quotaPerYear: CommonFields.quotaPerYear,
  swapRequiresApproval: CommonFields.swapRequiresApproval,
  reviewRequired: CommonFields.reviewRequired,
  reminderLeadMinutes: CommonFields.reminderLeadMinutes,
  snippets: CommonFields.snippets,
  isActive: Type.Optional(Type.Boolean()),
  schedule: Type.Optional(RecurrenceRule),
  startsOn: Type.Optional(CalendarDate),
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
  hours: Type.Optional(DailyHours),
  startsAt: Type.Optional(CalendarDate),
  endsAt: Type.Optional(CalendarDate),
  dailyHours: Type.Optional(Nullable(DailyHours)),
})
export type UpdateRotationInput = Static<typeof UpdateRotationInput>

/** The kind-specific schedule as stored and shown. */
export const RotationScheduleDto = Type.Object({
  recurrence: Nullable(RecurrenceRule),
  startsOn: Nullable(CalendarDate),
  days: Nullable(Type.Integer()),
  hours: Nullable(DailyHours),
  startsAt: Nullable(CalendarDate),
  endsAt: Nullable(CalendarDate),
  dailyHours: Nullable(DailyHours),
})
export type RotationScheduleDto = Static<typeof RotationScheduleDto>

export const PersonRef = Type.Object({ id: Id, name: Type.String() })
export type PersonRef = Static<typeof PersonRef>

export const RotationDto = Type.Object({
  id: Id,
  name: Type.String(),
  kind: Type.Enum(ROTATION_KINDS),
  timeZone: Type.String(),
  oncallTeamId: Nullable(Id),
  quotaPerYear: Nullable(Type.Integer()),
  swapRequiresApproval: Type.Boolean(),
  reviewRequired: Type.Boolean(),
  reminderLeadMinutes: Type.Integer(),
  isActive: Type.Boolean(),
  schedule: RotationScheduleDto,
  cohort: Cohort,
  snippets: Type.Array(Snippet),
  /** Window of the generated shifts (first start, last end), null when none exist. */
  firstShiftAt: Nullable(Timestamp),
  lastShiftEndsAt: Nullable(Timestamp),
  createdAt: Timestamp,
})
export type RotationDto = Static<typeof RotationDto>

/** Attendance: computed from when a shift was started and ended against its planned times. */
export const ATTENDANCE = ['upcoming', 'on_duty', 'attended', 'late', 'ended_early', 'missed'] as const
export type Attendance = (typeof ATTENDANCE)[number]

export const ShiftDto = Type.Object({
  id: Id,
  rotation: Nullable(Type.Object({ id: Id, name: Type.String(), kind: Type.Enum(ROTATION_KINDS) })),
  user: PersonRef,
  startsAt: Timestamp,
  endsAt: Timestamp,
  startedAt: Nullable(Timestamp),
  endedAt: Nullable(Timestamp),
  reviewRequired: Type.Boolean(),
  attendance: Type.Enum(ATTENDANCE),
  /** What the signed-in person may do with this shift now (the server checks again on each action). */
  canStart: Type.Boolean(),
  canEnd: Type.Boolean(),
  canSwap: Type.Boolean(),
  canRemove: Type.Boolean(),
  /** An open swap offer on this shift, if any. */
  pendingSwapId: Nullable(Id),
})
export type ShiftDto = Static<typeof ShiftDto>

export const ShiftListQuery = Type.Object({
  from: Timestamp,
  to: Timestamp,
  rotationId: Type.Optional(Id),
  userId: Type.Optional(Id),
  teamId: Type.Optional(Id),
})
export type ShiftListQuery = Static<typeof ShiftListQuery>

export const CreateShiftInput = Type.Object({
  rotationId: Nullable(Id),
  userId: Id,
  startsAt: Timestamp,
  endsAt: Timestamp,
  reviewRequired: Type.Optional(Type.Boolean()),
})
export type CreateShiftInput = Static<typeof CreateShiftInput>

export const QuotaProgressDto = Type.Object({
  rotation: Type.Object({ id: Id, name: Type.String() }),
  year: Type.Integer(),
  quota: Type.Integer(),
  attended: Type.Integer(),
  scheduled: Type.Integer(),
})
export type QuotaProgressDto = Static<typeof QuotaProgressDto>

export const MyShiftsDto = Type.Object({
  current: Nullable(ShiftDto),
  next: Nullable(ShiftDto),
  upcoming: Type.Array(ShiftDto),
  recent: Type.Array(ShiftDto),
  quotas: Type.Array(QuotaProgressDto),
})
export type MyShiftsDto = Static<typeof MyShiftsDto>

/** The signed-in person's current shift, with what the composer offers during it. */
export const CurrentShiftDto = Type.Object({
  shift: Nullable(
    Type.Object({
      id: Id,
      rotationId: Nullable(Id),
      rotationName: Nullable(Type.String()),
      kind: Nullable(Type.Enum(ROTATION_KINDS)),
      startsAt: Timestamp,
      endsAt: Timestamp,
      reviewRequired: Type.Boolean(),
      snippets: Type.Array(Snippet),
    }),
  ),
})
export type CurrentShiftDto = Static<typeof CurrentShiftDto>

export const SWAP_STATUSES = ['offered', 'awaiting_approval', 'completed', 'declined', 'rejected', 'cancelled'] as const
export type SwapStatus = (typeof SWAP_STATUSES)[number]

export const ShiftSwapDto = Type.Object({
  id: Id,
  shift: Type.Object({ id: Id, startsAt: Timestamp, endsAt: Timestamp, rotationName: Nullable(Type.String()) }),
  from: PersonRef,
  to: PersonRef,
  status: Type.Enum(SWAP_STATUSES),
  note: Type.String(),
  decidedBy: Nullable(PersonRef),
  createdAt: Timestamp,
  decidedAt: Nullable(Timestamp),
  canAccept: Type.Boolean(),
  canApprove: Type.Boolean(),
  canCancel: Type.Boolean(),
})
export type ShiftSwapDto = Static<typeof ShiftSwapDto>

export const OfferSwapInput = Type.Object({ toUserId: Id, note: Type.Optional(Type.String({ maxLength: 500 })) })
export type OfferSwapInput = Static<typeof OfferSwapInput>

export const SWAP_ACTIONS = ['accept', 'decline', 'approve', 'reject', 'cancel'] as const
export type SwapAction = (typeof SWAP_ACTIONS)[number]

/** After an all-hands window: what the cohort did; `csat.score` is the share of good ratings (0–1), `responses` the ratings counted. */
export const RotationSummaryDto = Type.Object({
  rotation: Type.Object({ id: Id, name: Type.String(), kind: Type.Enum(ROTATION_KINDS) }),
  window: Type.Object({ from: Nullable(Timestamp), to: Nullable(Timestamp) }),
  cohortSize: Type.Integer(),
  shifts: Type.Object({ total: Type.Integer(), attended: Type.Integer(), missed: Type.Integer(), upcoming: Type.Integer() }),
  ticketsHandled: Type.Integer(),
  repliesSent: Type.Integer(),
  reviews: Type.Object({
    held: Type.Integer(),
    pending: Type.Integer(),
    approved: Type.Integer(),
    approvedWithEdits: Type.Integer(),
    rejected: Type.Integer(),
    withdrawn: Type.Integer(),
  }),
  people: Type.Array(
    Type.Object({
      user: PersonRef,
      ticketsHandled: Type.Integer(),
      repliesSent: Type.Integer(),
      held: Type.Integer(),
      approved: Type.Integer(),
      rejected: Type.Integer(),
    }),
  ),
  csat: Type.Object({
    score: Nullable(Type.Number()),
    responses: Nullable(Type.Integer()),
    note: Nullable(Type.String()),
  }),
})
export type RotationSummaryDto = Static<typeof RotationSummaryDto>
