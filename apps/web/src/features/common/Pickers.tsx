import { Select, type SelectProps } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../../lib/api.ts'
import { useTeams, useUsers } from '../../lib/queries.ts'

type PickerProps = Omit<SelectProps, 'data' | 'value' | 'onChange'> & { value: number | null; onChange: (id: number | null) => void }

/** Agents who can own tickets (contributors cannot be assigned). */
export function AssigneePicker({ value, onChange, ...rest }: PickerProps) {
  const users = useUsers()
  const data = (users.data ?? []).filter((u) => u.isActive && u.role !== 'contributor').map((u) => ({ value: String(u.id), label: u.name }))
  return (
    <Select
      searchable
      clearable
      placeholder="Unassigned"
      data={data}
      value={value ? String(value) : null}
      onChange={(v) => onChange(v ? Number(v) : null)}
      {...rest}
    />
  )
}

export function TeamPicker({ value, onChange, ...rest }: PickerProps) {
  const teams = useTeams()
  const data = (teams.data ?? []).map((t) => ({ value: String(t.id), label: t.name }))
  return (
    <Select
      searchable
      clearable
      placeholder="No team"
      data={data}
      value={value ? String(value) : null}
      onChange={(v) => onChange(v ? Number(v) : null)}
      {...rest}
    />
  )
}

/** Server-searched picker for contacts or organizations, which can be too many to list. */
export function EntityPicker({ kind, value, onChange, initialLabel, ...rest }: PickerProps & { kind: 'contacts' | 'organizations'; initialLabel?: string }) {
  const [search, setSearch] = useState('')
  const [q] = useDebouncedValue(search, 200)
  const list = useQuery({
    queryKey: [kind, 'picker', q],
    queryFn: async () => {
      if (kind === 'contacts')
        return (await api.contacts({ q: q || undefined, limit: 20 })).items.map((c) => ({
          value: String(c.id),
          label: c.emails[0] ? `${c.name} <${c.emails[0]}>` : c.name,
        }))
      return (await api.organizations({ q: q || undefined, limit: 20 })).items.map((o) => ({ value: String(o.id), label: o.name }))
    },
  })
  const data = [...(list.data ?? [])]
  if (value && !data.some((d) => d.value === String(value))) data.unshift({ value: String(value), label: initialLabel ?? `#${value}` })
  return (
    <Select
      searchable
      clearable
      filter={({ options }) => options}
      data={data}
      searchValue={search}
      onSearchChange={setSearch}
      value={value ? String(value) : null}
      onChange={(v) => onChange(v ? Number(v) : null)}
      nothingFoundMessage={list.isFetching ? 'Searching…' : 'Nothing found'}
      {...rest}
    />
  )
}
