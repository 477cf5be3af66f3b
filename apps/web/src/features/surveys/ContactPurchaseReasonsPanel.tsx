import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { fullTime, relativeTime } from '../../lib/format.ts'
import { surveyKeys, surveysApi } from './surveys.api.ts'

/** What this contact told us about why they bought (the "why did you buy?" survey), newest first. */
export function ContactPurchaseReasonsPanel({ contactId }: { contactId: number }) {
  const list = useQuery({
    queryKey: surveyKeys.contactPurchase(contactId),
    queryFn: () => surveysApi.contactPurchaseReasons(contactId),
    meta: { silent: true },
  })
  const items = list.data?.items ?? []
  if (!items.length) return null
  return (
    <section aria-label="Why they bought">
      <Title order={2} size="h5" mt="lg" mb="xs">
        Why they bought
      </Title>
      <Stack gap="xs">
        {items.map((r) => (
          <Paper key={r.responseId} withBorder p="sm">
            <Group justify="space-between" mb={4}>
              <Group gap={4}>
                {r.reasons.map((reason) => (
                  <Badge key={reason} variant="light" color="teal">
                    {reason}
                  </Badge>
                ))}
              </Group>
              <Text size="xs" c="dimmed" title={fullTime(r.createdAt)}>
                {r.orderRef ? `Order ${r.orderRef} · ` : ''}
                {relativeTime(r.createdAt)}
              </Text>
            </Group>
            {r.text && (
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {r.text}
              </Text>
            )}
          </Paper>
        ))}
      </Stack>
    </section>
  )
}
