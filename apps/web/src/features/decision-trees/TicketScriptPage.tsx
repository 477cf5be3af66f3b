import { Anchor, Stack, Title } from '@mantine/core'
import { Link, useParams } from '@tanstack/react-router'
import { TicketScriptPanel } from './TicketScriptPanel.tsx'

/** A ticket's scripts on their own page (/tickets/:id/scripts), linked from the ticket until the panel sits on it. */
export function TicketScriptPage() {
  const { ticketId } = useParams({ strict: false }) as { ticketId: string }
  const id = Number(ticketId)
  return (
    <Stack p="md" maw={760}>
      <Title order={1} size="h3">
        Scripts for{' '}
        <Anchor component={Link} to={`/tickets/${id}`}>
          ticket #{id}
        </Anchor>
      </Title>
      <TicketScriptPanel ticketId={id} />
    </Stack>
  )
}
