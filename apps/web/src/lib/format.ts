import type { Priority, TicketStatus } from '@allhands/contract'

// Local copies of the contract enums: importing the values would pull the schema library into the bundle.
export const STATUSES: readonly TicketStatus[] = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed']
export const PRIORITIES: readonly Priority[] = ['low', 'normal', 'high', 'urgent']

export const STATUS_LABEL: Record<TicketStatus, string> = {
  new: 'New',
  open: 'Open',
  pending: 'Pending',
  on_hold: 'On hold',
  solved: 'Solved',
  closed: 'Closed',
}
export const STATUS_COLOR: Record<TicketStatus, string> = { new: 'yellow', open: 'red', pending: 'blue', on_hold: 'grape', solved: 'gray', closed: 'dark' }
export const PRIORITY_LABEL: Record<Priority, string> = { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' }
export const PRIORITY_COLOR: Record<Priority, string> = { low: 'gray', normal: 'blue', high: 'orange', urgent: 'red' }

export const statusOptions = STATUSES.map((s) => ({ value: s, label: STATUS_LABEL[s] }))
export const priorityOptions = PRIORITIES.map((p) => ({ value: p, label: PRIORITY_LABEL[p] }))

const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' })
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600_000],
  ['month', 30 * 24 * 3600_000],
  ['week', 7 * 24 * 3600_000],
  ['day', 24 * 3600_000],
  ['hour', 3600_000],
  ['minute', 60_000],
]

export function relativeTime(ts: number, now = Date.now()): string {
  const diff = ts - now
  for (const [unit, ms] of UNITS) if (Math.abs(diff) >= ms) return rtf.format(Math.round(diff / ms), unit)
  return 'just now'
}

export const fullTime = (ts: number) => new Date(ts).toLocaleString()

export const formatCount = (n: number) => (n > 10000 ? '10,000+' : n.toLocaleString('en-US'))

export const formatBytes = (n: number) => (n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(0)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`)

export const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((p) => p[0]!.toUpperCase())
    .join('')

/** The payload as readable JSON: indented when complete, as stored (cut) when it was too long to show whole. */
export function formatPayload(payload: string, truncated: boolean): string {
  if (truncated) return `${payload}…`
  try {
    return JSON.stringify(JSON.parse(payload), null, 2)
  } catch {
    return payload
  }
}
