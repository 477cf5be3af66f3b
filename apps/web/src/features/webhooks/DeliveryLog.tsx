import type { WebhookDeliveryDto, WebhookDeliveryStatus, WebhookDto } from '@allhands/contract'
import { Alert, Button, Group, Loader, Select, Stack, Table, Text, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconInbox } from '@tabler/icons-react'
import { useInfiniteQuery, useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { queryClient, showError } from '../../lib/queries.ts'
import { DeliveryRow } from './DeliveryRow.tsx'
import { DELIVERY_STATUS_LABEL, LOG_REFRESH_MS, webhookKeys, webhooksApi } from './webhooks.api.ts'

const STATUS_OPTIONS = (Object.keys(DELIVERY_STATUS_LABEL) as WebhookDeliveryStatus[]).map((s) => ({ value: s, label: DELIVERY_STATUS_LABEL[s] }))

/** A webhook's delivery log, newest first; it refreshes by itself while a delivery is queued or retrying. */
export function DeliveryLog({ webhook }: { webhook: WebhookDto }) {
  const [status, setStatus] = useState<WebhookDeliveryStatus | null>(null)
  const log = useInfiniteQuery({
    queryKey: webhookKeys.deliveries(webhook.id, status),
    queryFn: ({ pageParam }) => webhooksApi.deliveries(webhook.id, { cursor: pageParam, status: status ?? undefined }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: (query) =>
      query.state.data?.pages.some((p) => p.items.some((d) => d.status === 'pending' || d.status === 'retrying')) ? LOG_REFRESH_MS : false,
  })
  const redeliver = useMutation({
    meta: { silent: true },
    mutationFn: (d: WebhookDeliveryDto) => webhooksApi.redeliver(webhook.id, d.id),
    onSuccess: (d) => notifications.show({ color: 'green', message: `Delivery ${d.id} (${d.event}) is queued again.` }),
    onError: showError,
    onSettled: () => queryClient.invalidateQueries({ queryKey: webhookKeys.all }),
  })
  const deliveries = log.data?.pages.flatMap((p) => p.items) ?? []

  return (
    <Stack gap="xs" component="section" aria-label={`Deliveries of ${webhook.url}`}>
      <Group justify="space-between" align="end">
        <Stack gap={0}>
          <Title order={3} size="h5">
            Deliveries
          </Title>
          <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
            {webhook.url} · kept 30 days
          </Text>
        </Stack>
        <Group gap="xs" align="end">
          <Select
            label="Status"
            placeholder="Any status"
            data={STATUS_OPTIONS}
            value={status}
            onChange={(v) => setStatus(v as WebhookDeliveryStatus | null)}
            clearable
            w={180}
          />
          <Button variant="default" loading={log.isRefetching} onClick={() => void log.refetch()} aria-label="Refresh deliveries">
            Refresh
          </Button>
        </Group>
      </Group>
      {log.isError && (
        <Alert color="red" title="The delivery log could not be loaded">
          {log.error.message}
        </Alert>
      )}
      {log.isPending ? (
        <Loader size="sm" aria-label="Loading deliveries" />
      ) : deliveries.length === 0 && !log.isError ? (
        <Alert color="gray" variant="light" icon={<IconInbox size={18} />} title="No deliveries yet" data-testid="webhook-deliveries-empty">
          {status
            ? `No ${DELIVERY_STATUS_LABEL[status].toLowerCase()} deliveries.`
            : 'Deliveries show up here when a subscribed event happens. Send a test to check the receiver now.'}
        </Alert>
      ) : (
        <>
          <Table aria-label="Webhook deliveries" verticalSpacing="xs" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Event</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Attempts</Table.Th>
                <Table.Th>Answer</Table.Th>
                <Table.Th>When</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {deliveries.map((d) => (
                <DeliveryRow
                  key={d.id}
                  delivery={d}
                  redelivering={redeliver.isPending && redeliver.variables?.id === d.id}
                  onRedeliver={(x) => redeliver.mutate(x)}
                />
              ))}
            </Table.Tbody>
          </Table>
          {log.hasNextPage && (
            <Button variant="default" w="fit-content" loading={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
              Load more
            </Button>
          )}
        </>
      )}
    </Stack>
  )
}
