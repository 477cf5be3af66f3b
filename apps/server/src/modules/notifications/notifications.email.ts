/** Plain-text body listing notifications with links to their tickets and to the person's preferences. */
export function notificationEmailText(items: { title: string; ticketId: number | null }[], publicUrl: string, intro?: string): string {
  const base = publicUrl.replace(/\/$/, '')
  const lines = items.map((i) => (i.ticketId ? `- ${i.title}\n  ${base}/tickets/${i.ticketId}` : `- ${i.title}`))
  return [
    ...(intro ? [intro, ''] : []),
    lines.join('\n\n'),
    '',
    `All notifications: ${base}/notifications`,
    `Choose what you receive by email: ${base}/settings/notifications`,
    '',
  ].join('\n')
}

/** The calendar day (YYYY-MM-DD) and hour (0–23) at `at` in a time zone. */
export function localDayAndHour(at: number, timeZone: string): { day: string; hour: number } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(at))
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '00'
  return { day: `${part('year')}-${part('month')}-${part('day')}`, hour: Number(part('hour')) }
}
