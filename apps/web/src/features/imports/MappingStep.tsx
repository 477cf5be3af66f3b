import type { ImportDto, ImportMapping } from '@allhands/contract'
import { Alert, Button, Group, Loader, ScrollArea, Select, Stack, Table, Text, Title } from '@mantine/core'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { queryClient, showError } from '../../lib/queries.ts'
import { importKeys, importsApi, KIND_LABEL } from './imports.api.ts'

/**
 * Step 2 of a CSV import: each column of the file is mapped to a field (pre-filled from the header names), with the
 * first rows shown under their column; Start queues the import.
 */
export function MappingStep({ imp, onStarted, onCancel }: { imp: ImportDto; onStarted: () => void; onCancel: () => void }) {
  const preview = useQuery({ queryKey: importKeys.preview(imp.id), queryFn: () => importsApi.preview(imp.id) })
  const [mapping, setMapping] = useState<ImportMapping | null>(null)
  useEffect(() => {
    if (preview.data && mapping === null) setMapping(preview.data.suggestedMapping)
  }, [preview.data, mapping])
  const start = useMutation({
    meta: { silent: true },
    mutationFn: () => importsApi.start(imp.id, { mapping: mapping ?? {} }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: importKeys.all })
      onStarted()
    },
    onError: showError,
  })
  if (preview.isPending) return <Loader size="sm" aria-label="Reading the file" />
  if (preview.isError) return <Alert color="red">{preview.error.message}</Alert>
  const { headers, rows, fields } = preview.data
  const options = [{ value: '', label: 'Do not import' }, ...fields.map((f) => ({ value: f.value, label: f.required ? `${f.label} (required)` : f.label }))]
  const missing = fields.filter((f) => f.required && !Object.values(mapping ?? {}).includes(f.value))
  return (
    <Stack gap="sm">
      <Title order={4}>
        Map the columns of {imp.filename} ({KIND_LABEL[imp.kind]})
      </Title>
      <Text size="sm" c="dimmed">
        Each column goes to one field. Rows whose values do not fit (a bad email, a missing required field, a value a custom field does not allow) are reported
        with their row number; the others are imported. Contacts with an email already known are updated, not duplicated.
      </Text>
      <ScrollArea>
        <Table withTableBorder withColumnBorders striped aria-label="Column mapping and preview">
          <Table.Thead>
            <Table.Tr>
              {headers.map((h) => (
                <Table.Th key={h} miw={180}>
                  <Select
                    label={`Column “${h}”`}
                    data={options}
                    value={mapping?.[h] ?? ''}
                    onChange={(v) => setMapping((m) => ({ ...(m ?? {}), [h]: v ?? '' }))}
                    allowDeselect={false}
                    size="xs"
                  />
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={headers.length}>
                  <Text size="sm" c="dimmed">
                    The file has a header but no rows.
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {rows.map((row, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: preview rows have no identity but their position
              <Table.Tr key={i}>
                {row.map((cell, j) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
                  <Table.Td key={j}>
                    <Text size="sm" lineClamp={2}>
                      {cell}
                    </Text>
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      {missing.length > 0 && <Alert color="yellow">Map a column to: {missing.map((f) => f.label).join(', ')}</Alert>}
      <Group>
        <Button onClick={() => start.mutate()} loading={start.isPending} disabled={missing.length > 0}>
          Start import
        </Button>
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
      </Group>
    </Stack>
  )
}
