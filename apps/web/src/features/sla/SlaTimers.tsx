import type { TicketDto, TicketSla, TicketSlaTimer } from '@allhands/contract'
import { Badge, Group, Stack, Text, Title, Tooltip } from '@mantine/core'
import { IconClockPause } from '@tabler/icons-react'
import { useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { fullTime } from '../../lib/format.ts'
import { keys, queryClient } from '../../lib/queries.ts'
import { realtime } from '../../lib/realtime.ts'
import { METRIC_LABEL, slaApi, slaKeys } from './sla.api.ts'

/**
 * The server's "now", ticking every second: the offset between the server's clock (`GET /sla/clock`) and this
 * browser's is measured once and again after SLA events, so a wrong browser clock or a moved server clock does not
 * skew the countdown.
 */
export function useServerNow(): number {
  const skew = useQuery({ queryKey: slaKeys.skew, queryFn: slaApi.skew, staleTime: 5 * 60_000, meta: { silent: true } }).data ?? 0
  const [now, setNow] = useState(() => Date.now() + skew)
  useEffect(() => {
    setNow(Date.now() + skew)
    const timer = setInterval(() => setNow(Date.now() + skew), 1000)
    return () => clearInterval(timer)
  }, [skew])
  return now
}

/** Refetches tickets when the server says an SLA clock warned or breached (the clocks themselves tick locally). */
export function useSlaLiveUpdates(ticketId?: number) {
  useEffect(
    () =>
      realtime.onEvent((e) => {
        if (e.name !== 'sla.warning' && e.name !== 'sla.breached') return
        const id = Number(e.payload.ticketId)
        void queryClient.invalidateQueries({ queryKey: slaKeys.skew })
        if (ticketId === undefined) void queryClient.invalidateQueries({ queryKey: keys.ticketLists })
        else if (id === ticketId) {
          void queryClient.invalidateQueries({ queryKey: keys.ticket(id) })
          // A breach adds a line to the conversation.
          if (e.name === 'sla.breached') void queryClient.invalidateQueries({ queryKey: keys.messages(id) })
        }
      }),
    [ticketId],
  )
}

/** "1h 05m", "4m 09s", "2d 3h". */
export function formatDuration(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000)
  const d = Math.floor(s / 86400)
  const h = Math.floor((s % 86400) / 3600)
  const m = Math.floor((s % 3600) / 60)
  if (d) return `${d}d ${h}h`
  if (h) return `${h}h ${String(m).padStart(2, '0')}m`
  return `${m}m ${String(s % 60).padStart(2, '0')}s`
}

type Shown = { state: 'running' | 'warning' | 'breached' | 'paused' | 'achieved' | 'achieved_late'; text: string; color: string }

/** How a clock reads at the server time `now` (the server's state is the floor: it may only get worse locally). */
export function readTimer(t: TicketSlaTimer, now: number): Shown {
  if (t.state === 'achieved') return { state: 'achieved', text: 'Met', color: 'green' }
  if (t.state === 'achieved_late') return { state: 'achieved_late', text: 'Met late', color: 'gray' }
  if (t.state === 'paused' && t.dueAt === null) return { state: 'paused', text: `Paused · ${formatDuration(t.remainingMs ?? 0)} left`, color: 'blue' }
  if (t.dueAt !== null && (t.state === 'breached' || t.dueAt <= now))
    return { state: 'breached', text: `Breached ${formatDuration(now - t.dueAt)} ago`, color: 'red' }
  const left = t.dueAt === null ? 0 : t.dueAt - now
  if (t.state === 'warning' || (t.warnAt !== null && t.warnAt <= now)) return { state: 'warning', text: `${formatDuration(left)} left`, color: 'orange' }
  return { state: 'running', text: `${formatDuration(left)} left`, color: 'green' }
}

const running = (t: TicketSlaTimer) => t.achievedAt === null

/** The ticket's SLA clocks, counting live (ticket sidebar). */
export function TicketSlaPanel({ ticket }: { ticket: TicketDto }) {
  useSlaLiveUpdates(ticket.id)
  const sla = ticket.sla
  const now = useServerNow()
  if (!sla?.timers.length) return null
  const order = (t: TicketSlaTimer) => (running(t) ? 0 : 1)
  const timers = [...sla.timers].sort((a, b) => order(a) - order(b) || a.id - b.id)
  return (
    <section aria-label="SLA">
      <Title order={2} size="h6" mb={6}>
        SLA
      </Title>
      <Stack gap={6}>
        {timers.map((t) => {
          const shown = readTimer(t, now)
          return (
            <Group key={t.id} justify="space-between" gap="xs" wrap="nowrap" data-sla-metric={t.metric} data-sla-state={shown.state}>
              <Text size="sm">{METRIC_LABEL[t.metric]}</Text>
              <Tooltip
                label={
                  t.achievedAt !== null
                    ? `Met ${fullTime(t.achievedAt)}${t.breachedAt !== null ? ` (due ${fullTime(t.breachedAt)})` : ''}`
                    : t.dueAt !== null
                      ? `Due ${fullTime(t.dueAt)} · target ${t.targetMinutes} business minutes`
                      : `Paused since ${fullTime(t.pausedAt ?? 0)}`
                }
              >
                <Badge
                  color={shown.color}
                  variant={shown.state === 'achieved' || shown.state === 'achieved_late' ? 'light' : 'filled'}
                  leftSection={shown.state === 'paused' ? <IconClockPause size={12} aria-hidden /> : undefined}
                  aria-label={`${METRIC_LABEL[t.metric]}: ${shown.text}`}
                  tt="none"
                  style={{ fontVariantNumeric: 'tabular-nums' }}
                >
                  {shown.text}
                </Badge>
              </Tooltip>
            </Group>
          )
        })}
      </Stack>
    </section>
  )
}

/** The soonest running clock of a ticket, for list rows. */
export function SlaCell({ sla }: { sla: TicketSla | undefined }) {
  const now = useServerNow()
  const next = sla?.timers
    .filter((t) => running(t) && (t.dueAt !== null || t.pausedAt !== null))
    .sort((a, b) => (a.dueAt ?? Infinity) - (b.dueAt ?? Infinity))[0]
  if (!next)
    return (
      <Text size="xs" c="dimmed">
        —
      </Text>
    )
  const shown = readTimer(next, now)
  return (
    <Badge
      color={shown.color}
      variant="light"
      size="sm"
      tt="none"
      title={`${METRIC_LABEL[next.metric]}: ${shown.text}`}
      style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}
    >
      {shown.text}
    </Badge>
  )
}
