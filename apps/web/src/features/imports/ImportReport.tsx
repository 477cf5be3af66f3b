import type { ImportDto } from '@allhands/contract'
import { Alert, Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core'
import { useMutation } from '@tanstack/react-query'
import { fullTime } from '../../lib/format.ts'
import { queryClient, showError } from '../../lib/queries.ts'
import { ImportProgress } from './ImportProgress.tsx'
import { importKeys, importsApi, KIND_LABEL, REPORT_LABEL, STATUS_COLOR, STATUS_LABEL } from './imports.api.ts'

/** One import in detail: live progress, what it created, the rows that failed and why; cancel or resume. */
export function ImportReport({ imp }: { imp: ImportDto }) {
  const refresh = () => queryClient.invalidateQueries({ queryKey: importKeys.all })
  const cancel = useMutation({ meta: { silent: true }, mutationFn: () => importsApi.cancel(imp.id), onError: showError, onSettled: refresh })
  const resume = useMutation({ meta: { silent: true }, mutationFn: () => importsApi.resume(imp.id), onError: showError, onSettled: refresh })
  const order = Object.keys(REPORT_LABEL)
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length)
  const report = Object.entries(imp.report)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => rank(a) - rank(b))
  return (
    <Stack gap="sm" aria-label={`Import report for ${imp.filename}`} role="region">
      <Group justify="space-between">
        <Title order={4}>
          {imp.filename} · {KIND_LABEL[imp.kind]}
        </Title>
        <Badge color={STATUS_COLOR[imp.status]} variant="light" data-testid="import-status">
          {STATUS_LABEL[imp.status]}
        </Badge>
      </Group>
      <ImportProgress imp={imp} />
      {imp.error && <Alert color="red">{imp.error}</Alert>}
      {report.length > 0 && <Text size="sm">{report.map(([k, n]) => `${n.toLocaleString('en-US')} ${REPORT_LABEL[k] ?? k}`).join(' · ')}</Text>}
      <Text size="xs" c="dimmed">
        Uploaded {fullTime(imp.createdAt)}
        {imp.createdBy ? ` by ${imp.createdBy.name}` : ''}
        {imp.finishedAt ? ` · ended ${fullTime(imp.finishedAt)}` : ''}
      </Text>
      <Group>
        {(imp.status === 'queued' || imp.status === 'running') && (
          <Button variant="default" color="red" onClick={() => cancel.mutate()} loading={cancel.isPending}>
            Cancel import
          </Button>
        )}
        {(imp.status === 'cancelled' || imp.status === 'failed') && imp.startedAt !== null && (
          <Button onClick={() => resume.mutate()} loading={resume.isPending}>
            Resume from record {imp.counters.processed + 1}
          </Button>
        )}
      </Group>
      <Title order={5}>Failed rows{imp.errorCount > imp.errors.length ? ` (first ${imp.errors.length} of ${imp.errorCount})` : ''}</Title>
      {imp.errors.length === 0 ? (
        <Text size="sm" c="dimmed">
          {imp.status === 'completed' ? 'Every row was imported.' : 'No failed rows so far.'}
        </Text>
      ) : (
        <Table striped withTableBorder aria-label="Failed rows">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Row</Table.Th>
              <Table.Th>Field</Table.Th>
              <Table.Th>Problem</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {imp.errors.map((e) => (
              <Table.Tr key={`${e.row}-${e.field}`}>
                <Table.Td>{e.row}</Table.Td>
                <Table.Td>{e.field ?? '—'}</Table.Td>
                <Table.Td>{e.message}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  )
}
