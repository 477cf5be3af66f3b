import { Alert, Anchor, Badge, Card, Grid, Group, Loader, Stack, Text, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { fullTime, relativeTime } from '../../lib/format.ts'
import { RouterAnchor } from '../../lib/links.tsx'
import { ChartWithTable } from './SurveyResults.tsx'
import { surveyKeys, surveysApi } from './surveys.api.ts'

/** Why customers bought: chosen reasons counted, and the latest answers with what they wrote. */
export function PurchaseTab() {
  const summary = useQuery({ queryKey: surveyKeys.purchase, queryFn: surveysApi.purchaseSummary })
  if (summary.isPending) return <Loader size="sm" aria-label="Loading purchase reasons" />
  const s = summary.data
  if (!s) return null
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        Sent by your shop or billing system through <code>POST /api/v1/surveys/purchase-reason</code> (once per customer and order), or answered by anyone at{' '}
        <Anchor href={s.survey.url} target="_blank">
          {s.survey.url}
        </Anchor>
        .
      </Text>
      {s.responses === 0 ? (
        <Alert color="gray" title="No answers yet">
          Answers appear here and on each customer's profile.
        </Alert>
      ) : (
        <Grid>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Card withBorder>
              <Title order={2} size="h6" mb="xs">
                Reasons ({s.responses} answers)
              </Title>
              <ChartWithTable label="Reasons customers chose" rows={s.reasons.map((r) => ({ option: r.category, count: r.count }))} unit="Customers" />
            </Card>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Card withBorder>
              <Title order={2} size="h6" mb="xs">
                Latest answers
              </Title>
              <Stack gap="sm">
                {s.latest.map((r) => (
                  <Stack key={r.responseId} gap={2}>
                    <Group justify="space-between" gap={4}>
                      <Group gap={4}>
                        {r.reasons.map((reason) => (
                          <Badge key={reason} size="sm" variant="light" color="teal">
                            {reason}
                          </Badge>
                        ))}
                      </Group>
                      <Text size="xs" c="dimmed" title={fullTime(r.createdAt)}>
                        {relativeTime(r.createdAt)}
                      </Text>
                    </Group>
                    {r.text && (
                      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                        {r.text}
                      </Text>
                    )}
                    <Text size="xs" c="dimmed">
                      {r.contact ? (
                        <RouterAnchor to="/contacts/$contactId" params={{ contactId: String(r.contact.id) }} size="xs">
                          {r.contact.name}
                        </RouterAnchor>
                      ) : (
                        'By link'
                      )}
                      {r.orderRef ? ` · order ${r.orderRef}` : ''}
                    </Text>
                  </Stack>
                ))}
              </Stack>
            </Card>
          </Grid.Col>
        </Grid>
      )}
    </Stack>
  )
}
