import { Badge, Card, Group, Loader, Stack, Text, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { RouterAnchor } from '../../lib/links.tsx'
import { isStaff, useCurrentUser } from '../../lib/queries.ts'
import { percent, ratingColor, ratingText, surveyKeys, surveysApi } from './surveys.api.ts'

const WEEK = 7 * 86_400_000

/** Home (support staff): CSAT of the last seven days and the latest comments customers left. */
export function CsatHomeCard() {
  const user = useCurrentUser()
  const staff = isStaff(user.role)
  // Rounded to the hour so the query key stays stable between renders.
  const from = Math.floor((Date.now() - WEEK) / 3_600_000) * 3_600_000
  const summary = useQuery({ queryKey: surveyKeys.csatSummary({ from }), queryFn: () => surveysApi.csatSummary({ from }), enabled: staff })
  const latestQuery = { from, limit: 20 }
  const latest = useQuery({ queryKey: surveyKeys.csatResponses(latestQuery), queryFn: () => surveysApi.csatResponses(latestQuery), enabled: staff })
  if (!staff) return null
  const comments = (latest.data?.items ?? []).filter((r) => r.comment).slice(0, 3)
  return (
    <Card withBorder component="section" aria-label="Customer satisfaction this week">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h5">
          Customer satisfaction, last 7 days
        </Title>
        {summary.data && summary.data.csat !== null && (
          <Badge color={summary.data.csat >= 0.8 ? 'green' : summary.data.csat >= 0.6 ? 'yellow' : 'red'} size="lg">
            {percent(summary.data.csat)}
          </Badge>
        )}
      </Group>
      {summary.isPending ? (
        <Loader size="sm" aria-label="Loading satisfaction" />
      ) : !summary.data?.rated ? (
        <Text size="sm" c="dimmed">
          No ratings this week yet. Requesters get a survey after their ticket is solved.
        </Text>
      ) : (
        <Stack gap="xs">
          <Text size="sm">
            {summary.data.rated} ratings · {percent(summary.data.responseRate)} response rate · {summary.data.bad} bad
          </Text>
          {comments.map((r) => (
            <Group key={r.id} gap={6} wrap="nowrap" align="start">
              <Badge size="xs" color={ratingColor(r.score)} variant="light" style={{ flexShrink: 0 }}>
                {ratingText(r)}
              </Badge>
              <RouterAnchor to="/tickets/$ticketId" params={{ ticketId: String(r.ticket.id) }} size="sm" lineClamp={2}>
                {r.comment}
              </RouterAnchor>
            </Group>
          ))}
        </Stack>
      )}
      <RouterAnchor to="/surveys" size="sm" mt="sm" display="block">
        All ratings
      </RouterAnchor>
    </Card>
  )
}
