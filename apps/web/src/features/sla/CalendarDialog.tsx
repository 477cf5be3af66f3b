import type { SlaCalendarDto, SlaCalendarInput } from '@allhands/contract'
import { Alert, Button, Checkbox, Group, Modal, Select, Stack, Table, TagsInput, TextInput } from '@mantine/core'
import { useMutation } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { showError } from '../../lib/queries.ts'
import { slaApi } from './sla.api.ts'

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']
type Day = { open: boolean; start: string; end: string; extra: SlaCalendarInput['week'][number] }

const zones = (): string[] => {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] }
  return intl.supportedValuesOf?.('timeZone') ?? ['UTC']
}

/** Creates or edits a business-hours calendar: time zone, hours per weekday (overnight allowed), holidays. */
export function CalendarDialog({ calendar, onClose, onSaved }: { calendar: SlaCalendarDto | null; onClose: () => void; onSaved: () => void }) {
  const zoneOptions = useMemo(zones, [])
  const [name, setName] = useState(calendar?.name ?? '')
  const [timeZone, setTimeZone] = useState<string | null>(calendar?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC')
  const [days, setDays] = useState<Day[]>(() =>
    DAYS.map((_, i) => {
      const intervals = calendar?.week[i] ?? (i < 5 ? [{ start: '09:00', end: '17:00' }] : [])
      const first = intervals[0]
      return { open: !!first, start: first?.start ?? '09:00', end: first?.end ?? '17:00', extra: intervals.slice(1) }
    }),
  )
  const [holidays, setHolidays] = useState<string[]>(calendar?.holidays ?? [])
  const setDay = (i: number, patch: Partial<Day>) => setDays((d) => d.map((x, j) => (j === i ? { ...x, ...patch } : x)))
  const badHoliday = holidays.find((h) => !/^\d{4}-\d{2}-\d{2}$/.test(h))

  const save = useMutation({
    meta: { silent: true },
    mutationFn: () => {
      const input: SlaCalendarInput = {
        name: name.trim(),
        timeZone: timeZone ?? 'UTC',
        week: days.map((d) => (d.open ? [{ start: d.start, end: d.end }, ...d.extra] : [])),
        holidays,
      }
      return calendar ? slaApi.updateCalendar(calendar.id, input) : slaApi.createCalendar(input)
    },
    onSuccess: onSaved,
    onError: showError,
  })

  return (
    <Modal opened onClose={onClose} title={calendar ? `Edit ${calendar.name}` : 'New business-hours calendar'} size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          save.mutate()
        }}
      >
        <Stack>
          <Group grow>
            <TextInput label="Name" required maxLength={100} value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
            <Select label="Time zone" searchable required data={zoneOptions} value={timeZone} onChange={setTimeZone} />
          </Group>
          <Table aria-label="Weekly hours" withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Day</Table.Th>
                <Table.Th>Open</Table.Th>
                <Table.Th>From</Table.Th>
                <Table.Th>To</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {days.map((d, i) => (
                <Table.Tr key={DAYS[i]}>
                  <Table.Td>{DAYS[i]}</Table.Td>
                  <Table.Td>
                    <Checkbox aria-label={`${DAYS[i]} open`} checked={d.open} onChange={(e) => setDay(i, { open: e.currentTarget.checked })} />
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      aria-label={`${DAYS[i]} from`}
                      type="time"
                      disabled={!d.open}
                      value={d.start}
                      onChange={(e) => setDay(i, { start: e.currentTarget.value })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      aria-label={`${DAYS[i]} to`}
                      description={d.open && d.end <= d.start ? 'ends the next day' : undefined}
                      type="time"
                      disabled={!d.open}
                      value={d.end === '24:00' ? '00:00' : d.end}
                      onChange={(e) => setDay(i, { end: e.currentTarget.value === '00:00' ? '24:00' : e.currentTarget.value })}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <TagsInput
            label="Holidays"
            description="Local dates without working time, as YYYY-MM-DD (type and press Enter)"
            value={holidays}
            onChange={setHolidays}
            clearable
            error={badHoliday ? `${badHoliday} is not a YYYY-MM-DD date` : undefined}
          />
          {days.some((d) => d.extra.length > 0) && (
            <Alert color="blue">Some days have more than one interval (set through the API); the extra intervals are kept.</Alert>
          )}
          <Group justify="end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!name.trim() || !!badHoliday || !days.some((d) => d.open)}>
              {calendar ? 'Save calendar' : 'Create calendar'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
