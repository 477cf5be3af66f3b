import type { TicketDto, UpdateTicketInput } from '@allhands/contract'
import { Anchor, Avatar, Badge, Box, Divider, Group, ScrollArea, Stack, Text, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { api } from '../../lib/api.ts'
import { STATUS_COLOR, STATUS_LABEL, initials, relativeTime } from '../../lib/format.ts'
import { RouterAnchor } from '../../lib/links.tsx'
import { keys, useCustomFields } from '../../lib/queries.ts'
import { CustomFieldsEditor } from '../common/CustomFieldsEditor.tsx'
import { TicketConsultsPanel } from '../consults/TicketConsultsPanel.tsx'
import { TicketRiskPanel } from '../risk/TicketRiskPanel.tsx'
import { TicketVocPanel } from '../voc/TicketVocPanel.tsx'
import { TicketCsatPanel } from '../surveys/TicketCsatPanel.tsx'
// issue 7 chat ticket panel import
import { TicketChatPanel } from '../chat/TicketChatPanel.tsx'
// issue 10 sla ticket panel import
import { TicketSlaPanel } from '../sla/SlaTimers.tsx'

export function TicketSidebar({ ticket, canEdit, onUpdate }: { ticket: TicketDto; canEdit: boolean; onUpdate: (c: UpdateTicketInput) => void }) {
  const contact = useQuery({ queryKey: keys.contact(ticket.requester.id), queryFn: () => api.contact(ticket.requester.id), meta: { silent: true } })
  const others = useQuery({
    queryKey: [...keys.ticketLists, 'requester', ticket.requester.id],
    queryFn: () => api.tickets({ requester: ticket.requester.id, limit: 10 }),
  })
  const fields = useCustomFields()
  const c = contact.data
  return (
    <Box component="aside" aria-label="Ticket details" w={300} visibleFrom="md" style={{ borderLeft: '1px solid var(--mantine-color-default-border)' }}>
      <ScrollArea h="100%" p="md">
        <Stack gap="md">
          {/* issue 10 sla: the ticket's SLA clocks, counting live */}
          <TicketSlaPanel ticket={ticket} />
          {/* issue 7 chat ticket panels */}
          <TicketChatPanel ticket={ticket} />
          {/* issue 6 surveys ticket panels */}
          <TicketCsatPanel ticket={ticket} />
          {/* issue 6 reports ticket panels */}
          {/* issue 6 voc ticket panels */}
          <TicketVocPanel ticket={ticket} />
          {/* issue 5 ticket panels */}
          <TicketRiskPanel ticket={ticket} canEdit={canEdit} onUpdate={onUpdate} />
          <TicketConsultsPanel ticket={ticket} />
          <section aria-label="Requester">
            <Group gap="sm" wrap="nowrap" mb="xs">
              <Avatar color="teal" radius="xl">
                {initials(ticket.requester.name)}
              </Avatar>
              <div style={{ minWidth: 0 }}>
                <RouterAnchor to="/contacts/$contactId" params={{ contactId: String(ticket.requester.id) }} fw={600}>
                  {ticket.requester.name}
                </RouterAnchor>
                {c?.organizationName && c.organizationId && (
                  <Text size="xs">
                    <RouterAnchor to="/organizations/$organizationId" params={{ organizationId: String(c.organizationId) }} c="dimmed">
                      {c.organizationName}
                    </RouterAnchor>
                  </Text>
                )}
              </div>
            </Group>
            {(c?.emails ?? (ticket.requester.email ? [ticket.requester.email] : [])).map((e) => (
              <Text key={e} size="sm" truncate="end">
                <Anchor href={`mailto:${e}`} size="sm">
                  {e}
                </Anchor>
              </Text>
            ))}
            {c?.notes && (
              <Text size="xs" c="dimmed" mt="xs" lineClamp={4}>
                {c.notes}
              </Text>
            )}
          </section>
          <Divider />
          <section aria-label="Other tickets from this requester">
            <Title order={2} size="h6" mb="xs">
              Their tickets
            </Title>
            <Stack gap={6}>
              {others.data?.items
                .filter((t) => t.id !== ticket.id)
                .map((t) => (
                  <Group key={t.id} gap={6} wrap="nowrap" justify="space-between">
                    <RouterAnchor to="/tickets/$ticketId" params={{ ticketId: String(t.id) }} size="sm" truncate="end" style={{ minWidth: 0 }}>
                      #{t.number} {t.subject}
                    </RouterAnchor>
                    <Badge size="xs" color={STATUS_COLOR[t.status]} variant="light" style={{ flexShrink: 0 }}>
                      {STATUS_LABEL[t.status]}
                    </Badge>
                  </Group>
                ))}
              {others.data && others.data.items.filter((t) => t.id !== ticket.id).length === 0 && (
                <Text size="sm" c="dimmed">
                  No other tickets.
                </Text>
              )}
            </Stack>
          </section>
          <Divider />
          <section aria-label="Custom fields">
            <Title order={2} size="h6" mb="xs">
              Fields
            </Title>
            <CustomFieldsEditor
              fields={(fields.data ?? []).filter((f) => f.entity === 'ticket')}
              values={ticket.customFields}
              disabled={!canEdit}
              onChange={(customFields) => onUpdate({ customFields })}
            />
          </section>
          <Divider />
          <Text size="xs" c="dimmed">
            Created {relativeTime(ticket.createdAt)} · {ticket.messageCount} messages
          </Text>
        </Stack>
      </ScrollArea>
    </Box>
  )
}
