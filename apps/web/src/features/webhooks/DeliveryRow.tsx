import type { WebhookDeliveryDto } from '@allhands/contract'
import { Badge, Button, Code, Group, SimpleGrid, Stack, Table, Text } from '@mantine/core'
import { IconRefresh } from '@tabler/icons-react'
import { useState } from 'react'
import { ExpandButton } from '../../lib/expand-button.tsx'
import { formatPayload, fullTime, relativeTime } from '../../lib/format.ts'
import { DELIVERY_STATUS_COLOR, DELIVERY_STATUS_LABEL } from './webhooks.api.ts'

const COLUMNS = 6

const headerLines = (headers: Record<string, string>) =>
  Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')

/** One delivery: event, status, attempts, answer and when; the request and the answer open below the row. */
export function DeliveryRow({
  delivery,
  redelivering,
  onRedeliver,
}: {
  delivery: WebhookDeliveryDto
  redelivering: boolean
  onRedeliver: (d: WebhookDeliveryDto) => void
}) {
  const [open, setOpen] = useState(false)
  const detailsId = `delivery-${delivery.id}-details`
  const queued = delivery.status === 'pending' || delivery.status === 'retrying'
  return (
    <>
      <Table.Tr data-delivery-id={delivery.id}>
        <Table.Td>
          <Code>{delivery.event}</Code>
        </Table.Td>
        <Table.Td>
          <Badge variant="light" color={DELIVERY_STATUS_COLOR[delivery.status]}>
            {DELIVERY_STATUS_LABEL[delivery.status]}
          </Badge>
        </Table.Td>
        <Table.Td aria-label={`${delivery.attempts} attempts`}>{delivery.attempts}</Table.Td>
        <Table.Td style={{ maxWidth: 320 }}>
          <Text size="sm">
            {delivery.responseStatus ?? '—'}
            {delivery.durationMs !== null && (
              <Text span size="xs" c="dimmed">
                {' '}
                · {delivery.durationMs} ms
              </Text>
            )}
          </Text>
          {delivery.error && (
            <Text size="xs" c="red" lineClamp={2} title={delivery.error} style={{ wordBreak: 'break-word' }}>
              {delivery.error}
            </Text>
          )}
        </Table.Td>
        <Table.Td style={{ whiteSpace: 'nowrap' }}>
          <Text size="sm" title={fullTime(delivery.lastAttemptAt ?? delivery.createdAt)}>
            {relativeTime(delivery.lastAttemptAt ?? delivery.createdAt)}
          </Text>
        </Table.Td>
        <Table.Td>
          <Group gap={4} wrap="nowrap" justify="end">
            <ExpandButton open={open} controls={detailsId} label={`Details of delivery ${delivery.id}`} onToggle={() => setOpen((v) => !v)}>
              Details
            </ExpandButton>
            <Button
              size="compact-xs"
              variant="light"
              leftSection={<IconRefresh size={14} />}
              disabled={queued}
              loading={redelivering}
              aria-label={`Redeliver delivery ${delivery.id}`}
              onClick={() => onRedeliver(delivery)}
            >
              Redeliver
            </Button>
          </Group>
        </Table.Td>
      </Table.Tr>
      {open && (
        <Table.Tr id={detailsId}>
          <Table.Td colSpan={COLUMNS}>
            <section aria-label={`Delivery ${delivery.id}`}>
              <SimpleGrid cols={{ base: 1, md: 2 }}>
                <Stack gap={4}>
                  <Text size="sm" fw={600}>
                    Request
                  </Text>
                  <Text size="xs" c="dimmed">
                    webhook-id <Code>{delivery.messageId}</Code> — the same on every attempt and redelivery
                  </Text>
                  {delivery.requestHeaders && (
                    <Code block aria-label="Request headers" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                      {headerLines(delivery.requestHeaders)}
                    </Code>
                  )}
                  {delivery.requestBody === null ? (
                    <Text size="xs" c="dimmed">
                      Not sent yet: the body is built at the first attempt.
                    </Text>
                  ) : (
                    <Code block aria-label="Request body" style={{ maxHeight: 320, overflow: 'auto' }}>
                      {formatPayload(delivery.requestBody, delivery.requestBodyTruncated)}
                    </Code>
                  )}
                  {delivery.payloadTruncated && (
                    <Text size="xs" c="dimmed">
                      The event was too large to send whole: the body carries its ids only.
                    </Text>
                  )}
                </Stack>
                <Stack gap={4}>
                  <Text size="sm" fw={600}>
                    Response {delivery.responseStatus !== null && <Code>{delivery.responseStatus}</Code>}
                  </Text>
                  {delivery.error && (
                    <Text size="xs" c="red" style={{ wordBreak: 'break-word' }}>
                      {delivery.error}
                    </Text>
                  )}
                  {delivery.responseExcerpt ? (
                    <Code block aria-label="Response body" style={{ maxHeight: 320, overflow: 'auto', whiteSpace: 'pre-wrap' }}>
                      {delivery.responseExcerpt}
                    </Code>
                  ) : (
                    <Text size="xs" c="dimmed">
                      {delivery.responseStatus === null ? 'No answer was received.' : 'The answer had no body.'}
                    </Text>
                  )}
                  <Text size="xs" c="dimmed">
                    Queued {fullTime(delivery.createdAt)}
                    {delivery.deliveredAt ? ` · delivered ${fullTime(delivery.deliveredAt)}` : ''} · the log keeps the first KB of each answer.
                  </Text>
                </Stack>
              </SimpleGrid>
            </section>
          </Table.Td>
        </Table.Tr>
      )}
    </>
  )
}
