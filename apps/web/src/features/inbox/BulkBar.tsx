import type { BulkUpdateInput } from '@allhands/contract'
import { Button, Group, Paper, Select, Text, TextInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../../lib/api.ts'
import { priorityOptions, statusOptions } from '../../lib/format.ts'
import { keys, queryClient } from '../../lib/queries.ts'
import { AssigneePicker, TeamPicker } from '../common/Pickers.tsx'

/** Applies one change to every selected ticket at once. */
export function BulkBar({ ids, onDone }: { ids: number[]; onDone: () => void }) {
  const [tag, setTag] = useState('')
  const bulk = useMutation({
    mutationFn: (changes: BulkUpdateInput['changes']) => api.bulkUpdate({ ticketIds: ids, changes }),
    onSuccess: (res) => {
      notifications.show({
        color: res.failed.length ? 'orange' : 'green',
        message: res.failed.length
          ? `Updated ${res.updated.length}; ${res.failed.length} failed: ${res.failed[0]!.message}`
          : `Updated ${res.updated.length} tickets`,
      })
      void queryClient.invalidateQueries({ queryKey: keys.ticketLists })
      void queryClient.invalidateQueries({ queryKey: keys.views })
      onDone()
    },
  })
  return (
    <Paper withBorder radius={0} px="md" py="xs" bg="var(--mantine-color-indigo-light)" role="region" aria-label="Bulk actions">
      <Group gap="xs">
        <Text size="sm" fw={600} mr="sm">
          {ids.length} selected
        </Text>
        <Select
          size="xs"
          w={130}
          placeholder="Set status"
          aria-label="Set status of selected tickets"
          data={statusOptions}
          value={null}
          onChange={(v) => v && bulk.mutate({ status: v as never })}
        />
        <Select
          size="xs"
          w={130}
          placeholder="Set priority"
          aria-label="Set priority of selected tickets"
          data={priorityOptions}
          value={null}
          onChange={(v) => v && bulk.mutate({ priority: v as never })}
        />
        <AssigneePicker
          size="xs"
          w={160}
          placeholder="Assign to…"
          aria-label="Assign selected tickets"
          clearable={false}
          value={null}
          onChange={(id) => id && bulk.mutate({ assigneeId: id })}
        />
        <TeamPicker
          size="xs"
          w={150}
          placeholder="Set team…"
          aria-label="Set team of selected tickets"
          clearable={false}
          value={null}
          onChange={(id) => id && bulk.mutate({ teamId: id })}
        />
        <form
          onSubmit={(e) => {
            e.preventDefault()
            const t = tag.trim().replace(/[\s,]+/g, '-')
            if (t) bulk.mutate({ addTags: [t] })
            setTag('')
          }}
        >
          <Group gap={4}>
            <TextInput
              size="xs"
              w={120}
              placeholder="Add tag"
              aria-label="Tag to add to selected tickets"
              value={tag}
              onChange={(e) => setTag(e.currentTarget.value)}
            />
            <Button size="xs" type="submit" variant="default" disabled={!tag.trim()}>
              Add
            </Button>
          </Group>
        </form>
        <Button size="xs" variant="subtle" onClick={() => bulk.mutate({ assigneeId: null })}>
          Unassign
        </Button>
        <Button size="xs" variant="subtle" color="gray" onClick={onDone} ml="auto">
          Clear selection
        </Button>
      </Group>
    </Paper>
  )
}
