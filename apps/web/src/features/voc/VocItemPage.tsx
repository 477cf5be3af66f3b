import type { VocItemDetailDto, VocLinkDto } from '@allhands/contract'
import { BarChart } from '@mantine/charts'
import { Alert, Anchor, Badge, Blockquote, Button, Center, Grid, Group, Loader, Modal, Paper, SimpleGrid, Stack, Text, Timeline, Title } from '@mantine/core'
import { IconExternalLink, IconPencil, IconTrash } from '@tabler/icons-react'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useNavigate, useParams } from '@tanstack/react-router'
import { useState } from 'react'
import { ApiError } from '../../lib/api.ts'
import { fullTime, relativeTime } from '../../lib/format.ts'
import { RouterAnchor } from '../../lib/links.tsx'
import { showError } from '../../lib/queries.ts'
import { VocItemDialog } from './VocItemDialog.tsx'
import { VocLoop } from './VocLoop.tsx'
import { VocStatusBadge, VocStatusSelect } from './VocStatus.tsx'
import { refreshVoc, useVocLive, VOC_KIND_LABEL, VOC_STATUS_LABEL, vocApi, vocKeys } from './voc.api.ts'

const day = (ts: number | null) => (ts ? new Date(ts).toLocaleDateString() : '—')

/** One item: what customers said, who is affected, how often lately, its history, and closing the loop. */
export function VocItemPage() {
  useVocLive()
  const { itemId } = useParams({ strict: false }) as { itemId: string }
  const id = Number(itemId)
  const detail = useQuery({ queryKey: vocKeys.detail(id), queryFn: () => vocApi.get(id), enabled: Number.isInteger(id) && id > 0 })
  if (detail.error)
    return (
      <Center p="xl">
        <Alert color="red" title={detail.error instanceof ApiError && detail.error.status === 404 ? 'Item not found' : 'Cannot open this item'}>
          {detail.error.message}
        </Alert>
      </Center>
    )
  if (!detail.data)
    return (
      <Center p="xl">
        <Loader aria-label="Loading item" />
      </Center>
    )
  return <ItemView detail={detail.data} />
}

function ItemView({ detail }: { detail: VocItemDetailDto }) {
  const { item } = detail
  const navigate = useNavigate()
  const [editing, setEditing] = useState(false)
  const [deleting, setDeleting] = useState(false)
  const remove = useMutation({
    mutationFn: () => vocApi.remove(item.id),
    onSuccess: () => {
      void refreshVoc()
      void navigate({ to: '/voc' })
    },
    onError: showError,
  })
  const unlink = useMutation({ mutationFn: vocApi.unlink, onSuccess: () => void refreshVoc(), onError: showError })
  const trend = detail.trend.map((w) => ({ week: new Date(w.weekStart).toLocaleDateString(undefined, { month: 'short', day: 'numeric' }), Tickets: w.links }))
  return (
    <Stack p="md" gap="md">
      <Anchor size="sm" onClick={() => void navigate({ to: '/voc' })} component="button" style={{ alignSelf: 'flex-start' }}>
        ← Voice of customer
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={1} size="h3">
            {item.title}
          </Title>
          <Group gap="xs" mt={4}>
            <Badge variant="outline" color={item.kind === 'pain_point' ? 'red' : 'indigo'}>
              {VOC_KIND_LABEL[item.kind]}
            </Badge>
            <VocStatusBadge status={item.status} />
            {item.trackerUrl && (
              <Anchor href={item.trackerUrl} target="_blank" rel="noopener noreferrer nofollow" size="sm">
                <Group gap={4}>
                  Tracker <IconExternalLink size={14} aria-hidden />
                </Group>
              </Anchor>
            )}
            {item.createdBy && (
              <Text size="xs" c="dimmed">
                Created by {item.createdBy.name} {relativeTime(item.createdAt)}
              </Text>
            )}
          </Group>
        </div>
        {detail.canManage && (
          <Group gap="xs" align="flex-end">
            <VocStatusSelect item={item} label />
            <Button variant="default" leftSection={<IconPencil size={14} aria-hidden />} onClick={() => setEditing(true)}>
              Edit
            </Button>
            {detail.canDelete && (
              <Button variant="subtle" color="red" leftSection={<IconTrash size={14} aria-hidden />} onClick={() => setDeleting(true)}>
                Delete
              </Button>
            )}
          </Group>
        )}
      </Group>
      {item.descriptionText && (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {item.descriptionText}
        </Text>
      )}
      <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="sm">
        <Stat label="Linked tickets" value={item.linkCount} />
        <Stat label="Customers" value={item.customerCount} />
        <Stat label="Organizations" value={item.organizationCount} />
        <Stat label="First seen" value={day(item.firstSeenAt)} title={item.firstSeenAt ? fullTime(item.firstSeenAt) : undefined} />
        <Stat label="Last seen" value={day(item.lastSeenAt)} title={item.lastSeenAt ? fullTime(item.lastSeenAt) : undefined} />
      </SimpleGrid>
      {detail.canManage && (item.status === 'shipped' || detail.notifications.length > 0) && <VocLoop item={item} notifications={detail.notifications} />}
      <Grid gutter="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            <Paper withBorder p="md" component="section" aria-label="Trend">
              <Title order={2} size="h5" mb="sm">
                Tickets per week (last 12 weeks)
              </Title>
              <BarChart
                h={180}
                data={trend}
                dataKey="week"
                series={[{ name: 'Tickets', color: 'indigo.6' }]}
                tickLine="y"
                withTooltip
                yAxisProps={{ allowDecimals: false }}
              />
            </Paper>
            <section aria-label="Linked tickets">
              <Title order={2} size="h5" mb="sm">
                What customers said ({item.linkCount})
              </Title>
              {detail.links.length === 0 ? (
                <Text size="sm" c="dimmed">
                  No tickets linked yet. Open a ticket and use "Link to item" (shortcut v) in its side panel.
                </Text>
              ) : (
                <Stack gap="sm">
                  {detail.links.map((l) => (
                    <Paper key={l.id} withBorder p="sm" component="article" aria-label={linkLabel(l)}>
                      <Group justify="space-between" gap="xs" wrap="nowrap">
                        <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
                          {l.ticket ? (
                            <RouterAnchor to="/tickets/$ticketId" params={{ ticketId: String(l.ticket.id) }} size="sm" fw={600} truncate="end">
                              #{l.ticket.number} {l.ticket.subject}
                            </RouterAnchor>
                          ) : l.surveyResponseId !== null ? (
                            <Text size="sm" fw={600}>
                              Survey answer
                            </Text>
                          ) : (
                            <Text size="sm" c="dimmed">
                              A ticket you cannot open
                            </Text>
                          )}
                        </Group>
                        <Group gap={6} wrap="nowrap">
                          <Text size="xs" c="dimmed" title={fullTime(l.seenAt)}>
                            {relativeTime(l.seenAt)}
                          </Text>
                          {detail.canManage && (
                            <Button
                              size="compact-xs"
                              variant="subtle"
                              color="gray"
                              onClick={() => unlink.mutate(l.id)}
                              aria-label={`Unlink ${linkLabel(l).toLowerCase()}`}
                            >
                              Unlink
                            </Button>
                          )}
                        </Group>
                      </Group>
                      {l.quote && (
                        <Blockquote p="xs" mt={6} fz="sm" style={{ whiteSpace: 'pre-wrap' }}>
                          {l.quote}
                        </Blockquote>
                      )}
                      <Text size="xs" c="dimmed" mt={4}>
                        {l.contact ? (
                          <RouterAnchor to="/contacts/$contactId" params={{ contactId: String(l.contact.id) }} size="xs">
                            {l.contact.name}
                          </RouterAnchor>
                        ) : (
                          'Unknown customer'
                        )}
                        {l.organization ? ` · ${l.organization.name}` : ''}
                        {l.linkedBy ? ` · linked by ${l.linkedBy.name}` : ''}
                      </Text>
                    </Paper>
                  ))}
                </Stack>
              )}
            </section>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            <Paper withBorder p="md" component="section" aria-label="Affected customers">
              <Title order={2} size="h5" mb="xs">
                Customers ({item.customerCount})
              </Title>
              <CountList entries={detail.customers} to="contact" empty="No customers yet." />
            </Paper>
            <Paper withBorder p="md" component="section" aria-label="Affected organizations">
              <Title order={2} size="h5" mb="xs">
                Organizations ({item.organizationCount})
              </Title>
              <CountList entries={detail.organizations} to="organization" empty="No organizations yet." />
            </Paper>
            <Paper withBorder p="md" component="section" aria-label="Status history">
              <Title order={2} size="h5" mb="sm">
                History
              </Title>
              <Timeline bulletSize={14} lineWidth={2} active={detail.history.length}>
                {detail.history.map((h) => (
                  <Timeline.Item key={h.id} title={h.from ? `${VOC_STATUS_LABEL[h.from]} → ${VOC_STATUS_LABEL[h.to]}` : `Created as ${VOC_STATUS_LABEL[h.to]}`}>
                    <Text size="xs" c="dimmed" title={fullTime(h.createdAt)}>
                      {h.actor?.name ?? 'Someone'} · {relativeTime(h.createdAt)}
                    </Text>
                  </Timeline.Item>
                ))}
              </Timeline>
            </Paper>
          </Stack>
        </Grid.Col>
      </Grid>
      {editing && <VocItemDialog item={item} onClose={() => setEditing(false)} />}
      {deleting && (
        <Modal opened onClose={() => setDeleting(false)} title="Delete this item?">
          <Text size="sm" mb="md">
            "{item.title}" and its {item.linkCount} links, history and prepared replies are deleted. The tickets stay as they are.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(false)}>
              Cancel
            </Button>
            <Button color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
              Delete item
            </Button>
          </Group>
        </Modal>
      )}
    </Stack>
  )
}

function Stat({ label, value, title }: { label: string; value: number | string; title?: string }) {
  return (
    <Paper withBorder p="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="lg" title={title}>
        {value}
      </Text>
    </Paper>
  )
}

function CountList({ entries, to, empty }: { entries: VocItemDetailDto['customers']; to: 'contact' | 'organization'; empty: string }) {
  if (!entries.length)
    return (
      <Text size="sm" c="dimmed">
        {empty}
      </Text>
    )
  return (
    <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {entries.map((e) => (
        <Group key={e.id} component="li" justify="space-between" gap="xs" wrap="nowrap">
          {to === 'contact' ? (
            <RouterAnchor to="/contacts/$contactId" params={{ contactId: String(e.id) }} size="sm" truncate="end">
              {e.name}
            </RouterAnchor>
          ) : (
            <RouterAnchor to="/organizations/$organizationId" params={{ organizationId: String(e.id) }} size="sm" truncate="end">
              {e.name}
            </RouterAnchor>
          )}
          <Badge size="sm" variant="light" color="gray">
            {e.links}
          </Badge>
        </Group>
      ))}
    </Stack>
  )
}

/** How a link is named: the ticket's number, or a survey answer. */
const linkLabel = (l: VocLinkDto) =>
  l.ticket ? `Ticket #${l.ticket.number}` : l.surveyResponseId !== null ? `Survey answer ${l.surveyResponseId}` : 'Linked ticket'
