import { Alert, Button, Center, Grid, Group, Loader, Paper, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useNavigate, useParams } from '@tanstack/react-router'
import { useState } from 'react'
import { api } from '../../lib/api.ts'
import { RouterAnchor } from '../../lib/links.tsx'
import { isStaff, keys, queryClient, useCurrentUser, useCustomFields } from '../../lib/queries.ts'
import { CustomFieldsEditor } from '../common/CustomFieldsEditor.tsx'
import { TicketTable } from '../inbox/TicketTable.tsx'
import { OrganizationTierField } from '../risk/OrganizationTierField.tsx'
import { FormDialog } from './FormDialog.tsx'

export function OrganizationPage() {
  const { organizationId } = useParams({ strict: false }) as { organizationId: string }
  const id = Number(organizationId)
  const user = useCurrentUser()
  const navigate = useNavigate()
  const org = useQuery({ queryKey: keys.organization(id), queryFn: () => api.organization(id) })
  const contacts = useQuery({ queryKey: [...keys.contacts, 'org', id], queryFn: () => api.contacts({ organization: id, limit: 100 }) })
  const tickets = useQuery({ queryKey: [...keys.ticketLists, 'organization', id], queryFn: () => api.tickets({ organization: id, limit: 100 }) })
  const fields = useCustomFields()
  const [editing, setEditing] = useState(false)
  const update = useMutation({
    mutationFn: (patch: Parameters<typeof api.updateOrganization>[1]) => api.updateOrganization(id, patch),
    onSuccess: (o) => {
      queryClient.setQueryData(keys.organization(id), o)
      void queryClient.invalidateQueries({ queryKey: keys.organizations })
    },
  })
  if (org.isPending)
    return (
      <Center p="xl">
        <Loader aria-label="Loading organization" />
      </Center>
    )
  if (!org.data) return <Alert color="red">{org.error?.message ?? 'Organization not found'}</Alert>
  const o = org.data
  const canEdit = isStaff(user.role)
  return (
    <Stack p="md">
      <Group justify="space-between">
        <div>
          <Title order={1} size="h3">
            {o.name}
          </Title>
          {o.domain && (
            <Text size="sm" c="dimmed">
              {o.domain}
            </Text>
          )}
        </div>
        {canEdit && (
          <Button variant="default" onClick={() => setEditing(true)}>
            Edit
          </Button>
        )}
      </Group>
      <Grid>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Paper withBorder p="md">
            <Stack gap="sm">
              <div>
                <Text size="xs" c="dimmed" fw={600}>
                  Notes
                </Text>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {o.notes || '—'}
                </Text>
              </div>
              <OrganizationTierField key={o.tier ?? ''} organization={o} disabled={!canEdit} />
              <CustomFieldsEditor
                fields={(fields.data ?? []).filter((f) => f.entity === 'organization')}
                values={o.customFields}
                disabled={!canEdit}
                onChange={(customFields) => update.mutate({ customFields })}
              />
              <Title order={2} size="h6">
                Contacts ({o.contactCount})
              </Title>
              <Table>
                <Table.Tbody>
                  {contacts.data?.items.map((c) => (
                    <Table.Tr key={c.id}>
                      <Table.Td>
                        <RouterAnchor to="/contacts/$contactId" params={{ contactId: String(c.id) }} size="sm">
                          {c.name}
                        </RouterAnchor>
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs" c="dimmed">
                          {c.emails[0]}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Stack>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Title order={2} size="h5" mb="xs">
            Tickets
          </Title>
          {tickets.data?.items.length ? (
            <TicketTable tickets={tickets.data.items} onOpen={(tid) => void navigate({ to: '/tickets/$ticketId', params: { ticketId: String(tid) } })} />
          ) : (
            <Text c="dimmed">No tickets yet.</Text>
          )}
        </Grid.Col>
      </Grid>
      {editing && (
        <EditOrganizationDialog
          name={o.name}
          domain={o.domain ?? ''}
          notes={o.notes}
          onClose={() => setEditing(false)}
          onSave={(p) => update.mutateAsync(p).then(() => setEditing(false))}
        />
      )}
    </Stack>
  )
}

function EditOrganizationDialog(props: {
  name: string
  domain: string
  notes: string
  onClose: () => void
  onSave: (p: { name: string; domain: string | null; notes: string }) => Promise<void>
}) {
  const [name, setName] = useState(props.name)
  const [domain, setDomain] = useState(props.domain)
  const [notes, setNotes] = useState(props.notes)
  return (
    <FormDialog
      title="Edit organization"
      submitLabel="Save"
      onSubmit={() => void props.onSave({ name, domain: domain.trim() || null, notes })}
      onClose={props.onClose}
    >
      <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
      <TextInput label="Domain" value={domain} onChange={(e) => setDomain(e.currentTarget.value)} />
      <Textarea label="Notes" autosize minRows={3} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} />
    </FormDialog>
  )
}
