import type { ContactDto } from '@allhands/contract'
import { TextInput } from '@mantine/core'
import { useMutation } from '@tanstack/react-query'
import { useNavigate } from '@tanstack/react-router'
import { useState } from 'react'
import { api } from '../../lib/api.ts'
import { RouterAnchor } from '../../lib/links.tsx'
import { keys, queryClient } from '../../lib/queries.ts'
import { EntityPicker } from '../common/Pickers.tsx'
import { FormDialog } from './FormDialog.tsx'
import { SearchableListPage } from './SearchableListPage.tsx'

export function ContactsPage() {
  return (
    <SearchableListPage<ContactDto>
      title="Contacts"
      newLabel="New contact"
      searchLabel="Search contacts"
      searchPlaceholder="Search by name or email"
      queryKey={keys.contacts}
      fetchPage={(q, cursor) => api.contacts({ q, cursor, limit: 50 })}
      emptyText={(searching) => (searching ? 'No contact matches this search.' : 'No contacts yet. They are created automatically when customers write in.')}
      columns={[
        {
          header: 'Name',
          cell: (c) => (
            <RouterAnchor to="/contacts/$contactId" params={{ contactId: String(c.id) }}>
              {c.name}
            </RouterAnchor>
          ),
        },
        { header: 'Email', cell: (c) => c.emails.join(', ') },
        {
          header: 'Organization',
          cell: (c) =>
            c.organizationId ? (
              <RouterAnchor to="/organizations/$organizationId" params={{ organizationId: String(c.organizationId) }}>
                {c.organizationName}
              </RouterAnchor>
            ) : (
              '—'
            ),
        },
        { header: 'Tickets', cell: (c) => c.ticketCount },
      ]}
      renderCreateDialog={(onClose) => <NewContactDialog onClose={onClose} />}
    />
  )
}

function NewContactDialog({ onClose }: { onClose: () => void }) {
  const navigate = useNavigate()
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [organizationId, setOrganizationId] = useState<number | null>(null)
  const create = useMutation({
    mutationFn: () => api.createContact({ name: name.trim(), emails: email.trim() ? [email.trim()] : [], organizationId }),
    onSuccess: (c) => {
      void queryClient.invalidateQueries({ queryKey: keys.contacts })
      onClose()
      void navigate({ to: '/contacts/$contactId', params: { contactId: String(c.id) } })
    },
  })
  return (
    <FormDialog title="New contact" submitLabel="Create" loading={create.isPending} onSubmit={() => create.mutate()} onClose={onClose}>
      <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
      <TextInput label="Email" type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
      <EntityPicker kind="organizations" label="Organization" value={organizationId} onChange={setOrganizationId} />
    </FormDialog>
  )
}
