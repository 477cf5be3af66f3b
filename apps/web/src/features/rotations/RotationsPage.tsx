import { Badge, Loader, Stack, Tabs, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { MyShifts } from './MyShifts.tsx'
import { RotationPrograms } from './RotationPrograms.tsx'
import { rotationKeys, rotationsApi, useRotationsLive } from './rotations.api.ts'
import { ShiftCalendar } from './ShiftCalendar.tsx'
import { SwapInbox } from './SwapInbox.tsx'

type Tab = 'calendar' | 'mine' | 'swaps' | 'programs'

/** /rotations: the duty calendar, my shifts and quotas, swap requests, and the programs (admins manage them). */
export function RotationsPage() {
  useRotationsLive()
  const [tab, setTab] = useState<Tab>('calendar')
  const rotations = useQuery({ queryKey: rotationKeys.list, queryFn: rotationsApi.rotations })
  const swaps = useQuery({ queryKey: rotationKeys.swaps, queryFn: rotationsApi.swaps })
  const waiting = (swaps.data ?? []).filter((s) => s.canAccept || s.canApprove).length
  return (
    <Stack p="md">
      <Title order={1} size="h3">
        Rotations
      </Title>
      <Tabs value={tab} onChange={(v) => setTab((v as Tab) ?? 'calendar')} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="calendar">Calendar</Tabs.Tab>
          <Tabs.Tab value="mine">My shifts</Tabs.Tab>
          <Tabs.Tab
            value="swaps"
            rightSection={
              waiting ? (
                <Badge size="xs" circle aria-label={`${waiting} waiting`}>
                  {waiting}
                </Badge>
              ) : null
            }
          >
            Swap requests
          </Tabs.Tab>
          <Tabs.Tab value="programs">Programs</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="calendar" pt="md">
          {rotations.isPending ? <Loader size="sm" aria-label="Loading rotations" /> : <ShiftCalendar rotations={rotations.data ?? []} />}
        </Tabs.Panel>
        <Tabs.Panel value="mine" pt="md">
          <MyShifts />
        </Tabs.Panel>
        <Tabs.Panel value="swaps" pt="md">
          <SwapInbox />
        </Tabs.Panel>
        <Tabs.Panel value="programs" pt="md">
          {rotations.isPending ? <Loader size="sm" aria-label="Loading rotations" /> : <RotationPrograms rotations={rotations.data ?? []} />}
        </Tabs.Panel>
      </Tabs>
    </Stack>
  )
}
