import { Button, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { IconInbox } from '@tabler/icons-react'
import { useNavigate } from '@tanstack/react-router'
import { useMe } from '../../lib/queries.ts'
import { NextShiftHomeCard } from '../rotations/NextShiftHomeCard.tsx'
import { RideAlongHomeCard } from '../ride-along/RideAlongHomeCard.tsx'
import { ReviewsHomeCard } from '../reviews/ReviewsHomeCard.tsx'
import { QueueHomeCard } from '../queue/QueueHomeCard.tsx'
import { ConsultsHomeCard } from '../consults/ConsultsHomeCard.tsx'
import { ThisWeekHomeCard } from '../reports/ThisWeekHomeCard.tsx'
import { CsatHomeCard } from '../surveys/CsatHomeCard.tsx'
import { TrainingHomeCard } from '../courses/TrainingHomeCard.tsx'

const TRUST_LABEL = { observer: 'Observer', reviewed: 'Replies reviewed', trusted: 'Trusted', agent: 'Full agent' } as const

/** Where each person starts the day: their shift, what waits for them, and how far they have come. */
export function HomePage() {
  const me = useMe().data
  const navigate = useNavigate()
  if (!me) return null
  const openInbox = (e: React.MouseEvent) => {
    e.preventDefault()
    void navigate({ to: '/views/$viewId', params: { viewId: 'all_open' } })
  }
  const p = me.participation
  return (
    <Stack p="md" maw={1100}>
      <Group justify="space-between" align="end">
        <div>
          <Title order={1} size="h3">
            Hello, {me.user.name.split(' ')[0]}
          </Title>
          <Text c="dimmed" size="sm" data-testid="participation-summary">
            {TRUST_LABEL[p.trustLevel]} · clearance {p.clearance}
            {p.onShiftUntil ? ` · on shift until ${new Date(p.onShiftUntil).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}` : ''}
          </Text>
        </div>
        <Button component="a" href="/views/all_open" onClick={openInbox} variant="light" leftSection={<IconInbox size={16} aria-hidden />}>
          Open the inbox
        </Button>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        {/* issue 5 home cards */}
        <NextShiftHomeCard />
        <QueueHomeCard />
        <RideAlongHomeCard />
        <TrainingHomeCard />
        <ReviewsHomeCard />
        <ConsultsHomeCard />
        {/* issue 6 surveys home cards */}
        <CsatHomeCard />
        {/* issue 6 reports home cards */}
        <ThisWeekHomeCard />
        {/* issue 6 voc home cards */}
      </SimpleGrid>
    </Stack>
  )
}
