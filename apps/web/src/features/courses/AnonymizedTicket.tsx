import type { AnonymizedTicketDto } from '@allhands/contract'
import { Paper, Stack, Text } from '@mantine/core'

/** A past ticket as learners see it: subject and customer messages with names, addresses and numbers masked. */
export function AnonymizedTicket({ ticket }: { ticket: AnonymizedTicketDto }) {
  return (
    <Stack gap="xs">
      <Text fw={600}>{ticket.subject}</Text>
      {ticket.messages.map((m, i) => (
        // Messages have no id of their own: their order is fixed when the lesson is authored.
        // biome-ignore lint/suspicious/noArrayIndexKey: the list never reorders
        <Paper key={i} withBorder p="sm" bg={m.from === 'customer' ? 'var(--mantine-color-gray-0)' : undefined}>
          <Text size="xs" c="dimmed">
            {m.from === 'customer' ? 'Customer' : 'Agent'}
          </Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {m.text}
          </Text>
        </Paper>
      ))}
      <Text size="xs" c="dimmed">
        Names, addresses and numbers are masked: [name], [email], [phone], [number], [link].
      </Text>
    </Stack>
  )
}
