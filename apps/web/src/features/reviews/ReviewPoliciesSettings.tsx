import type { ReviewPolicyDto, UpdateReviewPolicyInput } from '@allhands/contract'
import { ActionIcon, Alert, Button, Group, Loader, NumberInput, Select, Stack, Switch, Table, Text, Title } from '@mantine/core'
import { IconTrash } from '@tabler/icons-react'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { request } from '../../lib/api.ts'
import { queryClient } from '../../lib/queries.ts'
import { reviewKeys, reviewsApi } from './reviews.api.ts'

type Category = { id: number; name: string }

/** Admin settings: per category (and a default) the review SLA and when people in review are promoted automatically. */
export function ReviewPoliciesSettings() {
  const policies = useQuery({ queryKey: reviewKeys.policies, queryFn: reviewsApi.policies })
  const categories = useQuery({ queryKey: ['categories'], queryFn: () => request<Category[]>('GET', '/categories'), meta: { silent: true } })
  const [categoryId, setCategoryId] = useState<string | null>(null)
  const refresh = () => void queryClient.invalidateQueries({ queryKey: reviewKeys.policies })
  const create = useMutation({
    mutationFn: (id: number) => reviewsApi.createPolicy({ categoryId: id }),
    onSuccess: () => {
      setCategoryId(null)
      refresh()
    },
  })
  const covered = new Set(policies.data?.map((p) => p.categoryId))
  const free = (categories.data ?? []).filter((c) => !covered.has(c.id))
  return (
    <Stack>
      <Title order={2} size="h4">
        Review policies
      </Title>
      <Text size="sm" c="dimmed">
        Replies by people in review wait for an agent's approval. Each policy sets how soon reviews are due, and when someone is promoted to trusted
        automatically: after the given number of approved replies whose edits stayed small (share of words changed), with no reply returned since their last
        trust change. The default applies to tickets without a category or without their own policy. Every change is audited.
      </Text>
      {policies.isPending ? (
        <Loader size="sm" aria-label="Loading review policies" />
      ) : (
        <Table aria-label="Review policies">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Category</Table.Th>
              <Table.Th>Review due within (minutes)</Table.Th>
              <Table.Th>Automatic promotion</Table.Th>
              <Table.Th>Approvals needed</Table.Th>
              <Table.Th>Small edit: at most % of words</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {policies.data?.map((p) => (
              <PolicyRow key={p.id} policy={p} onChanged={refresh} />
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group align="end">
        <Select
          label="Add a policy for a category"
          placeholder={!categories.data?.length ? 'No categories yet' : free.length ? 'Choose a category' : 'Every category has a policy'}
          data={free.map((c) => ({ value: String(c.id), label: c.name }))}
          value={categoryId}
          onChange={setCategoryId}
          disabled={!free.length}
          w={280}
        />
        <Button disabled={!categoryId} loading={create.isPending} onClick={() => categoryId && create.mutate(Number(categoryId))}>
          Add policy
        </Button>
      </Group>
      {categories.error && <Alert color="gray">Categories could not be loaded; the default policy still applies to every ticket.</Alert>}
    </Stack>
  )
}

function PolicyRow({ policy: p, onChanged }: { policy: ReviewPolicyDto; onChanged: () => void }) {
  const update = useMutation({ mutationFn: (patch: UpdateReviewPolicyInput) => reviewsApi.updatePolicy(p.id, patch), onSuccess: onChanged, onError: onChanged })
  const remove = useMutation({ mutationFn: () => reviewsApi.deletePolicy(p.id), onSuccess: onChanged })
  const name = p.categoryName ?? 'Default (no category)'
  const save = (patch: UpdateReviewPolicyInput) => update.mutate(patch)
  return (
    <Table.Tr data-testid={`review-policy-${p.categoryId ?? 'default'}`}>
      <Table.Td>
        <Text size="sm" fw={p.categoryId === null ? 600 : undefined}>
          {name}
        </Text>
      </Table.Td>
      <Table.Td>
        <NumberInput
          size="xs"
          w={100}
          min={1}
          max={10080}
          aria-label={`Review SLA in minutes for ${name}`}
          defaultValue={p.slaMinutes}
          onBlur={(e) => {
            const v = Number(e.currentTarget.value)
            if (Number.isInteger(v) && v >= 1 && v !== p.slaMinutes) save({ slaMinutes: v })
          }}
        />
      </Table.Td>
      <Table.Td>
        <Switch aria-label={`Automatic promotion for ${name}`} checked={p.enabled} onChange={(e) => save({ enabled: e.currentTarget.checked })} />
      </Table.Td>
      <Table.Td>
        <NumberInput
          size="xs"
          w={90}
          min={1}
          max={1000}
          aria-label={`Approvals needed for promotion in ${name}`}
          defaultValue={p.approvalsRequired}
          disabled={!p.enabled}
          onBlur={(e) => {
            const v = Number(e.currentTarget.value)
            if (Number.isInteger(v) && v >= 1 && v !== p.approvalsRequired) save({ approvalsRequired: v })
          }}
        />
      </Table.Td>
      <Table.Td>
        <NumberInput
          size="xs"
          w={90}
          min={0}
          max={100}
          suffix="%"
          aria-label={`Largest edit that still counts as small in ${name}, in percent of words`}
          defaultValue={Math.round(p.maxEditRatio * 100)}
          disabled={!p.enabled}
          onBlur={(e) => {
            const v = Number.parseFloat(e.currentTarget.value)
            if (Number.isFinite(v) && v >= 0 && v <= 100 && v / 100 !== p.maxEditRatio) save({ maxEditRatio: v / 100 })
          }}
        />
      </Table.Td>
      <Table.Td>
        {p.categoryId !== null && (
          <ActionIcon variant="subtle" color="red" aria-label={`Remove the policy for ${name}`} loading={remove.isPending} onClick={() => remove.mutate()}>
            <IconTrash size={16} />
          </ActionIcon>
        )}
      </Table.Td>
    </Table.Tr>
  )
}
