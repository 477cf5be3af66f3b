import { Button, Group, Modal, Stack } from '@mantine/core'
import type { ReactNode } from 'react'

/** A modal form with Cancel and a submit button: the create and edit dialogs of contacts and organizations. */
export function FormDialog(props: { title: string; submitLabel: string; loading?: boolean; onSubmit: () => void; onClose: () => void; children: ReactNode }) {
  return (
    <Modal opened onClose={props.onClose} title={props.title}>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          props.onSubmit()
        }}
      >
        <Stack>
          {props.children}
          <Group justify="end">
            <Button variant="default" onClick={props.onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={props.loading}>
              {props.submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
