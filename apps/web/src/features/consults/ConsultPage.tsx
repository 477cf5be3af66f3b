import { Anchor, Breadcrumbs, Stack, Text, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useParams } from '@tanstack/react-router'
import { RouterAnchor } from '../../lib/links.tsx'
import { ConsultThread } from './ConsultThread.tsx'
import { consultKeys, consultsApi, useConsultsLive } from './consults.api.ts'

/** One consult: its question and thread. The ticket links only for people who can see it. */
export function ConsultPage() {
  useConsultsLive()
  const { consultId } = useParams({ strict: false }) as { consultId: string }
  const id = Number(consultId)
  const detail = useQuery({ queryKey: consultKeys.detail(id), queryFn: () => consultsApi.get(id), enabled: Number.isInteger(id) && id > 0 })
  const c = detail.data?.consult
  return (
    <Stack p="md" maw={800}>
      <Breadcrumbs>
        <RouterAnchor to="/consults">Consults</RouterAnchor>
        <Text size="sm">#{consultId}</Text>
      </Breadcrumbs>
      {c && (
        <div>
          <Title order={1} size="h4">
            About ticket #{c.ticket.number}: {c.ticket.subject}
          </Title>
          <Text size="sm" c="dimmed">
            {c.canViewTicket ? (
              <RouterAnchor to="/tickets/$ticketId" params={{ ticketId: String(c.ticket.id) }}>
                Open the ticket
              </RouterAnchor>
            ) : (
              'You were asked for your expertise: the customer conversation stays with the support team.'
            )}
          </Text>
        </div>
      )}
      {detail.isError ? (
        <Text c="dimmed">
          This consult does not exist or is not shared with you. <Anchor href="/consults">Back to consults</Anchor>
        </Text>
      ) : (
        <ConsultThread consultId={id} />
      )}
    </Stack>
  )
}
