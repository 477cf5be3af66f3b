import type { WebhookDto, WebhookWithSecretDto } from '@allhands/contract'
import { ActionIcon, Alert, Badge, Button, Code, Group, Loader, Modal, Stack, Table, Text, Title, Tooltip } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconKey, IconList, IconPlus, IconSend, IconWebhook } from '@tabler/icons-react'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { fullTime, relativeTime } from '../../lib/format.ts'
import { queryClient, showError } from '../../lib/queries.ts'
import { EditDeleteButtons } from '../../lib/row-actions.tsx'
import { DeliveryLog } from './DeliveryLog.tsx'
import { SecretModal } from './SecretModal.tsx'
import { WebhookDialog } from './WebhookDialog.tsx'
import { DELIVERY_STATUS_LABEL, WEBHOOK_STATUS_COLOR, WEBHOOK_STATUS_LABEL, webhookKeys, webhooksApi } from './webhooks.api.ts'
import { ConfirmModal } from '../../lib/confirm-modal.tsx'

/** Status, with why it is off or since when it fails. */
function StatusCell({ webhook }: { webhook: WebhookDto }) {
  return (
    <Stack gap={2}>
      <Badge variant="light" color={WEBHOOK_STATUS_COLOR[webhook.status]} w="fit-content">
        {WEBHOOK_STATUS_LABEL[webhook.status]}
      </Badge>
      {webhook.status === 'disabled' && webhook.disabledReason && (
        <Text size="xs" c="dimmed">
          {webhook.disabledReason}
        </Text>
      )}
      {webhook.status === 'failing' && webhook.failingSince !== null && (
        <Text size="xs" c="orange" title={fullTime(webhook.failingSince)}>
          Failing since {relativeTime(webhook.failingSince)}
          {webhook.consecutiveFailures ? ` · ${webhook.consecutiveFailures} failed in a row` : ''}
        </Text>
      )}
    </Stack>
  )
}

/**
 * Settings → Webhooks (admins): where events are sent, whether each webhook works, its delivery log with request
 * and answer, a test ping, redelivery, and secret rotation. Secrets are shown once, when created or rotated.
 */
export function WebhooksSettings() {
  const webhooks = useQuery({ queryKey: webhookKeys.list, queryFn: webhooksApi.list, refetchOnWindowFocus: true })
  const [editing, setEditing] = useState<WebhookDto | 'new' | null>(null)
  const [secret, setSecret] = useState<{ webhook: WebhookWithSecretDto; rotated: boolean } | null>(null)
  const [selectedId, setSelectedId] = useState<number | null>(null)
  const [deleting, setDeleting] = useState<WebhookDto | null>(null)
  const [rotating, setRotating] = useState<WebhookDto | null>(null)
  const refresh = () => queryClient.invalidateQueries({ queryKey: webhookKeys.all })

  const test = useMutation({
    meta: { silent: true },
    mutationFn: (w: WebhookDto) => webhooksApi.test(w.id),
    onSuccess: (d, w) => {
      setSelectedId(w.id)
      notifications.show({
        color: d.status === 'delivered' ? 'green' : 'red',
        title: `Test ${DELIVERY_STATUS_LABEL[d.status].toLowerCase()}`,
        message: d.status === 'delivered' ? `${w.url} answered ${d.responseStatus}.` : (d.error ?? 'The receiver did not accept it.'),
      })
    },
    onError: showError,
    onSettled: refresh,
  })
  const rotate = useMutation({
    meta: { silent: true },
    mutationFn: (w: WebhookDto) => webhooksApi.rotateSecret(w.id),
    onSuccess: (w) => {
      setRotating(null)
      setSecret({ webhook: w, rotated: true })
    },
    onError: showError,
    onSettled: refresh,
  })
  const remove = useMutation({
    meta: { silent: true },
    mutationFn: (w: WebhookDto) => webhooksApi.remove(w.id),
    onSuccess: (_r, w) => {
      setDeleting(null)
      if (selectedId === w.id) setSelectedId(null)
      notifications.show({ color: 'gray', message: `The webhook to ${w.url} was deleted.` })
    },
    onError: showError,
    onSettled: refresh,
  })
  const list = webhooks.data?.items ?? []
  const selected = list.find((w) => w.id === selectedId) ?? null

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} size="h4">
          Webhooks
        </Title>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
          New webhook
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        Webhooks POST ticket, message, rating, contact and chat events as JSON to your systems, signed with HMAC-SHA256 (Standard Webhooks:{' '}
        <Code>webhook-id</Code>, <Code>webhook-timestamp</Code>, <Code>webhook-signature</Code>). Failed deliveries are retried with growing pauses; a webhook
        that keeps failing is turned off and admins are told. See docs/WEBHOOKS.md for payloads and how to check a signature.
      </Text>
      {webhooks.isPending && <Loader size="sm" aria-label="Loading webhooks" />}
      {webhooks.isError && (
        <Alert color="red" title="Webhooks could not be loaded">
          {webhooks.error.message}{' '}
          <Button size="compact-xs" variant="light" onClick={() => void webhooks.refetch()}>
            Try again
          </Button>
        </Alert>
      )}
      {webhooks.data && list.length === 0 && (
        <Alert color="blue" icon={<IconWebhook size={18} />} title="No webhooks yet">
          Create one to send new tickets to a CRM, replies to a chat tool, or ratings to a dashboard. You choose the events; each delivery is signed and logged
          here.
        </Alert>
      )}
      {list.length > 0 && (
        <Table aria-label="Webhooks" verticalSpacing="xs" highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>URL</Table.Th>
              <Table.Th>Events</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Last attempt</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((w) => (
              <Table.Tr key={w.id} data-webhook-id={w.id}>
                <Table.Td style={{ maxWidth: 300 }}>
                  <Text size="sm" fw={500} style={{ wordBreak: 'break-all' }}>
                    {w.url}
                  </Text>
                  {w.description && (
                    <Text size="xs" c="dimmed">
                      {w.description}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {w.events.map((e) => (
                      <Badge key={e} size="xs" variant="outline" tt="none">
                        {e}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <StatusCell webhook={w} />
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Text size="xs" title={w.lastDeliveryAt ? fullTime(w.lastDeliveryAt) : undefined}>
                    {w.lastDeliveryAt ? relativeTime(w.lastDeliveryAt) : 'Never'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap" justify="end">
                    <Button
                      size="compact-xs"
                      variant={w.id === selectedId ? 'filled' : 'light'}
                      leftSection={<IconList size={14} />}
                      aria-pressed={w.id === selectedId}
                      aria-label={`Deliveries of ${w.url}`}
                      onClick={() => setSelectedId(w.id === selectedId ? null : w.id)}
                    >
                      Deliveries
                    </Button>
                    <Button
                      size="compact-xs"
                      variant="light"
                      leftSection={<IconSend size={14} />}
                      loading={test.isPending && test.variables?.id === w.id}
                      aria-label={`Send a test to ${w.url}`}
                      onClick={() => test.mutate(w)}
                    >
                      Send test
                    </Button>
                    <Tooltip label="Rotate secret">
                      <ActionIcon variant="subtle" aria-label={`Rotate the secret of ${w.url}`} onClick={() => setRotating(w)}>
                        <IconKey size={16} />
                      </ActionIcon>
                    </Tooltip>
                    <EditDeleteButtons name={`webhook ${w.url}`} onEdit={() => setEditing(w)} onDelete={() => setDeleting(w)} />
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {selected && <DeliveryLog key={selected.id} webhook={selected} />}

      {editing && (
        <WebhookDialog
          webhook={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(null)}
          onCreated={(w) => {
            setSecret({ webhook: w, rotated: false })
            setSelectedId(w.id)
          }}
        />
      )}
      {secret && <SecretModal webhook={secret.webhook} rotated={secret.rotated} onClose={() => setSecret(null)} />}
      <Modal opened={!!rotating} onClose={() => setRotating(null)} title="Rotate the signing secret?">
        <Stack>
          <Text size="sm">
            A new secret signs deliveries to {rotating?.url} from now on. The current one keeps signing beside it for 24 hours, so your receiver can switch
            without missing deliveries.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRotating(null)}>
              Cancel
            </Button>
            <Button loading={rotate.isPending} onClick={() => rotating && rotate.mutate(rotating)}>
              Rotate secret
            </Button>
          </Group>
        </Stack>
      </Modal>
      <ConfirmModal
        opened={!!deleting}
        onClose={() => setDeleting(null)}
        title="Delete webhook?"
        confirmLabel="Delete"
        danger
        loading={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting)}
      >
        Events will no longer be sent to {deleting?.url}, and its delivery log is deleted. This cannot be undone.
      </ConfirmModal>
    </Stack>
  )
}
