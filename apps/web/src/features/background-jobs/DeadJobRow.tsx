import type { BackgroundJobDto } from '@allhands/contract'
import { Button, Code, Group, Table, Text } from '@mantine/core'
import { IconRefresh, IconTrash } from '@tabler/icons-react'
import { useState } from 'react'
import { ExpandButton } from '../../lib/expand-button.tsx'
import { formatPayload, fullTime, relativeTime } from '../../lib/format.ts'

const COLUMNS = 5

/** One dead job: what it was, how often it tried, why it failed and when; its payload opens below the row. */
export function DeadJobRow({
  job,
  retrying,
  onRetry,
  onDiscard,
}: {
  job: BackgroundJobDto
  retrying: boolean
  onRetry: (job: BackgroundJobDto) => void
  onDiscard: (job: BackgroundJobDto) => void
}) {
  const [open, setOpen] = useState(false)
  const payloadId = `job-${job.id}-payload`
  return (
    <>
      <Table.Tr data-job-id={job.id}>
        <Table.Td>
          <Text size="sm" fw={500}>
            {job.label}
          </Text>
          <Text size="xs" c="dimmed">
            <Code>{job.name}</Code> · #{job.id}
          </Text>
        </Table.Td>
        <Table.Td style={{ whiteSpace: 'nowrap' }} aria-label={`${job.attempts} of ${job.maxAttempts} attempts`}>
          {job.attempts} / {job.maxAttempts}
        </Table.Td>
        <Table.Td style={{ maxWidth: 360 }}>
          <Text size="xs" c="red" lineClamp={3} title={job.lastError ?? undefined} style={{ wordBreak: 'break-word' }}>
            {job.lastError ?? 'No error was recorded'}
          </Text>
        </Table.Td>
        <Table.Td style={{ whiteSpace: 'nowrap' }}>
          <Text size="sm" title={`Failed ${fullTime(job.updatedAt)} · queued ${fullTime(job.createdAt)}`}>
            {relativeTime(job.updatedAt)}
          </Text>
        </Table.Td>
        <Table.Td>
          <Group gap={4} wrap="nowrap" justify="end">
            <ExpandButton open={open} controls={payloadId} label={`Payload of job ${job.id}`} onToggle={() => setOpen((v) => !v)}>
              Payload
            </ExpandButton>
            <Button
              size="compact-xs"
              variant="light"
              leftSection={<IconRefresh size={14} />}
              loading={retrying}
              aria-label={`Retry job ${job.id}: ${job.label}`}
              onClick={() => onRetry(job)}
            >
              Retry
            </Button>
            <Button
              size="compact-xs"
              variant="subtle"
              color="red"
              leftSection={<IconTrash size={14} />}
              aria-label={`Discard job ${job.id}: ${job.label}`}
              onClick={() => onDiscard(job)}
            >
              Discard
            </Button>
          </Group>
        </Table.Td>
      </Table.Tr>
      {open && (
        <Table.Tr id={payloadId}>
          <Table.Td colSpan={COLUMNS}>
            <section aria-label={`Payload of job ${job.id}`}>
              <Code block style={{ maxHeight: 320, overflow: 'auto' }}>
                {formatPayload(job.payload, job.payloadTruncated)}
              </Code>
              {job.payloadTruncated && (
                <Text size="xs" c="dimmed" mt={4}>
                  The payload is longer than shown; the job keeps all of it.
                </Text>
              )}
            </section>
          </Table.Td>
        </Table.Tr>
      )}
    </>
  )
}
