import type { DecisionTreeRunDto } from '@allhands/contract'
import { Alert, Badge, Button, Card, Group, Loader, Select, Stack, Text, Title } from '@mantine/core'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { relativeTime } from '../../lib/format.ts'
import { keys, queryClient } from '../../lib/queries.ts'
import { OUTCOME_LABEL, treeKeys, treesApi, useTrees } from './decision-trees.api.ts'
import { ScriptRunner } from './ScriptRunner.tsx'

/**
 * Agent scripts on a ticket: pick a published script, step through it here, and the answers land on the ticket as
 * an internal note. Shows when the ticket's category requires a script before a rotation contributor replies.
 */
export function TicketScriptPanel({ ticketId, hideWhenEmpty = false }: { ticketId: number; hideWhenEmpty?: boolean }) {
  const trees = useTrees()
  const requirement = useQuery({ queryKey: treeKeys.requirement(ticketId), queryFn: () => treesApi.requirement(ticketId) })
  const runs = useQuery({ queryKey: treeKeys.ticketRuns(ticketId), queryFn: () => treesApi.ticketRuns(ticketId) })
  const [treeId, setTreeId] = useState<string | null>(null)
  const [run, setRun] = useState<DecisionTreeRunDto | null>(null)
  const scripts = (trees.data?.items ?? []).filter((t) => t.status === 'published' && t.audience !== 'public')
  const chosen = treeId ?? (requirement.data?.treeId ? String(requirement.data.treeId) : null)
  const start = useMutation({
    mutationFn: (id: number) => treesApi.startRun(id, { ticketId }),
    onSuccess: setRun,
  })
  const update = (next: DecisionTreeRunDto) => {
    setRun(next)
    if (next.status === 'ended') {
      void queryClient.invalidateQueries({ queryKey: treeKeys.ticketRuns(ticketId) })
      void queryClient.invalidateQueries({ queryKey: treeKeys.requirement(ticketId) })
      void queryClient.invalidateQueries({ queryKey: keys.ticket(ticketId) })
      void queryClient.invalidateQueries({ queryKey: keys.messages(ticketId) })
    }
  }

  // On the ticket page the panel takes room only when there is a script to run or a run to show.
  if (hideWhenEmpty && !trees.isLoading && !scripts.length && !requirement.data?.required && !runs.data?.items.length) return null
  return (
    <Card withBorder component="section" aria-labelledby="ticket-scripts-title">
      <Stack gap="sm">
        <Title order={2} size="h5" id="ticket-scripts-title">
          Scripts
        </Title>
        {requirement.data?.required && (
          <Alert color={requirement.data.satisfied ? 'green' : 'orange'} title={requirement.data.satisfied ? 'Required script done' : 'Script required'}>
            {requirement.data.satisfied
              ? `You ran “${requirement.data.treeName}” on this ticket.`
              : `Run the script “${requirement.data.treeName}” before replying to the customer.`}
          </Alert>
        )}
        {trees.isLoading ? (
          <Loader size="sm" aria-label="Loading scripts" />
        ) : !scripts.length ? (
          <Text size="sm" c="dimmed">
            No agent scripts are published yet.
          </Text>
        ) : !run || run.status === 'ended' ? (
          <Group align="end">
            <Select
              label="Script"
              placeholder="Choose a script"
              data={scripts.map((t) => ({ value: String(t.id), label: t.name }))}
              value={chosen}
              onChange={setTreeId}
              style={{ flex: 1 }}
            />
            <Button disabled={!chosen} loading={start.isPending} onClick={() => chosen && start.mutate(Number(chosen))}>
              Run script
            </Button>
          </Group>
        ) : null}
        {run && <ScriptRunner run={run} onChange={update} />}
        {!!runs.data?.items.length && (
          <Stack gap={4}>
            <Text size="xs" c="dimmed">
              Earlier runs on this ticket
            </Text>
            {runs.data.items.slice(0, 5).map((r) => (
              <Group key={r.id} gap="xs">
                <Text size="sm">{r.treeName}</Text>
                <Badge size="sm" variant="light" color={r.outcome === 'resolved' ? 'green' : r.outcome ? 'orange' : 'gray'}>
                  {r.outcome ? OUTCOME_LABEL[r.outcome] : 'In progress'}
                </Badge>
                <Text size="xs" c="dimmed">
                  {relativeTime(r.createdAt)}
                </Text>
              </Group>
            ))}
          </Stack>
        )}
      </Stack>
    </Card>
  )
}
