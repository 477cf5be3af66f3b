import type { TicketDto } from '@allhands/contract'
import { Badge, Checkbox, Group, Table, Text, Tooltip } from '@mantine/core'
import { Link, useParams } from '@tanstack/react-router'
import { PRIORITY_COLOR, PRIORITY_LABEL, STATUS_COLOR, STATUS_LABEL, fullTime, relativeTime } from '../../lib/format.ts'
import { RiskBadge } from '../risk/RiskBadge.tsx'
import { SlaCell, useSlaLiveUpdates } from '../sla/SlaTimers.tsx'
import { RouterAnchor } from '../../lib/links.tsx'

type Props = {
  tickets: TicketDto[]
  active?: number
  selected?: Set<number>
  selectable?: boolean
  onToggle?: (id: number) => void
  onToggleAll?: (all: boolean) => void
  onOpen?: (id: number) => void
  /** issue 10 sla: the rows come in "breaches next" order */
  sortedBySla?: boolean
}

export function TicketTable({ tickets, active = -1, selected, selectable = false, onToggle, onToggleAll, onOpen, sortedBySla = false }: Props) {
  const { viewId } = useParams({ strict: false }) as { viewId?: string }
  useSlaLiveUpdates()
  const allSelected = !!selected && tickets.length > 0 && tickets.every((t) => selected.has(t.id))
  return (
    <Table highlightOnHover verticalSpacing="xs" aria-label="Tickets">
      <Table.Thead>
        <Table.Tr>
          {selectable && (
            <Table.Th w={36}>
              <Checkbox
                aria-label="Select all tickets"
                checked={allSelected}
                indeterminate={!allSelected && !!selected?.size}
                onChange={(e) => onToggleAll?.(e.currentTarget.checked)}
              />
            </Table.Th>
          )}
          <Table.Th w={70}>#</Table.Th>
          <Table.Th>Subject</Table.Th>
          <Table.Th>Requester</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th>Priority</Table.Th>
          <Table.Th>Assignee</Table.Th>
          <Table.Th aria-sort={sortedBySla ? 'ascending' : undefined}>
            {sortedBySla ? (
              'SLA ↑'
            ) : (
              <Tooltip label="Sort by breaches next">
                <RouterAnchor to="/breaches-next" search={viewId ? { view: viewId } : {}} size="sm" fw={700} c="inherit">
                  SLA
                </RouterAnchor>
              </Tooltip>
            )}
          </Table.Th>
          <Table.Th>Updated</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {tickets.map((t, i) => (
          <Table.Tr
            key={t.id}
            className="ticket-row"
            data-row-index={i}
            data-ticket-id={t.id}
            data-active={i === active}
            aria-selected={i === active}
            onClick={(e) => {
              if ((e.target as HTMLElement).closest('input,a,button')) return
              onOpen?.(t.id)
            }}
          >
            {selectable && (
              <Table.Td>
                <Checkbox aria-label={`Select ticket #${t.number}`} checked={selected?.has(t.id) ?? false} onChange={() => onToggle?.(t.id)} />
              </Table.Td>
            )}
            <Table.Td>
              <Text size="sm" c="dimmed">
                #{t.number}
              </Text>
            </Table.Td>
            <Table.Td maw={420}>
              <Text component={Link} to={`/tickets/${t.id}`} size="sm" fw={t.status === 'new' ? 700 : 500} truncate="end" display="block" c="inherit" td="none">
                {t.subject}
              </Text>
              <Group gap={4} wrap="nowrap">
                {t.riskLevel !== 'low' && <RiskBadge level={t.riskLevel} size="xs" style={{ flexShrink: 0 }} />}
                <Text size="xs" c="dimmed" truncate="end">
                  {t.preview}
                </Text>
              </Group>
              {t.tags.length > 0 && (
                <Group gap={4} mt={2}>
                  {t.tags.map((tag) => (
                    <Badge key={tag} size="xs" variant="outline" color="gray">
                      {tag}
                    </Badge>
                  ))}
                </Group>
              )}
            </Table.Td>
            <Table.Td>
              <Text size="sm" truncate="end" maw={180}>
                {t.requester.name}
              </Text>
            </Table.Td>
            <Table.Td>
              <Badge color={STATUS_COLOR[t.status]} variant="light">
                {STATUS_LABEL[t.status]}
              </Badge>
            </Table.Td>
            <Table.Td>
              <Badge color={PRIORITY_COLOR[t.priority]} variant="dot">
                {PRIORITY_LABEL[t.priority]}
              </Badge>
            </Table.Td>
            <Table.Td>
              <Text size="sm" c={t.assignee ? undefined : 'dimmed'}>
                {t.assignee?.name ?? 'Unassigned'}
              </Text>
            </Table.Td>
            <Table.Td>
              <SlaCell sla={t.sla} />
            </Table.Td>
            <Table.Td>
              <Tooltip label={fullTime(t.updatedAt)}>
                <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {relativeTime(t.updatedAt)}
                </Text>
              </Tooltip>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}
