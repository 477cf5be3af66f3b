import type { VocItemDto, VocKind, VocStatus } from '@allhands/contract'
import { Button, Group, Modal, Select, Stack, Textarea, TextInput } from '@mantine/core'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { showError } from '../../lib/queries.ts'
import { refreshVoc, vocApi, vocKindOptions, vocStatusOptions } from './voc.api.ts'

/** Creates an item, or edits one (title, kind, description, tracker link; status has its own control). */
export function VocItemDialog({
  item,
  initialTitle,
  onClose,
  onSaved,
}: {
  item?: VocItemDto
  initialTitle?: string
  onClose: () => void
  onSaved?: (item: VocItemDto) => void
}) {
  const [title, setTitle] = useState(item?.title ?? initialTitle ?? '')
  const [kind, setKind] = useState<VocKind>(item?.kind ?? 'pain_point')
  const [status, setStatus] = useState<VocStatus>('new')
  const [description, setDescription] = useState(item?.descriptionText ?? '')
  const [trackerUrl, setTrackerUrl] = useState(item?.trackerUrl ?? '')
  const urlError = trackerUrl.trim() && !/^https?:\/\/\S+$/i.test(trackerUrl.trim()) ? 'An http(s) link, e.g. https://tracker.example.com/ISSUE-12' : null
  const save = useMutation({
    mutationFn: () =>
      item
        ? vocApi.update(item.id, { title: title.trim(), kind, description, trackerUrl: trackerUrl.trim() || null })
        : vocApi.create({ title: title.trim(), kind, status, description, trackerUrl: trackerUrl.trim() || null }),
    onSuccess: (saved) => {
      void refreshVoc()
      onSaved?.(saved)
      onClose()
    },
    onError: showError,
  })
  return (
    <Modal opened onClose={onClose} title={item ? 'Edit item' : 'New voice-of-customer item'}>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (title.trim() && !urlError) save.mutate()
        }}
      >
        <Stack>
          <TextInput label="Title" required maxLength={200} value={title} onChange={(e) => setTitle(e.currentTarget.value)} data-autofocus />
          <Group grow>
            <Select label="Kind" data={vocKindOptions} value={kind} onChange={(v) => v && setKind(v as VocKind)} allowDeselect={false} />
            {!item && <Select label="Status" data={vocStatusOptions} value={status} onChange={(v) => v && setStatus(v as VocStatus)} allowDeselect={false} />}
          </Group>
          <Textarea
            label="Description"
            autosize
            minRows={3}
            maxRows={10}
            maxLength={20000}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
          <TextInput
            label="Tracker link"
            description="The issue in your product tracker"
            placeholder="https://"
            value={trackerUrl}
            error={urlError}
            onChange={(e) => setTrackerUrl(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!title.trim() || !!urlError}>
              {item ? 'Save' : 'Create item'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
