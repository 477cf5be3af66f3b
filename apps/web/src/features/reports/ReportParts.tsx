import { Alert, Button, Card, Group, Skeleton, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core'
import { IconDownload } from '@tabler/icons-react'
import type { ReactNode } from 'react'

/** Badges in table cells keep their full text instead of being squeezed to an ellipsis. */
export const NO_SHRINK = { minWidth: 'max-content' } as const

/** A titled card holding one table or chart, with its CSV download. */
export function ReportCard({ title, csv, actions, children }: { title: string; csv?: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <Card withBorder component="section" aria-label={title}>
      <Group justify="space-between" mb="sm" wrap="wrap" gap="xs">
        <Title order={2} size="h5">
          {title}
        </Title>
        <Group gap="xs">
          {actions}
          {csv && <ExportCsvButton href={csv} what={title} />}
        </Group>
      </Group>
      {children}
    </Card>
  )
}

/** Downloads the engine's CSV variant of the same request. */
export function ExportCsvButton({ href, what }: { href: string; what: string }) {
  return (
    <Button
      component="a"
      href={href}
      download
      size="xs"
      variant="default"
      leftSection={<IconDownload size={14} aria-hidden />}
      aria-label={`Export ${what} as CSV`}
    >
      Export CSV
    </Button>
  )
}

export function LoadingBlock({ label, rows = 4, height = 28 }: { label: string; rows?: number; height?: number }) {
  return (
    <Stack gap={6} aria-busy="true" aria-label={label}>
      {Array.from({ length: rows }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
        <Skeleton key={i} h={height} />
      ))}
    </Stack>
  )
}

export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <Text size="sm" c="dimmed" py="md" ta="center">
      {children}
    </Text>
  )
}

export function ErrorState({ error }: { error: unknown }) {
  return (
    <Alert color="red" title="This report could not be loaded">
      {error instanceof Error ? error.message : 'Try again later.'}
    </Alert>
  )
}

/**
 * The data behind a chart, for screen readers: the chart itself is `aria-hidden` and described by a
 * short label; this table carries the numbers.
 */
export function ChartData({ caption, columns, rows }: { caption: string; columns: string[]; rows: (string | number)[][] }) {
  return (
    <VisuallyHidden>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={String(r[0])}>
              {r.map((v, i) =>
                i === 0 ? (
                  <th key={columns[i]} scope="row">
                    {v}
                  </th>
                ) : (
                  <td key={columns[i]}>{v}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </VisuallyHidden>
  )
}

/** A chart with an accessible name and its data as a hidden table. */
export function AccessibleChart({ summary, data, children }: { summary: string; data: Parameters<typeof ChartData>[0]; children: ReactNode }) {
  return (
    <figure style={{ margin: 0 }} aria-label={summary}>
      <div aria-hidden="true">{children}</div>
      <ChartData {...data} />
    </figure>
  )
}

/** A sortable column header: a button inside the th, announcing the current order. */
export function SortHeader({
  label,
  active,
  ascending = false,
  onSort,
  align = 'right',
}: {
  label: string
  active: boolean
  ascending?: boolean
  onSort: () => void
  align?: 'left' | 'right'
}) {
  return (
    <Table.Th scope="col" ta={align} aria-sort={active ? (ascending ? 'ascending' : 'descending') : 'none'}>
      <Button variant="subtle" size="compact-xs" onClick={onSort} fw={active ? 700 : 500} c={active ? undefined : 'dimmed'}>
        {label}
        {active ? (ascending ? ' ↑' : ' ↓') : ''}
      </Button>
    </Table.Th>
  )
}
