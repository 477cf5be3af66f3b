import type { OrganizationDto } from '@allhands/contract'
import { TextInput } from '@mantine/core'
import { useMutation } from '@tanstack/react-query'
import { useNavigate } from '@tanstack/react-router'
import { useState } from 'react'
import { api } from '../../lib/api.ts'
import { RouterAnchor } from '../../lib/links.tsx'
import { keys, queryClient } from '../../lib/queries.ts'
import { FormDialog } from './FormDialog.tsx'
import { SearchableListPage } from './SearchableListPage.tsx'

export function OrganizationsPage() {
  return (
    <SearchableListPage<OrganizationDto>
      title="Organizations"
      newLabel="New organization"
      searchLabel="Search organizations"
      searchPlaceholder="Search by name or domain"
      queryKey={keys.organizations}
      fetchPage={(q, cursor) => api.organizations({ q, cursor, limit: 50 })}
      emptyText={(searching) => (searching ? 'No organization matches.' : 'No organizations yet.')}
      columns={[
        {
          header: 'Name',
          cell: (o) => (
            <RouterAnchor to="/organizations/$organizationId" params={{ organizationId: String(o.id) }}>
              {o.name}
            </RouterAnchor>
          ),
        },
        { header: 'Domain', cell: (o) => o.domain ?? '—' },
        { header: 'Contacts', cell: (o) => o.contactCount },
      ]}
      renderCreateDialog={(onClose) => <NewOrganizationDialog onClose={onClose} />}
    />
  )
}

function NewOrganizationDialog({ onClose }: { onClose: () => void }) {
  const navigate = useNavigate()
  const [name, setName] = useState('')
  const [domain, setDomain] = useState('')
  const create = useMutation({
    mutationFn: () => api.createOrganization({ name: name.trim(), domain: domain.trim() || null }),
    onSuccess: (o) => {
      void queryClient.invalidateQueries({ queryKey: keys.organizations })
      onClose()
      void navigate({ to: '/organizations/$organizationId', params: { organizationId: String(o.id) } })
    },
  })
  return (
    <FormDialog title="New organization" submitLabel="Create" loading={create.isPending} onSubmit={() => create.mutate()} onClose={onClose}>
      <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
      <TextInput label="Domain" placeholder="example.com" value={domain} onChange={(e) => setDomain(e.currentTarget.value)} />
    </FormDialog>
  )
}
