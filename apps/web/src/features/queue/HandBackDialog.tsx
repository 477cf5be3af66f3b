import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { keys, queryClient } from '../../lib/queries.ts'
import { queueApi, queueKeys } from './queue.api.ts'

/** Returns a ticket to support with a note saying why (the note stays on the ticket as an internal note). */
export function HandBackDialog({
  ticketId,
  opened,
  onClose,
  onHandedBack,
}: {
  ticketId: number
  opened: boolean
  onClose: () => void
  /** Runs first (e.g. leave a ticket one can no longer see), before open lists refresh. */
  onHandedBack?: () => void
}) {
  const [note, setNote] = useState('')
  const handBack = useMutation({
    mutationFn: () => queueApi.handBack(ticketId, { note: note.trim() }),
    onSuccess: (ticket) => {
      setNote('')
      onClose()
      notifications.show({ color: 'teal', message: `#${ticketId} is back with the support team` })
      if (onHandedBack) return onHandedBack()
      queryClient.setQueryData(keys.ticket(ticketId), ticket)
      void queryClient.invalidateQueries({ queryKey: keys.messages(ticketId) })
      void queryClient.invalidateQueries({ queryKey: keys.ticketLists })
      void queryClient.invalidateQueries({ queryKey: queueKeys.queue })
    },
  })
  return (
    <Modal opened={opened} onClose={onClose} title="Hand back to support">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (note.trim()) handBack.mutate()
        }}
      >
        <Stack>
          <Text size="sm" c="dimmed">
            The ticket is unassigned and the support team is told why. Your note is kept on the ticket as an internal note.
          </Text>
          <Textarea
            label="Why are you handing it back?"
            placeholder="e.g. The customer asks about a legal matter I can't answer"
            required
            autosize
            minRows={3}
            maxLength={5000}
            data-autofocus
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="orange" loading={handBack.isPending} disabled={!note.trim()}>
              Hand back
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
