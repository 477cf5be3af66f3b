import type { CommunityCategoryDto, CommunitySettingsDto } from '@allhands/contract'
import { Alert, Anchor, Button, Group, Loader, NumberInput, Select, Stack, Switch, Table, TagsInput, Text, TextInput, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { ConfirmModal } from '../../lib/confirm-modal.tsx'
import { queryClient, showError } from '../../lib/queries.ts'
import { EditDeleteButtons } from '../../lib/row-actions.tsx'
import { communityApi, communityKeys } from './community.api.ts'

function Categories() {
  const list = useQuery({ queryKey: communityKeys.categories, queryFn: communityApi.categories })
  const [editing, setEditing] = useState<CommunityCategoryDto | 'new' | null>(null)
  const [name, setName] = useState('')
  const [description, setDescription] = useState('')
  const [deleting, setDeleting] = useState<CommunityCategoryDto | null>(null)
  const refresh = () => void queryClient.invalidateQueries({ queryKey: communityKeys.all })
  const save = useMutation({
    mutationFn: () =>
      editing === 'new'
        ? communityApi.createCategory({ name, description })
        : communityApi.updateCategory((editing as CommunityCategoryDto).id, { name, description }),
    onSuccess: () => {
      setEditing(null)
      refresh()
      notifications.show({ color: 'green', message: 'Category saved' })
    },
    onError: showError,
  })
  const remove = useMutation({
    mutationFn: (id: number) => communityApi.deleteCategory(id),
    onSuccess: () => {
      setDeleting(null)
      refresh()
    },
    onError: showError,
  })
  const edit = (c: CommunityCategoryDto | 'new') => {
    setEditing(c)
    setName(c === 'new' ? '' : c.name)
    setDescription(c === 'new' ? '' : c.description)
  }
  if (list.isPending) return <Loader aria-label="Loading categories" />
  if (list.error) return <Alert color="red">{list.error.message}</Alert>
  return (
    <Stack gap="xs">
      <Title order={4}>Categories</Title>
      {!list.data.items.length && <Text c="dimmed">No categories yet: customers need at least one to ask a question.</Text>}
      {list.data.items.length > 0 && (
        <Table aria-label="Community categories">
          <Table.Tbody>
            {list.data.items.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>
                  <Text fw={600}>{c.name}</Text>
                  <Text size="xs" c="dimmed">
                    {c.description}
                  </Text>
                </Table.Td>
                <Table.Td>{c.topicCount} topics</Table.Td>
                <Table.Td>
                  <EditDeleteButtons name={c.name} onEdit={() => edit(c)} onDelete={() => setDeleting(c)} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {editing === null && (
        <Button variant="default" w="fit-content" onClick={() => edit('new')}>
          Add category
        </Button>
      )}
      {editing !== null && (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            save.mutate()
          }}
        >
          <Group align="flex-end">
            <TextInput label="Category name" value={name} onChange={(e) => setName(e.currentTarget.value)} required maxLength={120} />
            <TextInput label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} maxLength={1000} w={320} />
            <Button type="submit" loading={save.isPending}>
              Save category
            </Button>
            <Button variant="subtle" onClick={() => setEditing(null)}>
              Cancel
            </Button>
          </Group>
        </form>
      )}
      <ConfirmModal
        opened={deleting !== null}
        title="Delete category"
        confirmLabel="Delete"
        danger
        loading={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting.id)}
        onClose={() => setDeleting(null)}
      >
        Delete “{deleting?.name}”? Only an empty category can be deleted: move its topics first.
      </ConfirmModal>
    </Stack>
  )
}

function SpamRules() {
  const current = useQuery({ queryKey: communityKeys.settings, queryFn: communityApi.settings })
  const [form, setForm] = useState<CommunitySettingsDto | null>(null)
  useEffect(() => {
    if (current.data && !form) setForm(current.data)
  }, [current.data, form])
  const save = useMutation({
    mutationFn: (input: CommunitySettingsDto) => communityApi.saveSettings(input),
    onSuccess: (saved) => {
      queryClient.setQueryData(communityKeys.settings, saved)
      setForm(saved)
      notifications.show({ color: 'green', message: 'Spam rules saved' })
    },
    onError: showError,
  })
  if (current.error) return <Alert color="red">{current.error.message}</Alert>
  if (!form) return <Loader aria-label="Loading spam rules" />
  const set = (patch: Partial<CommunitySettingsDto>) => setForm({ ...form, ...patch })
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        save.mutate(form)
      }}
    >
      <Stack maw={560} gap="sm">
        <Title order={4}>Moderation and spam rules</Title>
        <Switch
          label="Hold a new member's first post for moderation"
          checked={form.holdFirstPosts}
          onChange={(e) => set({ holdFirstPosts: e.currentTarget.checked })}
        />
        <Group grow>
          <NumberInput label="Links allowed per post" min={0} max={100} value={form.maxLinks} onChange={(v) => set({ maxLinks: Number(v) || 0 })} />
          <Select
            label="Posts with more links are"
            data={[
              { value: 'refuse', label: 'Refused' },
              { value: 'hold', label: 'Held for moderation' },
            ]}
            value={form.linkAction}
            onChange={(v) => v && set({ linkAction: v as CommunitySettingsDto['linkAction'] })}
            allowDeselect={false}
          />
        </Group>
        <Group grow>
          <NumberInput
            label="Posts per member per hour"
            min={1}
            max={1000}
            value={form.maxPostsPerHour}
            onChange={(v) => set({ maxPostsPerHour: Number(v) || 1 })}
          />
          <NumberInput label="Reports that hold a post" min={1} max={100} value={form.flagsToHold} onChange={(v) => set({ flagsToHold: Number(v) || 1 })} />
        </Group>
        <TagsInput
          label="Blocked words"
          description="Posts containing one of these words wait for moderation"
          value={form.blockedWords}
          onChange={(v) => set({ blockedWords: v })}
        />
        <Button type="submit" loading={save.isPending} w="fit-content">
          Save rules
        </Button>
      </Stack>
    </form>
  )
}

/** Settings → Community (admins): categories and the spam rules. */
export function CommunitySettings() {
  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={3}>Community</Title>
        <Text size="sm" c="dimmed">
          Customers ask and answer at{' '}
          <Anchor href="/community" target="_blank" rel="noopener">
            /community
          </Anchor>{' '}
          after signing in with a link sent to their email.
        </Text>
      </Stack>
      <Categories />
      <SpamRules />
    </Stack>
  )
}
