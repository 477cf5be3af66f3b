import type { ContactDto } from '@allhands/contract'
import { Alert, Anchor, Button, Center, Grid, Group, Loader, Modal, Paper, Stack, TagsInput, Text, TextInput, Textarea, Title } from '@mantine/core'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useNavigate, useParams } from '@tanstack/react-router'
import { useState } from 'react'
import { api } from '../../lib/api.ts'
import { RouterAnchor } from '../../lib/links.tsx'
import { isAdmin, isStaff, keys, queryClient, useCurrentUser, useCustomFields } from '../../lib/queries.ts'
import { CustomFieldsEditor } from '../common/CustomFieldsEditor.tsx'
import { EntityPicker } from '../common/Pickers.tsx'
import { ContactVipSwitch } from '../risk/ContactVipSwitch.tsx'
import { TicketTable } from '../inbox/TicketTable.tsx'
import { ContactVocPanel } from '../voc/ContactVocPanel.tsx'
import { ContactPurchaseReasonsPanel } from '../surveys/ContactPurchaseReasonsPanel.tsx'
// issue 7 chat contact panel import
import { ContactPageViewsPanel } from '../chat/PageViews.tsx'
// issue 10 export: privacy requests (data export, erasure) for admins
import { ContactPrivacyActions } from '../privacy/ContactPrivacyActions.tsx'
import { FormDialog } from './FormDialog.tsx'

export function ContactPage() {
  const { contactId } = useParams({ strict: false }) as { contactId: string }
  const id = Number(contactId)
  const user = useCurrentUser()
  const navigate = useNavigate()
  const contact = useQuery({ queryKey: keys.contact(id), queryFn: () => api.contact(id) })
  const tickets = useQuery({ queryKey: [...keys.ticketLists, 'requester', id, 'all'], queryFn: () => api.tickets({ requester: id, limit: 100 }) })
  const fields = useCustomFields()
  const [editing, setEditing] = useState(false)
  const [merging, setMerging] = useState(false)
  const update = useMutation({
    mutationFn: (patch: Parameters<typeof api.updateContact>[1]) => api.updateContact(id, patch),
    onSuccess: (c) => {
      queryClient.setQueryData(keys.contact(id), c)
      void queryClient.invalidateQueries({ queryKey: keys.contacts })
    },
  })
  if (contact.isPending)
    return (
      <Center p="xl">
        <Loader aria-label="Loading contact" />
      </Center>
    )
  if (!contact.data) return <Alert color="red">{contact.error?.message ?? 'Contact not found'}</Alert>
  const c = contact.data
  const canEdit = isStaff(user.role)
  return (
    <Stack p="md">
      <Group justify="space-between">
        <div>
          <Title order={1} size="h3">
            {c.name}
          </Title>
          {c.organizationId && (
            <RouterAnchor to="/organizations/$organizationId" params={{ organizationId: String(c.organizationId) }} size="sm">
              {c.organizationName}
            </RouterAnchor>
          )}
        </div>
        {canEdit && (
          <Group>
            <Button variant="default" onClick={() => setEditing(true)}>
              Edit
            </Button>
            <Button variant="default" color="red" onClick={() => setMerging(true)}>
              Merge into…
            </Button>
          </Group>
        )}
      </Group>
      <Grid>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Paper withBorder p="md">
            <Stack gap="sm">
              <ContactVipSwitch contact={c} disabled={!canEdit} />
              <div>
                <Text size="xs" c="dimmed" fw={600}>
                  Emails
                </Text>
                {c.emails.length ? c.emails.map((e) => <Text key={e}>{e}</Text>) : <Text c="dimmed">None</Text>}
              </div>
              {c.phones.length > 0 && (
                <div>
                  <Text size="xs" c="dimmed" fw={600}>
                    Phone numbers
                  </Text>
                  {c.phones.map((p) => (
                    <Anchor key={p} href={`tel:${p}`} display="block">
                      {p}
                    </Anchor>
                  ))}
                </div>
              )}
              <div>
                <Text size="xs" c="dimmed" fw={600}>
                  Notes
                </Text>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {c.notes || '—'}
                </Text>
              </div>
              <div>
                <Text size="xs" c="dimmed" fw={600} mb={4}>
                  Fields
                </Text>
                <CustomFieldsEditor
                  fields={(fields.data ?? []).filter((f) => f.entity === 'contact')}
                  values={c.customFields}
                  disabled={!canEdit}
                  onChange={(customFields) => update.mutate({ customFields })}
                />
              </div>
            </Stack>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Title order={2} size="h5" mb="xs">
            Ticket history ({c.ticketCount})
          </Title>
          {tickets.data?.items.length ? (
            <TicketTable tickets={tickets.data.items} onOpen={(tid) => void navigate({ to: '/tickets/$ticketId', params: { ticketId: String(tid) } })} />
          ) : (
            <Text c="dimmed">No tickets yet.</Text>
          )}
          {/* issue 7 chat contact panels */}
          <ContactPageViewsPanel contactId={c.id} />
          {/* issue 6 surveys contact panels */}
          <ContactPurchaseReasonsPanel contactId={c.id} />
          {/* issue 6 voc contact panels */}
          <ContactVocPanel contactId={c.id} />
          {/* issue 10 export: privacy requests */}
          {isAdmin(user.role) && <ContactPrivacyActions contact={c} />}
        </Grid.Col>
      </Grid>
      {editing && (
        <EditContactDialog contact={c} onClose={() => setEditing(false)} onSave={(patch) => update.mutateAsync(patch).then(() => setEditing(false))} />
      )}
      {merging && <MergeContactDialog contact={c} onClose={() => setMerging(false)} />}
    </Stack>
  )
}

function EditContactDialog({
  contact,
  onClose,
  onSave,
}: {
  contact: ContactDto
  onClose: () => void
  onSave: (p: Parameters<typeof api.updateContact>[1]) => Promise<void>
}) {
  const [name, setName] = useState(contact.name)
  const [emails, setEmails] = useState(contact.emails)
  const [notes, setNotes] = useState(contact.notes)
  const [organizationId, setOrganizationId] = useState(contact.organizationId)
  const [saving, setSaving] = useState(false)
  return (
    <FormDialog
      title="Edit contact"
      submitLabel="Save"
      loading={saving}
      onSubmit={() => {
        setSaving(true)
        onSave({ name, emails, notes, organizationId }).finally(() => setSaving(false))
      }}
      onClose={onClose}
    >
      <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
      <TagsInput label="Emails" value={emails} onChange={setEmails} placeholder="Type an address and press Enter" />
      <EntityPicker
        kind="organizations"
        label="Organization"
        value={organizationId}
        initialLabel={contact.organizationName ?? undefined}
        onChange={setOrganizationId}
      />
      <Textarea label="Notes" autosize minRows={3} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} />
    </FormDialog>
  )
}

function MergeContactDialog({ contact, onClose }: { contact: ContactDto; onClose: () => void }) {
  const navigate = useNavigate()
  const [target, setTarget] = useState<number | null>(null)
  const merge = useMutation({
    mutationFn: () => api.mergeContact(contact.id, target!),
    onSuccess: (into) => {
      void queryClient.invalidateQueries({ queryKey: keys.contacts })
      onClose()
      void navigate({ to: '/contacts/$contactId', params: { contactId: String(into.id) } })
    },
  })
  return (
    <Modal opened onClose={onClose} title={`Merge ${contact.name} into another contact`}>
      <Stack>
        <Text size="sm" c="dimmed">
          Emails and tickets of {contact.name} move to the contact you pick; {contact.name} is removed.
        </Text>
        <EntityPicker kind="contacts" label="Keep this contact" value={target} onChange={setTarget} />
        <Group justify="end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color="red" disabled={!target || target === contact.id} loading={merge.isPending} onClick={() => merge.mutate()}>
            Merge
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}
