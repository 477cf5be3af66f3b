import type { WebhookWithSecretDto } from '@allhands/contract'
import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core'
import { IconCheck, IconCopy } from '@tabler/icons-react'

/** A webhook's signing secret, shown this once after it was created or rotated, with a copy button. */
export function SecretModal({ webhook, rotated, onClose }: { webhook: WebhookWithSecretDto; rotated: boolean; onClose: () => void }) {
  return (
    <Modal opened onClose={onClose} title={rotated ? 'New signing secret' : 'Webhook created'} size="lg" closeOnClickOutside={false}>
      <Stack>
        <Text size="sm">
          Deliveries to <b>{webhook.url}</b> are signed with this secret (HMAC-SHA256, Standard Webhooks). Store it with your receiver now:{' '}
          <b>it is not shown again</b>.
        </Text>
        <Code block aria-label="Signing secret" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
          {webhook.secret}
        </Code>
        {rotated && webhook.previousSecretExpiresAt && (
          <Alert color="blue" variant="light">
            The previous secret also signs deliveries until {new Date(webhook.previousSecretExpiresAt).toLocaleString()}, so your receiver can switch without
            missing any.
          </Alert>
        )}
        <Group justify="space-between">
          <CopyButton value={webhook.secret}>
            {({ copied, copy }) => (
              <Button variant="light" leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />} onClick={copy}>
                {copied ? 'Copied' : 'Copy secret'}
              </Button>
            )}
          </CopyButton>
          <Button onClick={onClose}>I have stored it</Button>
        </Group>
      </Stack>
    </Modal>
  )
}
