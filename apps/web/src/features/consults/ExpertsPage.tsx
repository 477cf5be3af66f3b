import { Avatar, Badge, Card, Center, Group, Loader, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { IconSearch } from '@tabler/icons-react'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { initials, relativeTime } from '../../lib/format.ts'
import { consultKeys, consultsApi } from './consults.api.ts'

/** "Who knows this?": people ranked by the consults they answered on similar questions, with their teams and topics. */
export function ExpertsPage() {
  const [q, setQ] = useState('')
  const [debounced] = useDebouncedValue(q.trim(), 250)
  const experts = useQuery({
    queryKey: consultKeys.experts(debounced),
    queryFn: () => consultsApi.experts(debounced, 24),
    placeholderData: keepPreviousData,
  })
  const items = experts.data?.items ?? []
  return (
    <Stack p="md" maw={1100}>
      <Title order={1} size="h3">
        Who knows this?
      </Title>
      <Text c="dimmed" size="sm">
        People who answered consults on a topic, most relevant and most recent first. Search with the words of the customer's question.
      </Text>
      <TextInput
        aria-label="Search expertise"
        placeholder="e.g. refund chargeback, SSO login, webhook retries"
        leftSection={<IconSearch size={16} aria-hidden />}
        rightSection={experts.isFetching ? <Loader size="xs" aria-label="Searching" /> : null}
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        maxLength={300}
        data-autofocus
      />
      {experts.isPending ? (
        <Center p="xl">
          <Loader aria-label="Loading experts" />
        </Center>
      ) : items.length === 0 ? (
        <Text c="dimmed" p="md">
          {debounced
            ? `Nobody has answered a consult about "${debounced}" yet. Ask the team that owns the topic from a ticket.`
            : 'No consults have been answered yet. As people answer them, they show up here.'}
        </Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} role="list" aria-label="Experts">
          {items.map((e) => (
            <Card key={e.user.id} withBorder role="listitem" data-testid={`expert-${e.user.id}`}>
              <Group wrap="nowrap">
                <Avatar color="indigo" radius="xl">
                  {initials(e.user.name)}
                </Avatar>
                <div style={{ minWidth: 0 }}>
                  <Text fw={600} truncate="end">
                    {e.user.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {e.teams.length ? e.teams.map((t) => t.name).join(', ') : 'No team'}
                  </Text>
                </div>
              </Group>
              <Text size="sm" mt="sm">
                {e.answeredCount} answered consult{e.answeredCount === 1 ? '' : 's'}
                {debounced && e.answeredCount ? ` · ${e.matchedCount} on this` : ''}
              </Text>
              {e.lastAnsweredAt && (
                <Text size="xs" c="dimmed">
                  Last answered {relativeTime(e.lastAnsweredAt)}
                </Text>
              )}
              {e.topics.length > 0 && (
                <Group gap={4} mt="xs" aria-label="Top topics">
                  {e.topics.map((t) => (
                    <Badge key={t} size="sm" variant="light">
                      {t}
                    </Badge>
                  ))}
                </Group>
              )}
            </Card>
          ))}
        </SimpleGrid>
      )}
    </Stack>
  )
}
