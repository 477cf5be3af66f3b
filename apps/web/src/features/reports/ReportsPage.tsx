import { Alert, Group, Select, SegmentedControl, Stack, Tabs, Text, TextInput, Title } from '@mantine/core'
import { IconActivity, IconChartBar, IconChartLine, IconUsersGroup } from '@tabler/icons-react'
import { useNavigate, useSearch } from '@tanstack/react-router'
import { useEffect, useState } from 'react'
import { useInboxes, useMe, useTeams } from '../../lib/queries.ts'
import { BreakdownTab } from './BreakdownTab.tsx'
import { CohortsTab } from './CohortsTab.tsx'
import { LiveTab } from './LiveTab.tsx'
import { OverviewTab } from './OverviewTab.tsx'
import { mayViewReports, useReportsLive } from './reports.api.ts'
import { customRangeError, type RangePreset, type ReportsSearch, type ReportsState, type ReportsTab, parseReportsSearch } from './reports.search.ts'

const PRESET_OPTIONS: { value: RangePreset; label: string }[] = [
  { value: '7d', label: '7 days' },
  { value: '30d', label: '30 days' },
  { value: '90d', label: '90 days' },
  { value: 'month', label: 'This month' },
  { value: 'custom', label: 'Custom' },
]

/** Changes some of the URL's report params, keeping the others (so every view stays linkable). */
export type SetSearch = (patch: ReportsSearch) => void

/** /reports: Overview, Cohorts, Breakdown and Live, with the date range and scope in the URL. */
export function ReportsPage() {
  const me = useMe().data
  const search = useSearch({ strict: false }) as ReportsSearch
  const navigate = useNavigate()
  const state = parseReportsSearch(search)
  const setSearch: SetSearch = (patch) => void navigate({ to: '/reports', search: (prev: ReportsSearch) => ({ ...prev, ...patch }), replace: true })
  useReportsLive()

  if (me && !mayViewReports(me))
    return (
      <Alert m="md" color="gray" title="Reports are for support agents and admins">
        Ask an admin if you need numbers about your team.
      </Alert>
    )

  return (
    <Stack p="md" maw={1400}>
      <Group justify="space-between" align="end" wrap="wrap">
        <div>
          <Title order={1} size="h3">
            Reports
          </Title>
          <Text size="sm" c="dimmed">
            Are customers better or worse off when the whole company answers? Dates are UTC days.
          </Text>
        </div>
        {state.tab !== 'live' && <RangeControls state={state} setSearch={setSearch} />}
      </Group>
      <Tabs value={state.tab} onChange={(v) => v && setSearch({ tab: v as ReportsTab })} keepMounted={false}>
        <Tabs.List aria-label="Report views">
          <Tabs.Tab value="overview" leftSection={<IconChartLine size={16} aria-hidden />}>
            Overview
          </Tabs.Tab>
          <Tabs.Tab value="cohorts" leftSection={<IconUsersGroup size={16} aria-hidden />}>
            Cohorts
          </Tabs.Tab>
          <Tabs.Tab value="breakdown" leftSection={<IconChartBar size={16} aria-hidden />}>
            Breakdown
          </Tabs.Tab>
          <Tabs.Tab value="live" leftSection={<IconActivity size={16} aria-hidden />}>
            Live
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="overview" pt="md">
          <OverviewTab state={state} setSearch={setSearch} />
        </Tabs.Panel>
        <Tabs.Panel value="cohorts" pt="md">
          <CohortsTab state={state} setSearch={setSearch} />
        </Tabs.Panel>
        <Tabs.Panel value="breakdown" pt="md">
          <BreakdownTab state={state} setSearch={setSearch} />
        </Tabs.Panel>
        <Tabs.Panel value="live" pt="md">
          <LiveTab />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  )
}

/** Date range presets, a custom range with two date inputs, and the scope (everything, an inbox or a team). */
function RangeControls({ state, setSearch }: { state: ReportsState; setSearch: SetSearch }) {
  const inboxes = useInboxes()
  const teams = useTeams()
  const [from, setFrom] = useState(state.range.from)
  const [to, setTo] = useState(state.range.to)
  // Follow the URL when it changes (a preset, back/forward).
  useEffect(() => {
    setFrom(state.range.from)
    setTo(state.range.to)
  }, [state.range.from, state.range.to])
  const error = state.preset === 'custom' || from !== state.range.from || to !== state.range.to ? customRangeError(from, to) : null
  const applyCustom = (f: string, t: string) => {
    setFrom(f)
    setTo(t)
    if (!customRangeError(f, t)) setSearch({ range: 'custom', from: f, to: t })
  }
  const scopeOptions = [
    { group: 'Everything', items: [{ value: 'all', label: 'All tickets' }] },
    { group: 'Inboxes', items: (inboxes.data ?? []).map((i) => ({ value: `inbox:${i.id}`, label: i.name })) },
    { group: 'Teams', items: (teams.data ?? []).map((t) => ({ value: `team:${t.id}`, label: t.name })) },
  ]
  return (
    <Group gap="sm" align="end" wrap="wrap">
      <SegmentedControl
        size="xs"
        aria-label="Date range"
        data={PRESET_OPTIONS}
        value={state.preset}
        onChange={(v) =>
          v === 'custom' ? setSearch({ range: 'custom', from: state.range.from, to: state.range.to }) : setSearch({ range: v, from: undefined, to: undefined })
        }
      />
      {state.preset === 'custom' && (
        <>
          <TextInput size="xs" type="date" label="From" value={from} max={to} onChange={(e) => applyCustom(e.currentTarget.value, to)} error={error} />
          <TextInput size="xs" type="date" label="To" value={to} min={from} onChange={(e) => applyCustom(from, e.currentTarget.value)} />
        </>
      )}
      <Select
        size="xs"
        label="Scope"
        data={scopeOptions}
        value={state.range.scope}
        onChange={(v) => setSearch({ scope: v && v !== 'all' ? v : undefined })}
        allowDeselect={false}
        w={200}
        searchable
      />
    </Group>
  )
}
