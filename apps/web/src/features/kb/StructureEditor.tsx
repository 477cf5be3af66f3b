import type { KbCategoryDto } from '@allhands/contract'
import { ActionIcon, Button, Group, Paper, Stack, Text, TextInput } from '@mantine/core'
import { IconTrash } from '@tabler/icons-react'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { ConfirmModal } from '../../lib/confirm-modal.tsx'
import { queryClient, showError } from '../../lib/queries.ts'
import { kbApi, kbKeys } from './kb.api.ts'

const refresh = () => queryClient.invalidateQueries({ queryKey: kbKeys.categories })

function AddForm({ label, onAdd }: { label: string; onAdd: (name: string) => Promise<unknown> }) {
  const [name, setName] = useState('')
  const add = useMutation({ mutationFn: () => onAdd(name.trim()), onSuccess: () => setName(''), onError: showError })
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        if (name.trim()) add.mutate()
      }}
    >
      <Group gap="xs" align="end">
        <TextInput label={label} value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={200} size="xs" />
        <Button type="submit" size="xs" variant="default" loading={add.isPending} disabled={!name.trim()}>
          Add
        </Button>
      </Group>
    </form>
  )
}

/** Categories and their sections: add, rename (on blur) and delete. Articles of a deleted section keep existing. */
export function StructureEditor({ categories }: { categories: KbCategoryDto[] }) {
  const [deleting, setDeleting] = useState<{ kind: 'category' | 'section'; id: number; name: string } | null>(null)
  const remove = useMutation({
    mutationFn: (d: { kind: 'category' | 'section'; id: number }) => (d.kind === 'category' ? kbApi.deleteCategory(d.id) : kbApi.deleteSection(d.id)),
    onSuccess: () => {
      setDeleting(null)
      void refresh()
    },
    onError: showError,
  })
  const rename = (kind: 'category' | 'section', id: number, old: string, name: string) => {
    if (!name.trim() || name === old) return
    void (kind === 'category' ? kbApi.updateCategory(id, { name }) : kbApi.updateSection(id, { name })).then(refresh, showError)
  }
  return (
    <Stack>
      {categories.length === 0 && <Text c="dimmed">No categories yet. Add one, then sections inside it, and file articles into sections.</Text>}
      {categories.map((c) => (
        <Paper key={c.id} withBorder p="sm">
          <Group gap="xs">
            <TextInput
              aria-label={`Category name: ${c.name}`}
              defaultValue={c.name}
              onBlur={(e) => rename('category', c.id, c.name, e.currentTarget.value)}
              fw={600}
              style={{ flex: 1 }}
            />
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={`Delete category ${c.name}`}
              onClick={() => setDeleting({ kind: 'category', id: c.id, name: c.name })}
            >
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
          <Stack gap={4} pl="lg" mt="xs">
            {c.sections.map((s) => (
              <Group key={s.id} gap="xs">
                <TextInput
                  size="xs"
                  aria-label={`Section name: ${s.name}`}
                  defaultValue={s.name}
                  onBlur={(e) => rename('section', s.id, s.name, e.currentTarget.value)}
                  style={{ flex: 1 }}
                />
                <ActionIcon
                  variant="subtle"
                  color="red"
                  size="sm"
                  aria-label={`Delete section ${s.name}`}
                  onClick={() => setDeleting({ kind: 'section', id: s.id, name: s.name })}
                >
                  <IconTrash size={14} />
                </ActionIcon>
              </Group>
            ))}
            <AddForm label={`New section in ${c.name}`} onAdd={(name) => kbApi.createSection({ categoryId: c.id, name }).then(refresh)} />
          </Stack>
        </Paper>
      ))}
      <AddForm label="New category" onAdd={(name) => kbApi.createCategory({ name }).then(refresh)} />
      <ConfirmModal
        opened={!!deleting}
        title={`Delete ${deleting?.kind}`}
        confirmLabel="Delete"
        danger
        loading={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onClose={() => setDeleting(null)}
      >
        Delete “{deleting?.name}”? {deleting?.kind === 'category' ? 'Its sections go too; ' : ''}Articles stay, without a section.
      </ConfirmModal>
    </Stack>
  )
}
