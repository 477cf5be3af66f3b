import type { ExportInput, TicketStatus } from '@allhands/contract'
import { Button, Group, Loader, MultiSelect, Paper, SegmentedControl, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { useInfiniteQuery, useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { fullTime, relativeTime, statusOptions } from '../../lib/format.ts'
import { queryClient, showError, useInboxes } from '../../lib/queries.ts'
import { ExportProgress } from './ExportProgress.tsx'
import { dayToMs, EXPORT_FALLBACK_POLL_MS, exportKeys, exportsApi, isActive, useExportsLive } from './exports.api.ts'

const KIND_LABEL = { tickets: 'Tickets', contacts: 'Contacts', contact_data: 'Contact data (privacy request)' } as const

/** Settings → Export: tickets or contacts as CSV or JSON, written in the background, with progress and downloads. */
export function ExportSettings() {
  const inboxes = useInboxes()
  const [kind, setKind] = useState<'tickets' | 'contacts'>('tickets')
  const [format, setFormat] = useState<'csv' | 'json'>('csv')
  const [statuses, setStatuses] = useState<string[]>([])
  const [inboxId, setInboxId] = useState<string | null>(null)
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  useExportsLive()
  const list = useInfiniteQuery({
    queryKey: exportKeys.exports,
    queryFn: ({ pageParam }) => exportsApi.exports({ cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: (q) => (q.state.data?.pages.some((p) => p.items.some(isActive)) ? EXPORT_FALLBACK_POLL_MS : false),
  })
  const create = useMutation({
    mutationFn: (input: ExportInput) => exportsApi.createExport(input),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: exportKeys.exports }),
    onError: showError,
  })
  const submit = () => {
    const dates = { createdFrom: dayToMs(from), createdTo: dayToMs(to, true) }
    const input: ExportInput =
      kind === 'tickets'
        ? {
            kind,
            format,
            filters: {
              ...(statuses.length ? { status: statuses as TicketStatus[] } : {}),
              ...(inboxId ? { inboxId: Number(inboxId) } : {}),
              ...(dates.createdFrom !== undefined ? { createdFrom: dates.createdFrom } : {}),
              ...(dates.createdTo !== undefined ? { createdTo: dates.createdTo } : {}),
            },
          }
        : {
            kind,
            format,
            filters: {
              ...(dates.createdFrom !== undefined ? { createdFrom: dates.createdFrom } : {}),
              ...(dates.createdTo !== undefined ? { createdTo: dates.createdTo } : {}),
            },
          }
    create.mutate(input)
  }
  const exports = list.data?.pages.flatMap((p) => p.items) ?? []
  return (
    <Stack>
      <Title order={2} size="h4">
        Export
      </Title>
      <Text size="sm" c="dimmed">
        Download tickets or contacts as CSV (for spreadsheets; cells that would run as formulas are prefixed with an apostrophe) or JSON. Large exports are
        written in the background; every export and download is recorded in the audit log.
      </Text>
      <Paper withBorder p="md">
        <form
          aria-label="New export"
          onSubmit={(e) => {
            e.preventDefault()
            submit()
          }}
        >
          <Stack gap="sm">
            <Group align="end">
              <LabelledSegments
                id="export-kind-label"
                label="What"
                value={kind}
                onChange={setKind}
                data={[
                  { value: 'tickets', label: 'Tickets' },
                  { value: 'contacts', label: 'Contacts' },
                ]}
              />
              <LabelledSegments
                id="export-format-label"
                label="Format"
                value={format}
                onChange={setFormat}
                data={[
                  { value: 'csv', label: 'CSV' },
                  { value: 'json', label: 'JSON' },
                ]}
              />
            </Group>
            <Group align="end">
              {kind === 'tickets' && (
                <>
                  <MultiSelect label="Status" placeholder="Any status" data={statusOptions} value={statuses} onChange={setStatuses} clearable w={260} />
                  <Select
                    label="Inbox"
                    placeholder="Any inbox"
                    data={(inboxes.data ?? []).map((i) => ({ value: String(i.id), label: i.name }))}
                    value={inboxId}
                    onChange={setInboxId}
                    clearable
                    w={200}
                  />
                </>
              )}
              <TextInput type="date" label="Created from" value={from} onChange={(e) => setFrom(e.currentTarget.value)} w={170} />
              <TextInput type="date" label="Created until (inclusive)" value={to} onChange={(e) => setTo(e.currentTarget.value)} w={190} />
            </Group>
            <Group>
              <Button type="submit" loading={create.isPending}>
                Start export
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
      <Title order={3} size="h5">
        Exports
      </Title>
      {list.isPending ? (
        <Loader size="sm" aria-label="Loading exports" />
      ) : exports.length === 0 ? (
        <Text c="dimmed" size="sm">
          No exports yet. Start one above; it appears here with its progress and, when ready, a download link.
        </Text>
      ) : (
        <Table aria-label="Exports" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Requested</Table.Th>
              <Table.Th>By</Table.Th>
              <Table.Th>What</Table.Th>
              <Table.Th>Rows</Table.Th>
              <Table.Th>File</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {exports.map((e) => (
              <Table.Tr key={e.id} data-testid="export-row" data-status={e.status}>
                <Table.Td title={fullTime(e.createdAt)} style={{ whiteSpace: 'nowrap' }}>
                  {relativeTime(e.createdAt)}
                </Table.Td>
                <Table.Td>{e.requestedBy?.name ?? '—'}</Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {KIND_LABEL[e.kind]} · {e.format.toUpperCase()}
                    {e.contactId ? ` · contact ${e.contactId}` : ''}
                  </Text>
                  {Object.keys(e.filters).length > 0 && (
                    <Text size="xs" c="dimmed">
                      {describeFilters(e.filters)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{e.rowCount.toLocaleString('en-US')}</Table.Td>
                <Table.Td>
                  <ExportProgress exp={e} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {list.hasNextPage && (
        <Button variant="default" w="fit-content" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          Load more
        </Button>
      )}
    </Stack>
  )
}

function describeFilters(f: Record<string, unknown>): string {
  const day = (ms: unknown) => new Date(Number(ms)).toISOString().slice(0, 10)
  const parts: string[] = []
  if (Array.isArray(f.status)) parts.push(`status ${f.status.join(', ')}`)
  if (f.inboxId) parts.push(`inbox ${f.inboxId}`)
  if (f.createdFrom !== undefined) parts.push(`from ${day(f.createdFrom)}`)
  if (f.createdTo !== undefined) parts.push(`before ${day(f.createdTo)}`)
  return parts.join(' · ')
}

/** A segmented control under a visible label that names it. */
function LabelledSegments<T extends string>(props: { id: string; label: string; value: T; onChange: (v: T) => void; data: { value: T; label: string }[] }) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} id={props.id}>
        {props.label}
      </Text>
      <SegmentedControl aria-labelledby={props.id} value={props.value} onChange={(v) => props.onChange(v as T)} data={props.data} />
    </Stack>
  )
}
