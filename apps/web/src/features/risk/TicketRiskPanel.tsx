import type { TicketDto, UpdateTicketInput } from '@allhands/contract'
import { Button, Group, List, Select, Stack, Text, ThemeIcon, Title } from '@mantine/core'
import { IconArrowBackUp } from '@tabler/icons-react'
import { useNavigate } from '@tanstack/react-router'
import { useState } from 'react'
import { useCurrentUser } from '../../lib/queries.ts'
import { HandBackDialog } from '../queue/HandBackDialog.tsx'
import { RiskBadge } from './RiskBadge.tsx'
import { RISK_COLOR, useCategories } from './risk.api.ts'

/**
 * The ticket's risk (level and every reason), its category (staff choose it; otherwise picked from
 * keywords) and, for the person holding the ticket, handing it back to support.
 */
export function TicketRiskPanel({ ticket, canEdit, onUpdate }: { ticket: TicketDto; canEdit: boolean; onUpdate: (c: UpdateTicketInput) => void }) {
  const me = useCurrentUser()
  const navigate = useNavigate()
  const categories = useCategories()
  const [handingBack, setHandingBack] = useState(false)
  const category = categories.data?.find((c) => c.id === ticket.categoryId)
  const isHolder = ticket.assignee?.id === me.id
  return (
    <section aria-labelledby="ticket-risk-title">
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Title order={2} size="h6" id="ticket-risk-title">
          Risk
        </Title>
        <RiskBadge level={ticket.riskLevel} size="sm" />
      </Group>
      {ticket.riskReasons.length === 0 ? (
        <Text size="sm" c="dimmed">
          No risk rule matches this ticket.
        </Text>
      ) : (
        <List spacing={4} size="sm" aria-label="Why this ticket is risky">
          {ticket.riskReasons.map((r) => (
            <List.Item key={`${r.ruleId ?? r.rule}-${r.detail}`} icon={<ThemeIcon color={RISK_COLOR[r.level]} size={10} radius="xl" aria-hidden />}>
              <Text size="sm" span fw={500}>
                {r.rule}
              </Text>
              <Text size="xs" c="dimmed">
                {r.detail} ({r.level})
              </Text>
            </List.Item>
          ))}
        </List>
      )}
      <Stack gap={6} mt="sm">
        {canEdit ? (
          <Select
            label="Category"
            size="xs"
            placeholder="Uncategorised"
            clearable
            data={(categories.data ?? []).map((c) => ({ value: String(c.id), label: c.name }))}
            value={ticket.categoryId ? String(ticket.categoryId) : null}
            onChange={(v) => onUpdate({ categoryId: v ? Number(v) : null })}
            nothingFoundMessage="No categories yet (Settings → Categories)"
          />
        ) : (
          <Text size="sm">
            <Text span c="dimmed" size="sm">
              Category:{' '}
            </Text>
            {category?.name ?? 'Uncategorised'}
          </Text>
        )}
        {isHolder && (
          <Button size="xs" variant="light" color="orange" leftSection={<IconArrowBackUp size={14} aria-hidden />} onClick={() => setHandingBack(true)}>
            Hand back to support
          </Button>
        )}
      </Stack>
      <HandBackDialog
        ticketId={ticket.id}
        opened={handingBack}
        onClose={() => setHandingBack(false)}
        // A contributor may lose sight of the ticket once it is no longer theirs: back to the queue.
        onHandedBack={me.role === 'contributor' ? () => void navigate({ to: '/queue' }) : undefined}
      />
    </section>
  )
}
