import {
  AUTOMATION_CUSTOM_FIELD_PREFIX,
  AUTOMATION_FIELDS,
  AUTOMATION_OPERATORS,
  AUTOMATION_VALUELESS_OPERATORS,
  type AutomationCondition,
  type AutomationConditionGroup,
  type AutomationConditions,
  type AutomationFieldSpec,
  type AutomationTrigger,
  WEEKDAYS,
} from '@allhands/contract'

/** Everything a rule's conditions may look at, loaded once per event (pure data: evaluation reads nothing else). */
export interface Facts {
  ticket: {
    id: number
    status: string
    priority: string
    inboxId: number
    channel: string
    teamId: number | null
    assigneeId: number | null
    tags: string[]
    subject: string
    custom: Record<string, unknown>
    createdAt: number
    updatedAt: number
    solvedAt: number | null
  }
  requester: { name: string; email: string | null; vip: boolean }
  organization: { name: string | null; tier: string | null }
  /** The message that triggered the rule (the opening one for a new ticket); null for time rules. */
  message: { id: number; body: string; from: string | null; fromCustomer: boolean; isFirst: boolean } | null
  sla: { metric: string } | null
  csat: { score: number | null } | null
  now: number
}

export type Problem = { path: string; message: string }

const HOUR = 3_600_000
const isGroup = (c: AutomationCondition | AutomationConditionGroup): c is AutomationConditionGroup => 'all' in c || 'any' in c

export function fieldSpec(field: string): AutomationFieldSpec | undefined {
  if (Object.hasOwn(AUTOMATION_FIELDS, field)) return AUTOMATION_FIELDS[field]
  if (field.startsWith(AUTOMATION_CUSTOM_FIELD_PREFIX) && /^[a-z][a-z0-9_]{0,39}$/.test(field.slice(AUTOMATION_CUSTOM_FIELD_PREFIX.length)))
    return { label: `Custom field ${field.slice(AUTOMATION_CUSTOM_FIELD_PREFIX.length)}`, type: 'text' }
  return undefined
}

/** The value a field has in the facts; undefined when the field does not apply (no message, no SLA…). */
export function fieldValue(facts: Facts, field: string): unknown {
  const t = facts.ticket
  if (field.startsWith(AUTOMATION_CUSTOM_FIELD_PREFIX)) {
    const key = field.slice(AUTOMATION_CUSTOM_FIELD_PREFIX.length)
    return Object.hasOwn(t.custom, key) ? t.custom[key] : null
  }
  const hours = (since: number | null) => (since === null ? null : (facts.now - since) / HOUR)
  const email = facts.requester.email
  switch (field) {
    case 'ticket.status':
      return t.status
    case 'ticket.priority':
      return t.priority
    case 'ticket.inbox':
      return t.inboxId
    case 'ticket.channel':
      return t.channel
    case 'ticket.team':
      return t.teamId
    case 'ticket.assignee':
      return t.assigneeId
    case 'ticket.tags':
      return t.tags
    case 'ticket.subject':
      return t.subject
    case 'requester.email':
      return email
    case 'requester.domain':
      return email?.includes('@') ? email.slice(email.lastIndexOf('@') + 1) : null
    case 'requester.name':
      return facts.requester.name
    case 'requester.vip':
      return facts.requester.vip
    case 'organization.name':
      return facts.organization.name
    case 'organization.tier':
      return facts.organization.tier
    case 'message.body':
      return facts.message ? facts.message.body : undefined
    case 'message.from':
      return facts.message ? facts.message.from : undefined
    case 'message.fromCustomer':
      return facts.message ? facts.message.fromCustomer : undefined
    case 'message.isFirst':
      return facts.message ? facts.message.isFirst : undefined
    case 'sla.metric':
      return facts.sla ? facts.sla.metric : undefined
    case 'csat.score':
      return facts.csat ? facts.csat.score : undefined
    case 'time.hoursSinceCreated':
      return hours(t.createdAt)
    case 'time.hoursSinceUpdated':
      return hours(t.updatedAt)
    case 'time.hoursSinceSolved':
      return hours(t.solvedAt)
    case 'time.hourOfDay':
      return new Date(facts.now).getUTCHours()
    case 'time.weekday':
      return WEEKDAYS[(new Date(facts.now).getUTCDay() + 6) % 7]
    default:
      return undefined
  }
}

const lower = (v: unknown) => (v === null || v === undefined ? '' : String(v).toLowerCase())
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v])

/** Whether one condition holds. A field that does not apply to the event (no message…) never matches. */
export function testCondition(c: AutomationCondition, facts: Facts): boolean {
  const spec = fieldSpec(c.field)
  if (!spec) return false
  const actual = fieldValue(facts, c.field)
  if (actual === undefined) return false
  const isSet = actual !== null && actual !== '' && !(Array.isArray(actual) && !actual.length)
  if (c.op === 'is_set') return isSet
  if (c.op === 'is_not_set') return !isSet
  const v = c.value
  switch (spec.type) {
    case 'enum':
    case 'ref': {
      const values = list(v).map((x) => (spec.type === 'ref' ? Number(x) : String(x)))
      const hit = values.includes(actual as never)
      if (c.op === 'is' || c.op === 'in') return hit
      if (c.op === 'is_not' || c.op === 'not_in') return !hit
      return false
    }
    case 'text': {
      const a = lower(actual)
      const b = lower(v)
      if (c.op === 'is') return a === b
      if (c.op === 'is_not') return a !== b
      if (c.op === 'contains') return a.includes(b)
      if (c.op === 'not_contains') return !a.includes(b)
      if (c.op === 'starts_with') return a.startsWith(b)
      if (c.op === 'ends_with') return a.endsWith(b)
      return false
    }
    case 'tags': {
      const tags = actual as string[]
      const wanted = list(v).map(lower)
      const hit = wanted.some((x) => tags.includes(x))
      return c.op === 'includes' ? hit : c.op === 'excludes' ? !hit : false
    }
    case 'boolean':
      return c.op === 'is' && actual === v
    case 'number': {
      if (actual === null || typeof v !== 'number') return false
      const a = Number(actual)
      if (c.op === 'eq') return a === v
      if (c.op === 'gt') return a > v
      if (c.op === 'gte') return a >= v
      if (c.op === 'lt') return a < v
      if (c.op === 'lte') return a <= v
      return false
    }
  }
}

function testGroup(g: AutomationConditionGroup | AutomationConditions, facts: Facts): boolean {
  const test = (c: AutomationCondition | AutomationConditionGroup) => (isGroup(c) ? testGroup(c, facts) : testCondition(c, facts))
  // An empty `all` matches every ticket; an empty `any` none.
  return 'all' in g ? g.all.every(test) : g.any.some(test)
}

/** Whether a rule's conditions hold for these facts: pure, no I/O. */
export const matches = (conditions: AutomationConditions, facts: Facts): boolean => testGroup(conditions, facts)

/** Fields that only exist for some triggers. */
const ONLY_FOR: Record<string, readonly AutomationTrigger[]> = {
  message: ['ticket.created', 'message.created'],
  sla: ['sla.warning', 'sla.breached'],
  csat: ['csat.rated'],
}

/** Each condition checked against the field list; problems name the condition by its path (`conditions.all[1]`). */
export function validateConditions(conditions: AutomationConditions, trigger: AutomationTrigger): Problem[] {
  const problems: Problem[] = []
  const walk = (g: AutomationConditionGroup | AutomationConditions, path: string, depth: number) => {
    const key = 'all' in g ? 'all' : 'any'
    const items = 'all' in g ? g.all : g.any
    items.forEach((c, i) => {
      const at = `${path}.${key}[${i}]`
      if (isGroup(c)) {
        if (depth > 0) problems.push({ path: at, message: 'Groups can be nested one level deep only' })
        else walk(c, at, depth + 1)
      } else problems.push(...validateCondition(c, trigger, at))
    })
  }
  walk(conditions, 'conditions', 0)
  return problems
}

function validateCondition(c: AutomationCondition, trigger: AutomationTrigger, path: string): Problem[] {
  const bad = (message: string) => [{ path, message: `${c.field} ${c.op}: ${message}` }]
  const spec = fieldSpec(c.field)
  if (!spec) return [{ path, message: `Unknown field "${c.field}"` }]
  const family = c.field.split('.')[0]!
  const allowed = ONLY_FOR[family]
  if (allowed && !allowed.includes(trigger)) return bad(`${family} fields are only available to ${allowed.join(', ')} rules`)
  const ops = AUTOMATION_OPERATORS[spec.type]
  if (!ops.includes(c.op)) return bad(`unknown operator for this field (use ${ops.join(', ')})`)
  const v = c.value
  if ((AUTOMATION_VALUELESS_OPERATORS as readonly string[]).includes(c.op)) return v === undefined || v === null ? [] : bad('this operator takes no value')
  const multi = c.op === 'in' || c.op === 'not_in' || c.op === 'includes' || c.op === 'excludes'
  if (multi && (!Array.isArray(v) || !v.length)) return bad('give a non-empty list of values')
  const values = multi ? (v as unknown[]) : [v]
  if (!multi && Array.isArray(v)) return bad('give one value, not a list')
  if (values.length > 100) return bad('give at most 100 values')
  if (values.some((x) => typeof x === 'string' && x.length > 500)) return bad('values are at most 500 characters')
  for (const x of values) {
    switch (spec.type) {
      case 'enum':
        if (typeof x !== 'string' || !spec.options!.includes(x)) return bad(`"${String(x)}" is not one of ${spec.options!.join(', ')}`)
        break
      case 'ref':
        if (typeof x !== 'number' || !Number.isInteger(x) || x < 1) return bad(`give the id of the ${spec.ref}`)
        break
      case 'text':
      case 'tags':
        if (typeof x !== 'string' || !x.trim()) return bad('give a non-empty text')
        break
      case 'boolean':
        if (typeof x !== 'boolean') return bad('give true or false')
        break
      case 'number':
        if (typeof x !== 'number' || !Number.isFinite(x)) return bad('give a number')
        break
    }
  }
  return []
}

/** The ids a rule's conditions refer to, so the service can check they exist. */
export function referencedIds(conditions: AutomationConditions): { path: string; ref: 'inbox' | 'team' | 'user'; id: number }[] {
  const out: { path: string; ref: 'inbox' | 'team' | 'user'; id: number }[] = []
  const walk = (g: AutomationConditionGroup | AutomationConditions, path: string) => {
    const key = 'all' in g ? 'all' : 'any'
    const items = 'all' in g ? g.all : g.any
    items.forEach((c, i) => {
      const at = `${path}.${key}[${i}]`
      if (isGroup(c)) {
        walk(c, at)
        return
      }
      const spec = fieldSpec(c.field)
      if (spec?.type === 'ref' && spec.ref) for (const id of list(c.value)) if (typeof id === 'number') out.push({ path: at, ref: spec.ref, id })
    })
  }
  walk(conditions, 'conditions')
  return out
}

/** Statuses a time rule requires at its top level (`all` with `ticket.status is/in`), to narrow its scan in SQL. */
export function requiredStatuses(conditions: AutomationConditions): string[] | null {
  if (!('all' in conditions)) return null
  for (const c of conditions.all) {
    if (isGroup(c) || c.field !== 'ticket.status') continue
    if (c.op === 'is' && typeof c.value === 'string') return [c.value]
    if (c.op === 'in' && Array.isArray(c.value)) return c.value.map(String)
  }
  return null
}
