import type { RiskRuleDto } from '@allhands/contract'
import { Alert, Badge, Button, Drawer, Group, Loader, Stack, Switch, Table, Text, Title, VisuallyHidden } from '@mantine/core'
import { IconPlus } from '@tabler/icons-react'
import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { relativeTime, STATUS_LABEL } from '../../lib/format.ts'
import { RouterAnchor } from '../../lib/links.tsx'
import { EditDeleteButtons, MoveButtons, movedIds } from '../../lib/row-actions.tsx'
import { queryClient } from '../../lib/queries.ts'
import { RiskBadge } from './RiskBadge.tsx'
import { RISK_COLOR, riskApi, riskKeys } from './risk.api.ts'
import { RULE_TYPE_LABEL, RiskRuleEditor } from './RiskRuleEditor.tsx'

const refresh = () => queryClient.invalidateQueries({ queryKey: riskKeys.rules })

/** Settings → Risk rules: what makes a ticket risky, in order; enable, edit, reorder, and see each rule's tickets. */
export function RiskRulesSettings() {
  const rules = useQuery({ queryKey: riskKeys.rules, queryFn: riskApi.rules })
  const [editing, setEditing] = useState<RiskRuleDto | 'new' | null>(null)
  const [showing, setShowing] = useState<RiskRuleDto | null>(null)
  const toggle = useMutation({ mutationFn: (r: RiskRuleDto) => riskApi.updateRule(r.id, { enabled: !r.enabled }), onSuccess: refresh })
  const remove = useMutation({ mutationFn: (id: number) => riskApi.deleteRule(id), onSuccess: refresh })
  const reorder = useMutation({
    mutationFn: riskApi.reorderRules,
    onSuccess: (list) => queryClient.setQueryData(riskKeys.rules, list),
  })
  const list = rules.data ?? []
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} size="h4">
          Risk rules
        </Title>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')}>
          Add rule
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        Every ticket is assessed when it arrives and on each new customer message: its risk is the highest level among the rules that match, and the reasons
        show on the ticket. The rotation queue offers people only tickets within their clearance; a ticket whose risk rises above its holder's clearance goes
        back to support automatically.
      </Text>
      {rules.isLoading && <Loader size="sm" aria-label="Loading risk rules" />}
      {rules.data && list.length === 0 && <Alert color="yellow">No rules: every ticket is low risk, and the queue offers all of them.</Alert>}
      {list.length > 0 && (
        <Table aria-label="Risk rules" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Order</Table.Th>
              <Table.Th>Rule</Table.Th>
              <Table.Th>Risk</Table.Th>
              <Table.Th>Matches</Table.Th>
              <Table.Th>Enabled</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((r, i) => (
              <Table.Tr key={r.id} opacity={r.enabled ? 1 : 0.6}>
                <Table.Td>
                  <Group gap={2} wrap="nowrap">
                    <MoveButtons
                      name={r.name}
                      index={i}
                      count={list.length}
                      disabled={reorder.isPending}
                      onMove={(by) => reorder.mutate(movedIds(list, i, by))}
                    />
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {r.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {RULE_TYPE_LABEL[r.type]}
                    {r.config.words?.length ? `: ${r.config.words.slice(0, 6).join(', ')}${r.config.words.length > 6 ? '…' : ''}` : ''}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge color={RISK_COLOR[r.level]} variant="light">
                    {r.level}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Button
                    variant="subtle"
                    size="compact-sm"
                    onClick={() => setShowing(r)}
                    aria-label={`${r.matchCount} ticket${r.matchCount === 1 ? '' : 's'} matched by ${r.name}`}
                  >
                    {r.matchCount} ticket{r.matchCount === 1 ? '' : 's'}
                  </Button>
                </Table.Td>
                <Table.Td>
                  <Switch aria-label={`${r.name} enabled`} checked={r.enabled} onChange={() => toggle.mutate(r)} />
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <EditDeleteButtons
                      name={r.name}
                      onEdit={() => setEditing(r)}
                      onDelete={() => confirm(`Delete the rule “${r.name}”? Open tickets are reassessed without it.`) && remove.mutate(r.id)}
                    />
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <RiskRuleEditor rule={editing === 'new' ? null : editing} opened={editing !== null} onClose={() => setEditing(null)} />
      <Drawer
        opened={showing !== null}
        onClose={() => setShowing(null)}
        position="right"
        size="md"
        title={showing ? `Tickets matched by “${showing.name}”` : ''}
      >
        {showing && <RuleMatches rule={showing} />}
      </Drawer>
    </Stack>
  )
}

function RuleMatches({ rule }: { rule: RiskRuleDto }) {
  const matches = useInfiniteQuery({
    queryKey: riskKeys.matches(rule.id),
    queryFn: ({ pageParam }) => riskApi.matches(rule.id, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })
  const items = matches.data?.pages.flatMap((p) => p.items) ?? []
  if (matches.isLoading) return <Loader size="sm" aria-label="Loading matched tickets" />
  if (!items.length)
    return (
      <Text size="sm" c="dimmed">
        {rule.enabled ? 'No open ticket matches this rule right now.' : 'This rule is disabled, so it matches nothing.'}
      </Text>
    )
  return (
    <Stack gap="sm">
      {items.map((m) => (
        <div key={m.ticketId}>
          <Group justify="space-between" wrap="nowrap">
            <RouterAnchor to="/tickets/$ticketId" params={{ ticketId: String(m.ticketId) }} size="sm" truncate="end">
              #{m.ticketId} {m.subject}
            </RouterAnchor>
            <RiskBadge level={m.riskLevel} size="xs" />
          </Group>
          <Text size="xs" c="dimmed">
            {m.detail} · {STATUS_LABEL[m.status]} · matched {relativeTime(m.matchedAt)}
          </Text>
        </div>
      ))}
      {matches.hasNextPage && (
        <Button variant="light" onClick={() => void matches.fetchNextPage()} loading={matches.isFetchingNextPage}>
          Show more
        </Button>
      )}
    </Stack>
  )
}
