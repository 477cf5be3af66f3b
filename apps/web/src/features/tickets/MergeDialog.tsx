import type { TicketDto } from '@allhands/contract'
import { Alert, Button, Group, Modal, Select, Stack, Text } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useNavigate } from '@tanstack/react-router'
import { useState } from 'react'
import { api } from '../../lib/api.ts'
import { keys, queryClient } from '../../lib/queries.ts'

/** Merges this ticket into another one found by number or by search. */
export function MergeDialog({ ticket, onClose }: { ticket: TicketDto; onClose: () => void }) {
  const navigate = useNavigate()
  const [search, setSearch] = useState('')
  const [target, setTarget] = useState<string | null>(null)
  const [q] = useDebouncedValue(search.trim(), 200)
  const byNumber = /^#?\d+$/.test(q) ? Number(q.replace('#', '')) : null
  const candidates = useQuery({
    queryKey: ['merge-candidates', q, ticket.requester.id],
    queryFn: async () => {
      const found: TicketDto[] = []
      if (byNumber)
        found.push(
          ...(await api
            .ticket(byNumber)
            .then((t) => [t])
            .catch(() => [])),
        )
      if (q && !byNumber) found.push(...(await api.search(q, 'tickets', 10)).tickets)
      if (!q) found.push(...(await api.tickets({ requester: ticket.requester.id, limit: 20 })).items)
      return found.filter((t) => t.id !== ticket.id && !t.mergedIntoId)
    },
    meta: { silent: true },
  })
  const merge = useMutation({
    mutationFn: () => api.mergeTicket(ticket.id, Number(target)),
    onSuccess: (into) => {
      void queryClient.invalidateQueries({ queryKey: keys.ticketLists })
      void queryClient.invalidateQueries({ queryKey: keys.ticket(ticket.id) })
      onClose()
      void navigate({ to: '/tickets/$ticketId', params: { ticketId: String(into.id) } })
    },
  })
  return (
    <Modal opened onClose={onClose} title={`Merge #${ticket.number} into another ticket`}>
      <Stack>
        <Text size="sm" c="dimmed">
          The conversation of #{ticket.number} moves into the ticket you pick, and #{ticket.number} is closed. This cannot be undone.
        </Text>
        <Select
          label="Target ticket"
          placeholder="Type a ticket number or search"
          searchable
          data={(candidates.data ?? []).map((t) => ({ value: String(t.id), label: `#${t.number} ${t.subject}` }))}
          filter={({ options }) => options}
          searchValue={search}
          onSearchChange={setSearch}
          value={target}
          onChange={setTarget}
          nothingFoundMessage={candidates.isFetching ? 'Searching…' : 'No ticket found'}
          data-autofocus
        />
        {merge.error && <Alert color="red">{merge.error.message}</Alert>}
        <Group justify="end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color="red" disabled={!target} loading={merge.isPending} onClick={() => merge.mutate()}>
            Merge
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}
