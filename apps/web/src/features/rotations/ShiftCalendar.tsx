import type { ShiftDto } from '@allhands/contract'
import {
  ActionIcon,
  Badge,
  Box,
  Button,
  Group,
  Loader,
  Modal,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  UnstyledButton,
} from '@mantine/core'
import { IconChevronLeft, IconChevronRight } from '@tabler/icons-react'
import { useQuery } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { useCurrentUser, useTeams } from '../../lib/queries.ts'
import { ATTENDANCE_LABEL, rotationKeys, rotationsApi, shiftTimeLabel } from './rotations.api.ts'
import { ShiftActions } from './ShiftActions.tsx'

const DAY = 86_400_000
const COLORS = ['blue', 'grape', 'teal', 'orange', 'indigo', 'pink', 'cyan', 'lime']
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']

const startOfDay = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate())
const addDays = (d: Date, n: number) => new Date(d.getFullYear(), d.getMonth(), d.getDate() + n)
const mondayOf = (d: Date) => addDays(startOfDay(d), -((d.getDay() + 6) % 7))
const sameDay = (a: Date, b: Date) => a.toDateString() === b.toDateString()
const time = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })

/** The days a view shows: one week from Monday, or the whole weeks covering a month. */
function daysOf(view: 'week' | 'month', anchor: Date): Date[] {
  if (view === 'week') return Array.from({ length: 7 }, (_, i) => addDays(mondayOf(anchor), i))
  const first = new Date(anchor.getFullYear(), anchor.getMonth(), 1)
  const last = new Date(anchor.getFullYear(), anchor.getMonth() + 1, 0)
  const start = mondayOf(first)
  const weeks = Math.ceil((startOfDay(last).getTime() - start.getTime() + DAY) / (7 * DAY))
  return Array.from({ length: weeks * 7 }, (_, i) => addDays(start, i))
}

/** Week or month calendar of who is on duty; each chip opens the shift with what the viewer may do. */
export function ShiftCalendar({ rotations }: { rotations: { id: number; name: string }[] }) {
  const me = useCurrentUser()
  const teams = useTeams().data ?? []
  const [view, setView] = useState<'week' | 'month'>('week')
  const [anchor, setAnchor] = useState(() => startOfDay(new Date()))
  const [rotationId, setRotationId] = useState<string | null>(null)
  const [teamId, setTeamId] = useState<string | null>(null)
  const [onlyMe, setOnlyMe] = useState(false)
  const [openId, setOpenId] = useState<number | null>(null)
  const days = useMemo(() => daysOf(view, anchor), [view, anchor])
  const query = {
    from: days[0]!.getTime(),
    to: addDays(days[days.length - 1]!, 1).getTime(),
    rotationId: rotationId ? Number(rotationId) : undefined,
    teamId: teamId ? Number(teamId) : undefined,
    userId: onlyMe ? me.id : undefined,
  }
  const shifts = useQuery({ queryKey: rotationKeys.shifts(query), queryFn: () => rotationsApi.shifts(query) })
  const colorOf = (s: ShiftDto) => (s.rotation ? COLORS[rotations.findIndex((r) => r.id === s.rotation!.id) % COLORS.length] : 'gray') ?? 'gray'
  const move = (dir: -1 | 1) => setAnchor((a) => (view === 'week' ? addDays(a, 7 * dir) : new Date(a.getFullYear(), a.getMonth() + dir, 1)))
  const today = new Date()
  const title =
    view === 'week'
      ? `${days[0]!.toLocaleDateString([], { day: 'numeric', month: 'short' })} – ${days[6]!.toLocaleDateString([], { day: 'numeric', month: 'short', year: 'numeric' })}`
      : anchor.toLocaleDateString([], { month: 'long', year: 'numeric' })
  const open = shifts.data?.find((s) => s.id === openId) ?? null

  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="wrap">
        <Group gap="xs">
          <ActionIcon variant="default" onClick={() => move(-1)} aria-label={`Previous ${view}`}>
            <IconChevronLeft size={16} aria-hidden />
          </ActionIcon>
          <Button variant="default" size="xs" onClick={() => setAnchor(startOfDay(new Date()))}>
            Today
          </Button>
          <ActionIcon variant="default" onClick={() => move(1)} aria-label={`Next ${view}`}>
            <IconChevronRight size={16} aria-hidden />
          </ActionIcon>
          <Text fw={600} aria-live="polite" data-testid="calendar-range">
            {title}
          </Text>
          {shifts.isFetching && <Loader size="xs" aria-label="Loading shifts" />}
        </Group>
        <Group gap="xs">
          <Select
            aria-label="Rotation"
            placeholder="All rotations"
            clearable
            size="xs"
            data={rotations.map((r) => ({ value: String(r.id), label: r.name }))}
            value={rotationId}
            onChange={setRotationId}
          />
          <Select
            aria-label="Team"
            placeholder="All teams"
            clearable
            size="xs"
            data={teams.map((t) => ({ value: String(t.id), label: t.name }))}
            value={teamId}
            onChange={setTeamId}
          />
          <Switch label="Only me" size="xs" checked={onlyMe} onChange={(e) => setOnlyMe(e.currentTarget.checked)} />
          <SegmentedControl
            size="xs"
            value={view}
            onChange={(v) => setView(v as 'week' | 'month')}
            data={[
              { value: 'week', label: 'Week' },
              { value: 'month', label: 'Month' },
            ]}
            aria-label="Calendar view"
          />
        </Group>
      </Group>

      <SimpleGrid cols={7} spacing={4} role="grid" aria-label={`Shifts, ${title}`}>
        {WEEKDAYS.map((d) => (
          <Text key={d} size="xs" fw={600} c="dimmed" ta="center" role="columnheader">
            {d}
          </Text>
        ))}
        {days.map((day) => {
          const dayEnd = addDays(day, 1).getTime()
          const items = (shifts.data ?? []).filter((s) => s.startsAt < dayEnd && s.endsAt > day.getTime())
          const isToday = sameDay(day, today)
          const outside = view === 'month' && day.getMonth() !== anchor.getMonth()
          return (
            <Paper
              key={day.toISOString()}
              withBorder
              p={4}
              mih={view === 'week' ? 160 : 90}
              role="gridcell"
              aria-label={day.toLocaleDateString([], { weekday: 'long', day: 'numeric', month: 'long' })}
              aria-current={isToday ? 'date' : undefined}
              bg={isToday ? 'var(--mantine-color-blue-light)' : undefined}
              style={{ opacity: outside ? 0.55 : 1 }}
            >
              <Text size="xs" fw={isToday ? 700 : 500} mb={2}>
                {day.getDate()}
              </Text>
              <Stack gap={2}>
                {items.slice(0, view === 'month' ? 4 : 12).map((s) => (
                  <UnstyledButton
                    key={s.id}
                    onClick={() => setOpenId(s.id)}
                    aria-label={`${s.user.name}, ${shiftTimeLabel(s)}${s.rotation ? `, ${s.rotation.name}` : ''}`}
                    style={{
                      borderLeft: `3px solid var(--mantine-color-${colorOf(s)}-6)`,
                      background: `var(--mantine-color-${colorOf(s)}-light)`,
                      borderRadius: 4,
                      padding: '1px 4px',
                      outline: s.user.id === me.id ? `1px solid var(--mantine-color-${colorOf(s)}-6)` : undefined,
                    }}
                  >
                    <Text size="xs" lineClamp={1} fw={s.user.id === me.id ? 700 : 400}>
                      {s.user.name}
                    </Text>
                    <Text size="10px" c="dimmed" lineClamp={1}>
                      {time(s.startsAt)}–{time(s.endsAt)}
                    </Text>
                  </UnstyledButton>
                ))}
                {items.length > (view === 'month' ? 4 : 12) && (
                  <Text size="10px" c="dimmed">
                    +{items.length - (view === 'month' ? 4 : 12)} more
                  </Text>
                )}
              </Stack>
            </Paper>
          )
        })}
      </SimpleGrid>
      {shifts.data?.length === 0 && (
        <Text size="sm" c="dimmed" ta="center">
          Nobody is on duty in this {view}. Admins create rotations under Programs; shifts appear here.
        </Text>
      )}
      <Modal opened={open !== null} onClose={() => setOpenId(null)} title="Shift">
        {open && (
          <Stack gap="xs">
            <Text fw={600}>{open.user.name}</Text>
            <Text size="sm">{shiftTimeLabel(open)}</Text>
            <Group gap="xs">
              {open.rotation && <Badge variant="light">{open.rotation.name}</Badge>}
              <Badge color={ATTENDANCE_LABEL[open.attendance]?.color}>{ATTENDANCE_LABEL[open.attendance]?.label}</Badge>
              {open.reviewRequired && <Badge color="yellow">Replies reviewed</Badge>}
              {open.pendingSwapId && <Badge color="grape">Swap pending</Badge>}
            </Group>
            {open.startedAt && (
              <Text size="xs" c="dimmed">
                Started {time(open.startedAt)}
                {open.endedAt ? `, ended ${time(open.endedAt)}` : ''}
              </Text>
            )}
            <Box mt="xs">
              <ShiftActions shift={open} onDone={() => setOpenId(null)} />
            </Box>
          </Stack>
        )}
      </Modal>
    </Stack>
  )
}
