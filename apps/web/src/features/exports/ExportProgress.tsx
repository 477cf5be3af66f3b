import type { ExportDto } from '@allhands/contract'
import { Anchor, Badge, Group, Progress, Text } from '@mantine/core'
import { IconDownload } from '@tabler/icons-react'
import { formatBytes } from '../../lib/format.ts'
import { exportsApi } from './exports.api.ts'

const STATUS_COLOR: Record<ExportDto['status'], string> = { queued: 'gray', running: 'blue', done: 'green', failed: 'red', deleted: 'gray' }
const STATUS_LABEL: Record<ExportDto['status'], string> = { queued: 'Queued', running: 'Writing', done: 'Ready', failed: 'Failed', deleted: 'Deleted' }

/** An export's state: a progress bar while it is written, then its download link. */
export function ExportProgress({ exp }: { exp: ExportDto }) {
  if (exp.status === 'done')
    return (
      <Group gap="xs" wrap="nowrap">
        <Anchor href={exportsApi.downloadUrl(exp.id)} download={exp.fileName} aria-label={`Download ${exp.fileName}`}>
          <Group gap={4} wrap="nowrap">
            <IconDownload size={16} aria-hidden />
            {exp.fileName}
          </Group>
        </Anchor>
        <Text size="xs" c="dimmed">
          {formatBytes(exp.size)}
        </Text>
      </Group>
    )
  if (exp.status === 'queued' || exp.status === 'running') {
    const total = exp.totalEstimate ?? 0
    const percent = total > 0 ? Math.min(100, Math.round((exp.rowCount / total) * 100)) : 0
    return (
      <Group gap="xs" wrap="nowrap" miw={200}>
        <Badge variant="light" color={STATUS_COLOR[exp.status]}>
          {STATUS_LABEL[exp.status]}
        </Badge>
        <Progress
          value={exp.status === 'queued' ? 100 : percent}
          animated
          striped={exp.status === 'queued'}
          w={120}
          aria-label={`Export ${exp.id} progress`}
          aria-valuetext={total ? `${exp.rowCount} of ${total} rows` : 'Starting'}
        />
        <Text size="xs" c="dimmed">
          {total ? `${exp.rowCount.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}` : ''}
        </Text>
      </Group>
    )
  }
  return (
    <Group gap="xs" wrap="nowrap">
      <Badge variant="light" color={STATUS_COLOR[exp.status]}>
        {STATUS_LABEL[exp.status]}
      </Badge>
      {exp.error && (
        <Text size="xs" c="dimmed">
          {exp.error}
        </Text>
      )}
    </Group>
  )
}
