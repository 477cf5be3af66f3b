import { Card, Table, Text, Title } from '@mantine/core'
import { type ReactNode, useEffect, useState } from 'react'
import { RouterAnchor } from '../../lib/links.tsx'

/** Pieces shared by the pages that show support as it is right now (monitoring, the live reports dashboard). */

export function Stat({ label, value }: { label: string; value: string | number }) {
  return (
    <Card withBorder padding="sm" component="article" aria-label={`${label}: ${value}`}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
    </Card>
  )
}

/** "Updated 12 s ago", ticking every second; "Updating…" while a refetch runs. */
export function UpdatedAgo({ at, fetching, testId }: { at: number; fetching: boolean; testId: string }) {
  const [, tick] = useState(0)
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 1000)
    return () => clearInterval(t)
  }, [])
  const seconds = at ? Math.max(0, Math.round((Date.now() - at) / 1000)) : 0
  return (
    <Text size="xs" c="dimmed" aria-live="off" data-testid={testId}>
      {fetching ? 'Updating…' : `Updated ${seconds} s ago`}
    </Text>
  )
}

export function TicketLink({ id, subject }: { id: number; subject: string }) {
  return (
    <RouterAnchor size="sm" to="/tickets/$ticketId" params={{ ticketId: String(id) }} lineClamp={1}>
      #{id} {subject}
    </RouterAnchor>
  )
}

export interface Column {
  label: string
  align?: 'right'
  width?: string
}

/** A titled card holding one table, or a sentence saying why it is empty. */
export function CardTable<T>(props: {
  title: string
  caption: string
  empty: ReactNode
  columns: Column[]
  rows: T[]
  rowKey: (row: T) => string | number
  cells: (row: T) => ReactNode[]
}) {
  return (
    <Card withBorder component="section" aria-label={props.title}>
      <Title order={2} size="h5" mb="xs">
        {props.title}
      </Title>
      {props.rows.length === 0 ? (
        <Text size="sm" c="dimmed" py="md" ta="center">
          {props.empty}
        </Text>
      ) : (
        <Table verticalSpacing={4}>
          <Table.Caption>{props.caption}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              {props.columns.map((c) => (
                <Table.Th key={c.label} scope="col" ta={c.align} w={c.width}>
                  {c.label}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {props.rows.map((row) => (
              <Table.Tr key={props.rowKey(row)}>
                {props.cells(row).map((cell, i) => (
                  <Table.Td key={props.columns[i]?.label ?? i} ta={props.columns[i]?.align}>
                    {cell}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  )
}
