import { Card, Group, SimpleGrid, Skeleton, Text, Title } from '@mantine/core'
import { RouterAnchor } from '../../lib/links.tsx'
import { useMe } from '../../lib/queries.ts'
import { mayViewReports, useSummary } from './reports.api.ts'
import { count, percent, seconds } from './reports.format.ts'
import { isoDay } from './reports.search.ts'

/** Monday of this week (UTC), the start of the home card's range. */
function weekStart(today = new Date()): string {
  const monday = new Date(today)
  monday.setUTCDate(today.getUTCDate() - ((today.getUTCDay() + 6) % 7))
  return isoDay(monday)
}

/** Home: this week's CSAT, first response median and solved tickets, for support staff. */
export function ThisWeekHomeCard() {
  const me = useMe().data
  const allowed = mayViewReports(me)
  const range = { from: weekStart(), to: isoDay(new Date()), scope: 'all' }
  const summary = useSummary(range, allowed)
  if (!allowed) return null
  const m = summary.data?.metrics
  const stats = m
    ? [
        { label: 'CSAT', value: percent(m.csat.rate), detail: `${count(m.csat.denominator)} ratings` },
        { label: 'First response', value: seconds(m.firstResponse.medianSeconds), detail: 'median' },
        { label: 'Solved', value: count(m.solved), detail: `${count(m.created)} created` },
      ]
    : []
  return (
    <Card withBorder component="section" aria-label="This week">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h5">
          This week
        </Title>
        <Text size="xs" c="dimmed">
          since Monday (UTC)
        </Text>
      </Group>
      {summary.isError ? (
        <Text size="sm" c="dimmed">
          The numbers for this week are not available right now.
        </Text>
      ) : !m ? (
        <Skeleton h={56} aria-label="Loading this week's numbers" />
      ) : (
        <SimpleGrid cols={3}>
          {stats.map((s) => (
            <div key={s.label}>
              <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
                {s.label}
              </Text>
              <Text size="lg" fw={700}>
                {s.value}
              </Text>
              <Text size="xs" c="dimmed">
                {s.detail}
              </Text>
            </div>
          ))}
        </SimpleGrid>
      )}
      <RouterAnchor to="/reports" size="sm" mt="sm" display="block">
        All reports
      </RouterAnchor>
    </Card>
  )
}
