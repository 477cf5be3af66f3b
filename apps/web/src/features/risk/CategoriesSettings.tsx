import type { CategoryDto } from '@allhands/contract'
import { ActionIcon, Alert, Button, Group, Loader, Paper, Stack, Table, TagsInput, Text, TextInput, Title } from '@mantine/core'
import { IconTrash } from '@tabler/icons-react'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { queryClient } from '../../lib/queries.ts'
import { riskApi, riskKeys, useCategories } from './risk.api.ts'

const refresh = () => queryClient.invalidateQueries({ queryKey: riskKeys.categories })

/** Settings → Categories: the kinds of ticket people get certified for; keywords file uncategorised tickets. */
export function CategoriesSettings() {
  const categories = useCategories()
  const [name, setName] = useState('')
  const [keywords, setKeywords] = useState<string[]>([])
  const create = useMutation({
    mutationFn: () => riskApi.createCategory({ name: name.trim(), keywords }),
    onSuccess: () => {
      setName('')
      setKeywords([])
      void refresh()
    },
  })
  return (
    <Stack>
      <Title order={2} size="h4">
        Categories
      </Title>
      <Text size="sm" c="dimmed">
        Staff set a ticket's category; a ticket without one gets the category whose keywords it mentions most. Contributors take tickets from the queue only in
        categories they are certified for (or uncategorised ones).
      </Text>
      <Paper withBorder p="md">
        <form
          onSubmit={(e) => {
            e.preventDefault()
            if (name.trim()) create.mutate()
          }}
        >
          <Group align="end">
            <TextInput label="Name" required maxLength={80} value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <TagsInput
              label="Keywords"
              description="Press Enter after each one"
              value={keywords}
              onChange={setKeywords}
              style={{ flex: 1, minWidth: 220 }}
              clearable
            />
            <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
              Add category
            </Button>
          </Group>
        </form>
      </Paper>
      {categories.isLoading && <Loader size="sm" aria-label="Loading categories" />}
      {categories.data?.length === 0 && <Alert color="blue">No categories yet. Add one above, e.g. “Cards” with keywords card, PIN, declined.</Alert>}
      {!!categories.data?.length && (
        <Table aria-label="Categories" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Keywords</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {categories.data.map((c) => (
              <CategoryRow key={c.id} category={c} />
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  )
}

function CategoryRow({ category: c }: { category: CategoryDto }) {
  const [name, setName] = useState(c.name)
  const update = useMutation({ mutationFn: (patch: { name?: string; keywords?: string[] }) => riskApi.updateCategory(c.id, patch), onSettled: refresh })
  const remove = useMutation({ mutationFn: () => riskApi.deleteCategory(c.id), onSuccess: refresh })
  return (
    <Table.Tr>
      <Table.Td w={220}>
        <TextInput
          size="xs"
          aria-label={`Name of ${c.name}`}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          onBlur={() => name.trim() && name.trim() !== c.name && update.mutate({ name: name.trim() })}
        />
      </Table.Td>
      <Table.Td>
        <TagsInput size="xs" aria-label={`Keywords of ${c.name}`} value={c.keywords} onChange={(keywords) => update.mutate({ keywords })} />
      </Table.Td>
      <Table.Td w={50}>
        <ActionIcon
          color="red"
          variant="subtle"
          aria-label={`Delete category ${c.name}`}
          onClick={() => confirm(`Delete ${c.name}? Its tickets become uncategorised and its certifications are removed.`) && remove.mutate()}
        >
          <IconTrash size={16} />
        </ActionIcon>
      </Table.Td>
    </Table.Tr>
  )
}
