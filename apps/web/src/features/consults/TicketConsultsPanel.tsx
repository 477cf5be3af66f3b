import type { TicketDto } from '@allhands/contract'
import { Accordion, Button, Group, Loader, Stack, Text, Title } from '@mantine/core'
import { IconMessageQuestion } from '@tabler/icons-react'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { insertIntoComposer } from '../tickets/composer-bus.ts'
import { AskExpertDialog } from './AskExpertDialog.tsx'
import { ConsultStatusBadge, ConsultThread } from './ConsultThread.tsx'
import { consultKeys, consultsApi, quoteHtml, useConsultsLive } from './consults.api.ts'

/** The ticket's consults (waiting ones first, with due times), their answers to quote, and "Ask an expert". */
export function TicketConsultsPanel({ ticket }: { ticket: TicketDto }) {
  useConsultsLive()
  const [asking, setAsking] = useState(false)
  const list = useQuery({ queryKey: consultKeys.ticket(ticket.id), queryFn: () => consultsApi.forTicket(ticket.id) })
  const consults = list.data?.items ?? []
  const waiting = consults.filter((c) => c.status !== 'resolved')
  const resolved = consults.filter((c) => c.status === 'resolved')
  return (
    <section aria-label="Expert consults">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h6">
          Consults{waiting.length ? ` (${waiting.length} open)` : ''}
        </Title>
        <Button size="compact-xs" variant="light" leftSection={<IconMessageQuestion size={14} aria-hidden />} onClick={() => setAsking(true)}>
          Ask an expert
        </Button>
      </Group>
      {list.isPending ? (
        <Loader size="xs" aria-label="Loading consults" />
      ) : consults.length === 0 ? (
        <Text size="xs" c="dimmed">
          Need engineering, billing or legal? Ask a team or a person; their answer can be quoted into your reply.
        </Text>
      ) : (
        <Accordion variant="separated" chevronPosition="left" multiple defaultValue={waiting.slice(0, 1).map((c) => String(c.id))}>
          {[...waiting, ...resolved].map((c) => (
            <Accordion.Item key={c.id} value={String(c.id)}>
              <Accordion.Control aria-label={`Consult with ${c.team?.name ?? c.assignee?.name ?? 'experts'}: ${c.question}`}>
                <Stack gap={2}>
                  <Group gap={6} justify="space-between" wrap="nowrap">
                    <Text size="xs" fw={600} truncate="end">
                      {c.team?.name ?? c.assignee?.name}
                      {c.team && c.assignee ? ` · ${c.assignee.name}` : ''}
                    </Text>
                    <ConsultStatusBadge consult={c} />
                  </Group>
                  <Text size="xs" lineClamp={2}>
                    {c.question}
                  </Text>
                </Stack>
              </Accordion.Control>
              <Accordion.Panel>
                <ConsultThread
                  consultId={c.id}
                  onQuote={(m, consult) => insertIntoComposer(quoteHtml(m.text, m.author.name, consult.team?.name ?? null), 'reply')}
                />
              </Accordion.Panel>
            </Accordion.Item>
          ))}
        </Accordion>
      )}
      {asking && <AskExpertDialog ticket={ticket} onClose={() => setAsking(false)} />}
    </section>
  )
}
