import { IMPORT_KINDS, IMPORT_LIMITS, type ImportDto, type ImportKind } from '@allhands/contract'
import { Alert, Badge, Button, FileInput, Group, Loader, Paper, Select, Stack, Table, Text, Title } from '@mantine/core'
import { IconFileImport, IconUpload } from '@tabler/icons-react'
import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query'
import { type DragEvent, useEffect, useState } from 'react'
import { formatBytes, relativeTime } from '../../lib/format.ts'
import { queryClient, showError, useInboxes } from '../../lib/queries.ts'
import { realtime, useRoom } from '../../lib/realtime.ts'
import { ImportProgress } from './ImportProgress.tsx'
import { ImportReport } from './ImportReport.tsx'
import { importKeys, importsApi, isCsvKind, KIND_ACCEPT, KIND_LABEL, STATUS_COLOR, STATUS_LABEL } from './imports.api.ts'
import { MappingStep } from './MappingStep.tsx'

const KIND_OPTIONS = IMPORT_KINDS.map((k) => ({ value: k, label: KIND_LABEL[k] }))

/** Step 1: pick what to import, the inbox (mail and exports), and drop or choose the file. */
function UploadStep({ onUploaded }: { onUploaded: (imp: ImportDto) => void }) {
  const inboxes = useInboxes()
  const [kind, setKind] = useState<ImportKind>('csv-contacts')
  const [inboxId, setInboxId] = useState<string | null>(null)
  const [file, setFile] = useState<File | null>(null)
  const [dragging, setDragging] = useState(false)
  const needsInbox = !isCsvKind(kind)
  const tooBig = !!file && file.size > IMPORT_LIMITS.uploadBytes
  const upload = useMutation({
    meta: { silent: true },
    mutationFn: async () => {
      const imp = await importsApi.upload(kind, file!, needsInbox && inboxId ? Number(inboxId) : null)
      // Mail and exports need no mapping: start them at once.
      return needsInbox ? importsApi.start(imp.id, { inboxId: Number(inboxId) }) : imp
    },
    onSuccess: (imp) => {
      setFile(null)
      void queryClient.invalidateQueries({ queryKey: importKeys.all })
      onUploaded(imp)
    },
    onError: showError,
  })
  const onDrop = (e: DragEvent) => {
    e.preventDefault()
    setDragging(false)
    const dropped = e.dataTransfer.files[0]
    if (dropped) setFile(dropped)
  }
  return (
    <Paper
      withBorder
      p="md"
      onDragOver={(e: DragEvent) => {
        e.preventDefault()
        setDragging(true)
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      bg={dragging ? 'var(--mantine-color-blue-light)' : undefined}
      aria-label="New import: drop a file here"
    >
      <Stack gap="sm">
        <Group grow align="flex-end">
          <Select label="What to import" data={KIND_OPTIONS} value={kind} onChange={(v) => v && setKind(v as ImportKind)} allowDeselect={false} />
          {needsInbox && (
            <Select
              label="Inbox for the imported tickets"
              placeholder="Choose an inbox"
              data={(inboxes.data ?? []).map((i) => ({ value: String(i.id), label: i.name }))}
              value={inboxId}
              onChange={setInboxId}
            />
          )}
        </Group>
        <FileInput
          label="File"
          description={`Drop the file anywhere on this box, or choose it (up to ${IMPORT_LIMITS.uploadBytes / 1024 / 1024} MB).`}
          placeholder="Choose a file"
          accept={KIND_ACCEPT[kind]}
          value={file}
          onChange={setFile}
          clearable
          leftSection={<IconUpload size={16} />}
        />
        {tooBig && <Alert color="red">This file is larger than {IMPORT_LIMITS.uploadBytes / 1024 / 1024} MB; split it into smaller files.</Alert>}
        {(kind === 'mbox' || kind === 'maildir') && (
          <Text size="xs" c="dimmed">
            Messages go through the same pipeline as live mail: threaded, deduplicated by Message-ID, sanitized. No automatic replies are sent.
          </Text>
        )}
        <Group>
          <Button
            onClick={() => upload.mutate()}
            loading={upload.isPending}
            disabled={!file || tooBig || (needsInbox && !inboxId)}
            leftSection={<IconFileImport size={16} />}
          >
            {needsInbox ? 'Upload and import' : 'Upload and map columns'}
          </Button>
        </Group>
      </Stack>
    </Paper>
  )
}

/**
 * Settings → Import (admins): upload a CSV of contacts or organizations (then map its columns from a preview), an
 * mbox or maildir archive, or a Zendesk/Freshdesk export; follow its progress live, read the report with the failed
 * rows, cancel or resume it; the list of past imports.
 */
export function ImportsSettings() {
  const [mappingId, setMappingId] = useState<number | null>(null)
  const [selectedId, setSelectedId] = useState<number | null>(null)
  useRoom('imports')
  useEffect(
    () =>
      realtime.onEvent((e) => {
        if (e.name === 'import.changed') void queryClient.invalidateQueries({ queryKey: importKeys.all })
      }),
    [],
  )
  const list = useInfiniteQuery({
    queryKey: importKeys.list,
    queryFn: ({ pageParam }) => importsApi.list(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })
  const mappingImport = useQuery({ queryKey: importKeys.one(mappingId ?? 0), queryFn: () => importsApi.get(mappingId!), enabled: mappingId !== null })
  const selected = useQuery({ queryKey: importKeys.one(selectedId ?? 0), queryFn: () => importsApi.get(selectedId!), enabled: selectedId !== null })
  const items = list.data?.pages.flatMap((p) => p.items) ?? []

  return (
    <Stack gap="lg">
      <div>
        <Title order={3}>Import</Title>
        <Text size="sm" c="dimmed">
          Bring contacts, organizations and past conversations into Allhands. Running an import again updates what it imported before instead of duplicating it.
        </Text>
      </div>
      {mappingId !== null && mappingImport.data ? (
        <Paper withBorder p="md">
          <MappingStep
            imp={mappingImport.data}
            onStarted={() => {
              setSelectedId(mappingId)
              setMappingId(null)
            }}
            onCancel={() => {
              void importsApi.cancel(mappingId).finally(() => queryClient.invalidateQueries({ queryKey: importKeys.all }))
              setMappingId(null)
            }}
          />
        </Paper>
      ) : (
        <UploadStep onUploaded={(imp) => (imp.status === 'uploaded' ? setMappingId(imp.id) : setSelectedId(imp.id))} />
      )}
      {selected.data && (
        <Paper withBorder p="md">
          <ImportReport imp={selected.data} />
        </Paper>
      )}
      <div>
        <Title order={4} mb="xs">
          Past imports
        </Title>
        {list.isPending ? (
          <Loader size="sm" aria-label="Loading imports" />
        ) : items.length === 0 ? (
          <Text size="sm" c="dimmed">
            No imports yet. Upload a file above to start one.
          </Text>
        ) : (
          <Table striped highlightOnHover aria-label="Past imports">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>File</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th w="35%">Progress</Table.Th>
                <Table.Th>Uploaded</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((imp) => (
                <Table.Tr key={imp.id}>
                  <Table.Td>
                    <Text size="sm">{imp.filename}</Text>
                    <Text size="xs" c="dimmed">
                      {formatBytes(imp.size)}
                    </Text>
                  </Table.Td>
                  <Table.Td>{KIND_LABEL[imp.kind]}</Table.Td>
                  <Table.Td>
                    <Badge color={STATUS_COLOR[imp.status]} variant="light">
                      {STATUS_LABEL[imp.status]}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{imp.status !== 'uploaded' && <ImportProgress imp={imp} />}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{relativeTime(imp.createdAt)}</Text>
                    {imp.createdBy && (
                      <Text size="xs" c="dimmed">
                        {imp.createdBy.name}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {imp.status === 'uploaded' && isCsvKind(imp.kind) ? (
                      <Button size="xs" variant="light" onClick={() => setMappingId(imp.id)}>
                        Map and start
                      </Button>
                    ) : imp.status === 'uploaded' ? (
                      <Button
                        size="xs"
                        variant="subtle"
                        color="gray"
                        onClick={() => void importsApi.cancel(imp.id).finally(() => queryClient.invalidateQueries({ queryKey: importKeys.all }))}
                      >
                        Discard
                      </Button>
                    ) : (
                      <Button size="xs" variant="subtle" onClick={() => setSelectedId(imp.id)} aria-label={`Report of ${imp.filename}`}>
                        Report
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {list.hasNextPage && (
          <Button variant="subtle" mt="xs" onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
            Show older imports
          </Button>
        )}
      </div>
    </Stack>
  )
}
