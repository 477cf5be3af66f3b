import { Avatar, Group, Text, Tooltip } from '@mantine/core'
import { initials } from '../../lib/format.ts'
import { useCurrentUser } from '../../lib/queries.ts'
import { usePresence } from '../../lib/realtime.ts'

/** Who else has this ticket open, and who is writing: avoids two people answering the same customer. */
export function PresenceBar({ ticketId }: { ticketId: number }) {
  const me = useCurrentUser()
  const others = usePresence(ticketId).filter((p) => p.userId !== me.id)
  const typing = others.filter((p) => p.typing)
  if (!others.length) return null
  return (
    <Group gap="xs" wrap="nowrap" aria-live="polite" data-testid="presence">
      <Avatar.Group>
        {others.map((p) => (
          <Tooltip key={p.userId} label={`${p.name} is ${p.typing ? 'typing' : 'viewing'}`}>
            <Avatar size={28} radius="xl" color={p.typing ? 'orange' : 'teal'} aria-label={`${p.name} is viewing`} data-testid="presence-avatar">
              {initials(p.name)}
            </Avatar>
          </Tooltip>
        ))}
      </Avatar.Group>
      {typing.length > 0 && (
        <Text size="xs" c="orange" fs="italic">
          {typing.map((p) => p.name).join(', ')} {typing.length > 1 ? 'are' : 'is'} typing…
        </Text>
      )}
    </Group>
  )
}
