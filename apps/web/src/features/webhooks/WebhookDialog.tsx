import type { WebhookDto, WebhookEventType, WebhookWithSecretDto } from '@allhands/contract'
import { Alert, Button, Checkbox, Group, Loader, Modal, Stack, Switch, Textarea, TextInput } from '@mantine/core'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { queryClient } from '../../lib/queries.ts'
import { webhookKeys, webhooksApi } from './webhooks.api.ts'

/**
 * Creates or edits a webhook: URL, description, the events it gets (checkboxes with what each means) and, when
 * editing, whether it is on. A new webhook's signing secret goes to `onCreated`, to be shown once.
 */
export function WebhookDialog({ webhook, onClose, onCreated }: { webhook?: WebhookDto; onClose: () => void; onCreated: (w: WebhookWithSecretDto) => void }) {
  const catalog = useQuery({ queryKey: webhookKeys.events, queryFn: webhooksApi.events, staleTime: Number.POSITIVE_INFINITY })
  const [url, setUrl] = useState(webhook?.url ?? '')
  const [description, setDescription] = useState(webhook?.description ?? '')
  const [events, setEvents] = useState<string[]>(webhook?.events ?? ['ticket.created'])
  const [enabled, setEnabled] = useState(webhook?.enabled ?? true)
  const [error, setError] = useState<string | null>(null)

  const save = useMutation({
    meta: { silent: true },
    mutationFn: async () => {
      const input = { url: url.trim(), description: description.trim(), events: events as WebhookEventType[], enabled }
      if (webhook) return { updated: await webhooksApi.update(webhook.id, input) }
      return { created: await webhooksApi.create(input) }
    },
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: webhookKeys.list })
      if (result.created) onCreated(result.created)
      onClose()
    },
    onError: (err) => setError(err instanceof Error ? err.message : 'The webhook could not be saved'),
  })

  return (
    <Modal opened onClose={onClose} title={webhook ? 'Edit webhook' : 'New webhook'} size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          setError(null)
          if (!events.length) return setError('Choose at least one event')
          save.mutate()
        }}
      >
        <Stack>
          {error && (
            <Alert color="red" role="alert" title="Not saved" withCloseButton onClose={() => setError(null)}>
              {error}
            </Alert>
          )}
          <TextInput
            label="URL"
            description="Where the events are POSTed, e.g. https://crm.example.com/hooks/allhands"
            type="url"
            required
            maxLength={2000}
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
            data-autofocus
          />
          <Textarea
            label="Description"
            description="What receives these events, for whoever looks at this later"
            maxLength={500}
            autosize
            minRows={1}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
          {catalog.isPending ? (
            <Loader size="sm" aria-label="Loading event types" />
          ) : (
            <Checkbox.Group label="Events" description="The webhook gets a delivery for each of these" required value={events} onChange={setEvents}>
              <Stack gap="xs" mt="xs">
                {catalog.data?.items.map((e) => (
                  <Checkbox key={e.type} value={e.type} label={e.type} description={e.description} />
                ))}
              </Stack>
            </Checkbox.Group>
          )}
          {webhook && (
            <Switch
              label="Enabled"
              description={enabled ? 'Events are delivered' : 'Nothing is sent until it is enabled; enabling clears its failure count'}
              checked={enabled}
              onChange={(e) => setEnabled(e.currentTarget.checked)}
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {webhook ? 'Save webhook' : 'Create webhook'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
