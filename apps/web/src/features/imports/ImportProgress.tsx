import type { ImportDto } from '@allhands/contract'
import { Group, Progress, Text } from '@mantine/core'

/** The progress bar of an import: processed of total records, with the counts so far. */
export function ImportProgress({ imp }: { imp: ImportDto }) {
  const { total, processed, imported, updated, skipped, failed } = imp.counters
  const active = imp.status === 'queued' || imp.status === 'running'
  const pct = total ? Math.round((processed / total) * 100) : imp.status === 'completed' ? 100 : 0
  const label = total === null ? (active ? 'Counting records…' : '') : `${processed.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} records`
  return (
    <div>
      <Progress
        value={pct}
        animated={active}
        striped={active}
        color={imp.status === 'failed' ? 'red' : imp.status === 'cancelled' ? 'orange' : failed ? 'yellow' : 'blue'}
        aria-label={`Import ${imp.filename}: ${pct}% done`}
        role="progressbar"
        aria-valuenow={pct}
        aria-valuemin={0}
        aria-valuemax={100}
      />
      <Group gap="sm" mt={4}>
        <Text size="xs" c="dimmed">
          {label}
        </Text>
        <Text size="xs" c="green">
          {imported} new
        </Text>
        {updated > 0 && <Text size="xs">{updated} updated</Text>}
        {skipped > 0 && (
          <Text size="xs" c="dimmed">
            {skipped} skipped
          </Text>
        )}
        <Text size="xs" c={failed ? 'red' : 'dimmed'} data-testid="import-failed-count">
          {failed} failed
        </Text>
      </Group>
    </div>
  )
}
