import type { ShiftDto } from '@allhands/contract'
import { Button, Group, Modal, Select, Stack, Text, Textarea } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { showError, useUsers } from '../../lib/queries.ts'
import { refreshRotations, rotationsApi } from './rotations.api.ts'

/** Start / end / offer-to-a-colleague / remove buttons for one shift, as the server allows them. */
export function ShiftActions({ shift, onDone }: { shift: ShiftDto; onDone?: () => void }) {
  const done = () => {
    void refreshRotations()
    onDone?.()
  }
  const start = useMutation({ mutationFn: () => rotationsApi.startShift(shift.id), onSuccess: done, onError: showError })
  const end = useMutation({ mutationFn: () => rotationsApi.endShift(shift.id), onSuccess: done, onError: showError })
  const remove = useMutation({ mutationFn: () => rotationsApi.deleteShift(shift.id), onSuccess: done, onError: showError })
  const [swapOpen, setSwapOpen] = useState(false)
  if (!shift.canStart && !shift.canEnd && !shift.canSwap && !shift.canRemove) return null
  return (
    <Group gap="xs">
      {shift.canStart && (
        <Button size="xs" onClick={() => start.mutate()} loading={start.isPending}>
          {Date.now() < shift.startsAt ? 'Start early' : 'Start shift'}
        </Button>
      )}
      {shift.canEnd && (
        <Button size="xs" variant="light" color="orange" onClick={() => end.mutate()} loading={end.isPending}>
          End shift
        </Button>
      )}
      {shift.canSwap && (
        <Button size="xs" variant="default" onClick={() => setSwapOpen(true)}>
          Offer to a colleague
        </Button>
      )}
      {shift.canRemove && (
        <Button size="xs" variant="subtle" color="red" onClick={() => remove.mutate()} loading={remove.isPending}>
          Remove
        </Button>
      )}
      <SwapDialog shift={shift} opened={swapOpen} onClose={() => setSwapOpen(false)} onDone={done} />
    </Group>
  )
}

function SwapDialog({ shift, opened, onClose, onDone }: { shift: ShiftDto; opened: boolean; onClose: () => void; onDone: () => void }) {
  const users = useUsers().data ?? []
  const [to, setTo] = useState<string | null>(null)
  const [note, setNote] = useState('')
  const offer = useMutation({
    mutationFn: () => rotationsApi.offerSwap(shift.id, { toUserId: Number(to), note }),
    onSuccess: (swap) => {
      notifications.show({ color: 'green', message: `Offered to ${swap.to.name}` })
      onClose()
      onDone()
    },
    onError: showError,
  })
  return (
    <Modal opened={opened} onClose={onClose} title="Offer this shift to a colleague">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (to) offer.mutate()
        }}
      >
        <Stack>
          <Text size="sm" c="dimmed">
            They accept or decline; some rotations also need an admin's approval before the shift changes hands.
          </Text>
          <Select
            label="Colleague"
            placeholder="Choose a person"
            searchable
            required
            data={users.filter((u) => u.isActive && u.id !== shift.user.id).map((u) => ({ value: String(u.id), label: u.name }))}
            value={to}
            onChange={setTo}
          />
          <Textarea label="Note (optional)" value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={500} autosize minRows={2} />
          <Group justify="end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={!to} loading={offer.isPending}>
              Offer shift
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
