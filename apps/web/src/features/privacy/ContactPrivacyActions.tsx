import { type ContactDto, eraseConfirmation } from '@allhands/contract'
import { Alert, Button, Group, Modal, Paper, Stack, Text, TextInput, Title } from '@mantine/core'
import { IconFileExport, IconTrash } from '@tabler/icons-react'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { keys, queryClient, showError } from '../../lib/queries.ts'
import { ExportProgress } from '../exports/ExportProgress.tsx'
import { EXPORT_FALLBACK_POLL_MS, exportKeys, exportsApi, isActive, useExportsLive } from '../exports/exports.api.ts'

/**
 * Privacy requests on the contact page (admins): export everything about the person as one JSON file, with progress
 * and a download link, or erase them after typing the confirmation.
 */
export function ContactPrivacyActions({ contact }: { contact: ContactDto }) {
  const [erasing, setErasing] = useState(false)
  useExportsLive()
  const exports = useQuery({
    queryKey: exportKeys.contactExports(contact.id),
    queryFn: () => exportsApi.exports({ contactId: contact.id }),
    refetchInterval: (q) => (q.state.data?.items.some(isActive) ? EXPORT_FALLBACK_POLL_MS : false),
  })
  const requestExport = useMutation({
    mutationFn: () => exportsApi.requestContactData(contact.id),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: exportKeys.contactExports(contact.id) }),
    onError: showError,
  })
  const latest = exports.data?.items.slice(0, 3) ?? []
  return (
    <Paper component="section" withBorder p="md" mt="md" aria-labelledby="privacy-title">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h5" id="privacy-title">
            Privacy requests
          </Title>
          <Group gap="xs">
            <Button
              size="xs"
              variant="default"
              leftSection={<IconFileExport size={14} />}
              loading={requestExport.isPending}
              onClick={() => requestExport.mutate()}
            >
              Export contact data
            </Button>
            <Button size="xs" variant="light" color="red" leftSection={<IconTrash size={14} />} onClick={() => setErasing(true)}>
              Erase contact…
            </Button>
          </Group>
        </Group>
        {latest.length === 0 ? (
          <Text size="sm" c="dimmed">
            No data exports for this contact. An export is one JSON file with their profile, tickets and messages, attachment list, ratings, survey answers and
            chats.
          </Text>
        ) : (
          <Stack gap={4} aria-label="Data exports of this contact">
            {latest.map((e) => (
              <ExportProgress key={e.id} exp={e} />
            ))}
          </Stack>
        )}
      </Stack>
      {erasing && <EraseContactDialog contact={contact} onClose={() => setErasing(false)} />}
    </Paper>
  )
}

function EraseContactDialog({ contact, onClose }: { contact: ContactDto; onClose: () => void }) {
  const expected = eraseConfirmation(contact.id)
  // The name as it was when the dialog opened: after the erasure the contact reloads under its new name.
  const [name] = useState(contact.name)
  const [typed, setTyped] = useState('')
  const erase = useMutation({
    mutationFn: () => exportsApi.eraseContact(contact.id, typed),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: keys.contact(contact.id) })
      void queryClient.invalidateQueries({ queryKey: keys.contacts })
      void queryClient.invalidateQueries({ queryKey: keys.ticketLists })
      void queryClient.invalidateQueries({ queryKey: exportKeys.contactExports(contact.id) })
    },
  })
  return (
    <Modal opened onClose={onClose} title={`Erase ${name}`}>
      {erase.data ? (
        <Stack>
          <Alert color="green" title="Contact erased">
            {erase.data.messagesErased} messages anonymized, {erase.data.attachmentsDeleted} attachments deleted; {erase.data.ticketsKept} tickets kept for
            reporting.
          </Alert>
          <Group justify="end">
            <Button onClick={onClose}>Close</Button>
          </Group>
        </Stack>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            if (typed.trim() === expected) erase.mutate()
          }}
        >
          <Stack>
            <Text size="sm">
              This cannot be undone. The name becomes “Erased contact #{contact.id}”, email addresses are removed, the text of their messages is replaced, their
              attachments, raw emails and earlier data exports are deleted. Tickets and report figures stay.
            </Text>
            <TextInput
              label={`Type ${expected} to confirm`}
              value={typed}
              onChange={(e) => setTyped(e.currentTarget.value)}
              autoComplete="off"
              data-autofocus
              error={erase.error?.message}
            />
            <Group justify="end">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" color="red" disabled={typed.trim() !== expected} loading={erase.isPending}>
                Erase contact
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  )
}
