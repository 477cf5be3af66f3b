import type { CustomFieldDto } from '@allhands/contract'
import { ActionIcon, Button, Group, Paper, Select, Stack, Table, TagsInput, TextInput, Title } from '@mantine/core'
import { IconTrash } from '@tabler/icons-react'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../../lib/api.ts'
import { keys, queryClient, useCustomFields } from '../../lib/queries.ts'

type Entity = CustomFieldDto['entity']
type FieldType = CustomFieldDto['type']
const ENTITIES: { value: Entity; label: string }[] = [
  { value: 'ticket', label: 'Ticket' },
  { value: 'contact', label: 'Contact' },
  { value: 'organization', label: 'Organization' },
]
const TYPES: { value: FieldType; label: string }[] = [
  { value: 'text', label: 'Text' },
  { value: 'number', label: 'Number' },
  { value: 'checkbox', label: 'Checkbox' },
  { value: 'select', label: 'Select' },
  { value: 'date', label: 'Date' },
]
const refresh = () => queryClient.invalidateQueries({ queryKey: keys.customFields })

export function CustomFieldsSettings() {
  const fields = useCustomFields()
  const [form, setForm] = useState({ entity: 'ticket' as Entity, label: '', key: '', type: 'text' as FieldType, options: [] as string[] })
  const create = useMutation({
    mutationFn: () => api.createCustomField(form),
    onSuccess: () => {
      setForm({ ...form, label: '', key: '', options: [] })
      void refresh()
    },
  })
  const remove = useMutation({ mutationFn: (id: number) => api.deleteCustomField(id), onSuccess: refresh })
  const update = useMutation({ mutationFn: ({ id, options }: { id: number; options: string[] }) => api.updateCustomField(id, { options }), onSuccess: refresh })
  return (
    <Stack>
      <Title order={2} size="h4">
        Custom fields
      </Title>
      <Paper withBorder p="md">
        <form
          onSubmit={(e) => {
            e.preventDefault()
            create.mutate()
          }}
        >
          <Group align="end">
            <Select
              label="Applies to"
              w={140}
              data={ENTITIES}
              value={form.entity}
              allowDeselect={false}
              onChange={(v) => v && setForm({ ...form, entity: v as Entity })}
            />
            <TextInput
              label="Label"
              required
              value={form.label}
              onChange={(e) => {
                const label = e.currentTarget.value
                const key = label
                  .toLowerCase()
                  .replace(/[^a-z0-9]+/g, '_')
                  .replace(/^[^a-z]+|_+$/g, '')
                  .slice(0, 40)
                setForm({ ...form, label, key })
              }}
            />
            <TextInput label="Key" description="a-z, 0-9, _" required value={form.key} onChange={(e) => setForm({ ...form, key: e.currentTarget.value })} />
            <Select
              label="Type"
              w={130}
              data={TYPES}
              value={form.type}
              allowDeselect={false}
              onChange={(v) => v && setForm({ ...form, type: v as FieldType })}
            />
            {form.type === 'select' && <TagsInput label="Options" value={form.options} onChange={(options) => setForm({ ...form, options })} />}
            <Button type="submit" loading={create.isPending}>
              Add field
            </Button>
          </Group>
        </form>
      </Paper>
      <Table aria-label="Custom fields">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Applies to</Table.Th>
            <Table.Th>Label</Table.Th>
            <Table.Th>Key</Table.Th>
            <Table.Th>Type</Table.Th>
            <Table.Th>Options</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {fields.data?.map((f) => (
            <Table.Tr key={f.id}>
              <Table.Td>{f.entity}</Table.Td>
              <Table.Td>{f.label}</Table.Td>
              <Table.Td>{f.key}</Table.Td>
              <Table.Td>{f.type}</Table.Td>
              <Table.Td>
                {f.type === 'select' && (
                  <TagsInput size="xs" aria-label={`Options of ${f.label}`} value={f.options} onChange={(options) => update.mutate({ id: f.id, options })} />
                )}
              </Table.Td>
              <Table.Td>
                <ActionIcon
                  color="red"
                  variant="subtle"
                  aria-label={`Delete field ${f.label}`}
                  onClick={() => confirm(`Delete field ${f.label}?`) && remove.mutate(f.id)}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  )
}
