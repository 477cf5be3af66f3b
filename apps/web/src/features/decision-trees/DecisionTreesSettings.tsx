import { Alert, Anchor, Badge, Button, Group, Loader, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { IconPlus } from '@tabler/icons-react'
import { useMutation, useQuery } from '@tanstack/react-query'
import { Link, useNavigate } from '@tanstack/react-router'
import { useState } from 'react'
import { isAdmin, isStaff, queryClient, useCurrentUser } from '../../lib/queries.ts'
import { riskApi, riskKeys } from '../risk/risk.api.ts'
import { AUDIENCE_LABEL, treeKeys, treesApi, useTrees } from './decision-trees.api.ts'

/** Settings → Decision trees: every tree with its state, a new tree, and (admins) the scripts categories require. */
export function DecisionTreesSettings() {
  const user = useCurrentUser()
  const trees = useTrees()
  const navigate = useNavigate()
  const [name, setName] = useState('')
  const create = useMutation({
    mutationFn: () => treesApi.create({ name }),
    onSuccess: (t) => {
      void queryClient.invalidateQueries({ queryKey: treeKeys.list })
      void navigate({ to: '/decision-trees/$treeId', params: { treeId: String(t.id) } })
    },
  })
  const items = trees.data?.items ?? []
  return (
    <Stack>
      <Title order={2} size="h3">
        Decision trees
      </Title>
      <Text size="sm" c="dimmed">
        Guided help for customers on the help center (
        <Anchor href="/help/trees" target="_blank">
          /help/trees
        </Anchor>
        ) and scripts agents run on a ticket.
      </Text>
      {isStaff(user.role) && (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            if (name.trim()) create.mutate()
          }}
        >
          <Group align="end">
            <TextInput label="New tree" placeholder="e.g. Card declined" value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={120} />
            <Button type="submit" leftSection={<IconPlus size={16} />} loading={create.isPending} disabled={!name.trim()}>
              Create
            </Button>
          </Group>
        </form>
      )}
      {trees.isLoading ? (
        <Loader size="sm" aria-label="Loading trees" />
      ) : !items.length ? (
        <Text c="dimmed">No decision trees yet. Create one to guide customers or agents step by step.</Text>
      ) : (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>For</Table.Th>
              <Table.Th>State</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td>
                  {t.canEdit ? (
                    <Anchor component={Link} to={`/decision-trees/${t.id}`}>
                      {t.name}
                    </Anchor>
                  ) : (
                    t.name
                  )}
                </Table.Td>
                <Table.Td>{AUDIENCE_LABEL[t.audience]}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    <Badge color={t.status === 'published' ? 'green' : 'gray'}>{t.status === 'published' ? `v${t.publishedVersion}` : 'Draft'}</Badge>
                    {t.canEdit && t.problems.length > 0 && (
                      <Badge color="orange" variant="light">
                        {t.problems.length} to fix in draft
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {isAdmin(user.role) && <RequiredScripts />}
    </Stack>
  )
}

/** Per category, the script rotation contributors must run before replying (connects to safe routing). */
function RequiredScripts() {
  const categories = useQuery({ queryKey: riskKeys.categories, queryFn: riskApi.categories })
  const reqs = useQuery({ queryKey: treeKeys.requirements, queryFn: treesApi.requirements })
  const trees = useTrees()
  const set = useMutation({
    mutationFn: ({ categoryId, treeId }: { categoryId: number; treeId: number | null }) => treesApi.setRequirement(categoryId, treeId),
    onSuccess: (data) => queryClient.setQueryData(treeKeys.requirements, data),
  })
  const scripts = (trees.data?.items ?? []).filter((t) => t.status === 'published' && t.audience !== 'public')
  return (
    <Stack gap="xs" mt="lg">
      <Title order={3} size="h4">
        Required scripts
      </Title>
      <Text size="sm" c="dimmed">
        Rotation contributors must run the chosen script on a ticket of the category before they can reply to the customer.
      </Text>
      {set.error && <Alert color="red">{set.error.message}</Alert>}
      {!categories.data?.length ? (
        <Text size="sm" c="dimmed">
          No categories yet.
        </Text>
      ) : (
        <Table>
          <Table.Tbody>
            {categories.data.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>{c.name}</Table.Td>
                <Table.Td>
                  <Select
                    aria-label={`Required script for ${c.name}`}
                    placeholder="No script required"
                    clearable
                    data={scripts.map((t) => ({ value: String(t.id), label: t.name }))}
                    value={reqs.data?.items.find((r) => r.categoryId === c.id)?.treeId.toString() ?? null}
                    onChange={(v) => set.mutate({ categoryId: c.id, treeId: v ? Number(v) : null })}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  )
}
