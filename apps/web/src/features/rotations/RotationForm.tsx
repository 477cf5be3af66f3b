import type { CreateRotationInput, DailyHours, RecurrenceRule, RotationDto, RotationKind, Snippet, UpdateRotationInput } from '@allhands/contract'
import {
  ActionIcon,
  Button,
  Checkbox,
  Divider,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconPlus, IconTrash } from '@tabler/icons-react'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { showError, useTeams, useUsers } from '../../lib/queries.ts'
import { refreshRotations, rotationsApi } from './rotations.api.ts'

const WEEKDAY_LABELS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']
const localZone = Intl.DateTimeFormat().resolvedOptions().timeZone
const zones = (() => {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone')
  } catch {
    return [localZone, 'UTC']
  }
})()
const isoDay = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`

type Draft = {
  kind: RotationKind
  name: string
  timeZone: string
  userIds: string[]
  teamIds: string[]
  oncallTeamId: string | null
  quotaPerYear: number | ''
  swapRequiresApproval: boolean
  reviewRequired: boolean
  reminderLeadMinutes: number
  recurrence: RecurrenceRule
  startsOn: string
  days: number
  hours: DailyHours
  startsAt: string
  endsAt: string
  useDailyHours: boolean
  dailyHours: DailyHours
  snippets: (Snippet & { key: number })[]
}

function draftOf(kind: RotationKind, r?: RotationDto): Draft {
  const today = isoDay(new Date())
  const s = r?.schedule
  return {
    kind: r?.kind ?? kind,
    name: r?.name ?? (kind === 'all_hands' ? 'Holiday all-hands' : ''),
    timeZone: r?.timeZone ?? localZone,
    userIds: (r?.cohort.userIds ?? []).map(String),
    teamIds: (r?.cohort.teamIds ?? []).map(String),
    oncallTeamId: r?.oncallTeamId ? String(r.oncallTeamId) : null,
    quotaPerYear: r?.quotaPerYear ?? '',
    swapRequiresApproval: r?.swapRequiresApproval ?? false,
    reviewRequired: r?.reviewRequired ?? kind === 'all_hands',
    reminderLeadMinutes: r?.reminderLeadMinutes ?? 60,
    recurrence: s?.recurrence ?? { frequency: 'weekly', weekdays: [2], interval: 1, hours: { start: '09:00', end: '13:00' } },
    startsOn: s?.startsOn ?? today,
    days: s?.days ?? 5,
    hours: s?.hours ?? { start: '09:00', end: '17:00' },
    startsAt: s?.startsAt ?? today,
    endsAt: s?.endsAt ?? isoDay(new Date(Date.now() + 2 * 86_400_000)),
    useDailyHours: !!s?.dailyHours,
    dailyHours: s?.dailyHours ?? { start: '09:00', end: '17:00' },
    snippets: (r?.snippets ?? []).map((x, i) => ({ ...x, key: i })),
  }
}

function HoursInput({ label, value, onChange }: { label: string; value: DailyHours; onChange: (h: DailyHours) => void }) {
  return (
    <Group grow>
      <TextInput type="time" label={`${label}: from`} value={value.start} onChange={(e) => onChange({ ...value, start: e.currentTarget.value })} required />
      <TextInput type="time" label="to" value={value.end} onChange={(e) => onChange({ ...value, end: e.currentTarget.value })} required />
    </Group>
  )
}

/**
 * Create or edit a rotation program. Opened with kind 'all_hands' it is the all-hands switch: a date
 * range, the cohort, review by default and the snippet set, in one go.
 */
export function RotationForm({ opened, onClose, kind, rotation }: { opened: boolean; onClose: () => void; kind: RotationKind; rotation?: RotationDto }) {
  const users = useUsers().data ?? []
  const teams = useTeams().data ?? []
  const [d, setD] = useState<Draft>(() => draftOf(kind, rotation))
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((x) => ({ ...x, [k]: v }))
  const setRule = (patch: Partial<RecurrenceRule>) => setD((x) => ({ ...x, recurrence: { ...x.recurrence, ...patch } }))

  const common = () => ({
    name: d.name,
    timeZone: d.timeZone,
    cohort: { userIds: d.userIds.map(Number), teamIds: d.teamIds.map(Number) },
    oncallTeamId: d.oncallTeamId ? Number(d.oncallTeamId) : null,
    quotaPerYear: d.quotaPerYear === '' ? null : d.quotaPerYear,
    swapRequiresApproval: d.swapRequiresApproval,
    reviewRequired: d.reviewRequired,
    reminderLeadMinutes: d.reminderLeadMinutes,
    snippets: d.snippets.filter((s) => s.title.trim() && s.body.trim()).map(({ title, body }) => ({ title, body })),
  })
  const schedule = () => {
    const rule: RecurrenceRule = { frequency: d.recurrence.frequency, weekdays: d.recurrence.weekdays, hours: d.recurrence.hours }
    if (d.recurrence.frequency === 'weekly') rule.interval = d.recurrence.interval ?? 1
    if (d.recurrence.frequency === 'monthly') rule.nth = d.recurrence.nth ?? 1
    if (d.recurrence.frequency === 'yearly') rule.week = d.recurrence.week ?? 1
    if (d.recurrence.startsOn) rule.startsOn = d.recurrence.startsOn
    return rule
  }
  const save = useMutation({
    mutationFn: () => {
      if (rotation) {
        const patch: UpdateRotationInput = { ...common() }
        if (d.kind === 'recurring') patch.schedule = schedule()
        if (d.kind === 'onboarding') Object.assign(patch, { startsOn: d.startsOn, days: d.days, hours: d.hours })
        if (d.kind === 'all_hands') Object.assign(patch, { startsAt: d.startsAt, endsAt: d.endsAt, dailyHours: d.useDailyHours ? d.dailyHours : null })
        return rotationsApi.updateRotation(rotation.id, patch)
      }
      const input: CreateRotationInput =
        d.kind === 'recurring'
          ? { kind: 'recurring', ...common(), schedule: schedule() }
          : d.kind === 'onboarding'
            ? { kind: 'onboarding', ...common(), startsOn: d.startsOn, days: d.days, hours: d.hours }
            : { kind: 'all_hands', ...common(), startsAt: d.startsAt, endsAt: d.endsAt, dailyHours: d.useDailyHours ? d.dailyHours : null }
      return rotationsApi.createRotation(input)
    },
    onSuccess: (r) => {
      notifications.show({ color: 'green', message: rotation ? `${r.name} saved` : `${r.name} created` })
      void refreshRotations()
      onClose()
    },
    onError: showError,
  })

  const title = rotation ? `Edit ${rotation.name}` : d.kind === 'all_hands' ? 'Start an all-hands window' : 'New rotation'
  return (
    <Modal opened={opened} onClose={onClose} title={title} size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          save.mutate()
        }}
      >
        <Stack gap="sm">
          {!rotation && (
            <SegmentedControl
              aria-label="Kind of rotation"
              value={d.kind}
              onChange={(v) => setD(draftOf(v as RotationKind))}
              data={[
                { value: 'recurring', label: 'Recurring' },
                { value: 'onboarding', label: 'Onboarding' },
                { value: 'all_hands', label: 'All-hands window' },
              ]}
            />
          )}
          <TextInput label="Name" value={d.name} onChange={(e) => set('name', e.currentTarget.value)} required maxLength={120} data-autofocus />
          <Select
            label="Time zone"
            description="Shifts are planned in this zone's wall-clock time"
            searchable
            // Chromium lists canonical zones only: a browser in "UTC" (or a rotation saved with an alias) would show an empty field.
            data={zones.includes(d.timeZone) ? zones : [d.timeZone, ...zones]}
            value={d.timeZone}
            onChange={(v) => v && set('timeZone', v)}
          />

          {d.kind === 'recurring' && (
            <Stack gap="xs">
              <Select
                label="Repeats"
                data={[
                  { value: 'weekly', label: 'Every week (or every few weeks)' },
                  { value: 'monthly', label: 'One day a month' },
                  { value: 'yearly', label: 'One week a year' },
                ]}
                value={d.recurrence.frequency}
                onChange={(v) => v && setRule({ frequency: v as RecurrenceRule['frequency'] })}
              />
              <Checkbox.Group label="On" value={d.recurrence.weekdays.map(String)} onChange={(v) => setRule({ weekdays: v.map(Number).sort() })}>
                <Group gap="xs" mt={4}>
                  {WEEKDAY_LABELS.map((l, i) => (
                    <Checkbox key={l} value={String(i + 1)} label={l} />
                  ))}
                </Group>
              </Checkbox.Group>
              {d.recurrence.frequency === 'weekly' && (
                <NumberInput
                  label="Every how many weeks"
                  min={1}
                  max={12}
                  value={d.recurrence.interval ?? 1}
                  onChange={(v) => setRule({ interval: Number(v) || 1 })}
                />
              )}
              {d.recurrence.frequency === 'monthly' && (
                <Select
                  label="Which one in the month"
                  data={[
                    { value: '1', label: 'First' },
                    { value: '2', label: 'Second' },
                    { value: '3', label: 'Third' },
                    { value: '4', label: 'Fourth' },
                    { value: '-1', label: 'Last' },
                  ]}
                  value={String(d.recurrence.nth ?? 1)}
                  onChange={(v) => v && setRule({ nth: Number(v) as RecurrenceRule['nth'] })}
                />
              )}
              {d.recurrence.frequency === 'yearly' && (
                <NumberInput label="ISO week of the year" min={1} max={52} value={d.recurrence.week ?? 1} onChange={(v) => setRule({ week: Number(v) || 1 })} />
              )}
              <HoursInput label="Hours" value={d.recurrence.hours} onChange={(hours) => setRule({ hours })} />
              <TextInput
                type="date"
                label="First day (optional)"
                value={d.recurrence.startsOn ?? ''}
                onChange={(e) => setRule({ startsOn: e.currentTarget.value || undefined })}
              />
            </Stack>
          )}
          {d.kind === 'onboarding' && (
            <Stack gap="xs">
              <SimpleGrid cols={2}>
                <TextInput type="date" label="First day" value={d.startsOn} onChange={(e) => set('startsOn', e.currentTarget.value)} required />
                <NumberInput label="Working days" min={1} max={60} value={d.days} onChange={(v) => set('days', Number(v) || 1)} />
              </SimpleGrid>
              <HoursInput label="Hours each day" value={d.hours} onChange={(h) => set('hours', h)} />
            </Stack>
          )}
          {d.kind === 'all_hands' && (
            <Stack gap="xs">
              <SimpleGrid cols={2}>
                <TextInput type="date" label="From" value={d.startsAt} onChange={(e) => set('startsAt', e.currentTarget.value)} required />
                <TextInput type="date" label="To (inclusive)" value={d.endsAt} onChange={(e) => set('endsAt', e.currentTarget.value)} required />
              </SimpleGrid>
              <Switch
                label="Only during daily hours"
                description="Off: access runs the whole window, day and night"
                checked={d.useDailyHours}
                onChange={(e) => set('useDailyHours', e.currentTarget.checked)}
              />
              {d.useDailyHours && <HoursInput label="Daily hours" value={d.dailyHours} onChange={(h) => set('dailyHours', h)} />}
            </Stack>
          )}

          <Divider label={d.kind === 'all_hands' ? 'Cohort' : 'Enrolment'} labelPosition="left" />
          <MultiSelect
            label="People"
            searchable
            data={users.filter((u) => u.isActive).map((u) => ({ value: String(u.id), label: u.name }))}
            value={d.userIds}
            onChange={(v) => set('userIds', v)}
          />
          <MultiSelect
            label="Teams"
            description="Everyone in the team when shifts are generated"
            data={teams.map((t) => ({ value: String(t.id), label: t.name }))}
            value={d.teamIds}
            onChange={(v) => set('teamIds', v)}
          />

          <Divider label="Rules" labelPosition="left" />
          <SimpleGrid cols={2}>
            <NumberInput
              label="Quota per person per year"
              min={1}
              max={366}
              value={d.quotaPerYear}
              onChange={(v) => set('quotaPerYear', v === '' ? '' : Number(v))}
            />
            <NumberInput
              label="Reminder (minutes before)"
              min={0}
              max={10080}
              value={d.reminderLeadMinutes}
              onChange={(v) => set('reminderLeadMinutes', Number(v) || 0)}
            />
          </SimpleGrid>
          {d.kind === 'recurring' && (
            <Select
              label="On-call rota for team (optional)"
              description="Consults to this team go to whoever is on shift"
              clearable
              data={teams.map((t) => ({ value: String(t.id), label: t.name }))}
              value={d.oncallTeamId}
              onChange={(v) => set('oncallTeamId', v)}
            />
          )}
          <Switch
            label="Swaps need an admin's approval"
            checked={d.swapRequiresApproval}
            onChange={(e) => set('swapRequiresApproval', e.currentTarget.checked)}
          />
          <Switch
            label="Review every customer reply during these shifts"
            checked={d.reviewRequired}
            onChange={(e) => set('reviewRequired', e.currentTarget.checked)}
          />

          <Divider label="Snippets in the composer during these shifts" labelPosition="left" />
          {d.snippets.length === 0 && (
            <Text size="xs" c="dimmed">
              No snippets. Add ready-made answers the cohort can insert with one click.
            </Text>
          )}
          {d.snippets.map((s, i) => (
            <Group key={s.key} align="start" wrap="nowrap">
              <Stack gap={4} style={{ flex: 1 }}>
                <TextInput
                  aria-label={`Snippet ${i + 1} title`}
                  placeholder="Title"
                  value={s.title}
                  maxLength={80}
                  onChange={(e) =>
                    set(
                      'snippets',
                      d.snippets.map((x, j) => (j === i ? { ...x, title: e.currentTarget.value } : x)),
                    )
                  }
                />
                <Textarea
                  aria-label={`Snippet ${i + 1} text`}
                  placeholder="Text"
                  autosize
                  minRows={2}
                  maxLength={4000}
                  value={s.body}
                  onChange={(e) =>
                    set(
                      'snippets',
                      d.snippets.map((x, j) => (j === i ? { ...x, body: e.currentTarget.value } : x)),
                    )
                  }
                />
              </Stack>
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={`Remove snippet ${i + 1}`}
                onClick={() =>
                  set(
                    'snippets',
                    d.snippets.filter((_, j) => j !== i),
                  )
                }
              >
                <IconTrash size={16} aria-hidden />
              </ActionIcon>
            </Group>
          ))}
          <Button
            variant="subtle"
            size="xs"
            leftSection={<IconPlus size={14} aria-hidden />}
            onClick={() => set('snippets', [...d.snippets, { title: '', body: '', key: Math.max(0, ...d.snippets.map((x) => x.key + 1)) }])}
            w="fit-content"
          >
            Add snippet
          </Button>

          <Group justify="end" mt="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {rotation ? 'Save' : d.kind === 'all_hands' ? 'Switch on all-hands' : 'Create rotation'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
