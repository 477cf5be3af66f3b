import type { TicketFilters, ViewDto } from '@allhands/contract'
import { Button, Group, Modal, MultiSelect, Select, SimpleGrid, Stack, Switch, TextInput } from '@mantine/core'
import { useMutation } from '@tanstack/react-query'
import { useNavigate } from '@tanstack/react-router'
import { useState } from 'react'
import { api } from '../../lib/api.ts'
import { priorityOptions, statusOptions } from '../../lib/format.ts'
import { keys, queryClient, useCustomFields, useInboxes, useTeams, useUsers } from '../../lib/queries.ts'
import { EntityPicker } from '../common/Pickers.tsx'

const toDate = (ms?: number) => (ms ? new Date(ms).toISOString().slice(0, 10) : '')
const fromDate = (s: string, endOfDay = false) => (s ? new Date(`${s}T${endOfDay ? '23:59:59' : '00:00:00'}`).getTime() : undefined)
const split = (s?: string) => (s ? s.split(',').filter(Boolean) : [])

/** Creates a saved view from filters, or edits / deletes an existing custom view. */
export function ViewEditor({ view, baseFilters, onClose }: { view?: ViewDto; baseFilters: TicketFilters; onClose: () => void }) {
  const navigate = useNavigate()
  const users = useUsers()
  const teams = useTeams()
  const inboxes = useInboxes()
  const fields = useCustomFields()
  const [name, setName] = useState(view?.name ?? '')
  const [shared, setShared] = useState(view?.shared ?? false)
  const [f, setF] = useState<TicketFilters>(() => {
    const { view: _ignored, ...rest } = view?.filters ?? baseFilters
    return rest
  })
  const [fieldKey, fieldValue] = f.field ? [f.field.split(':')[0]!, f.field.slice(f.field.indexOf(':') + 1)] : ['', '']
  const set = (patch: Partial<TicketFilters>) => setF((cur) => clean({ ...cur, ...patch }))
  const done = (v: ViewDto) => {
    void queryClient.invalidateQueries({ queryKey: keys.views })
    void queryClient.invalidateQueries({ queryKey: keys.ticketLists })
    onClose()
    void navigate({ to: '/views/$viewId', params: { viewId: v.id } })
  }
  const save = useMutation({
    mutationFn: () => (view ? api.updateView(view.id, { name, shared, filters: f }) : api.createView({ name, shared, filters: f })),
    onSuccess: done,
  })
  const remove = useMutation({
    mutationFn: () => api.deleteView(view!.id),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: keys.views })
      onClose()
      void navigate({ to: '/views/$viewId', params: { viewId: 'all_open' } })
    },
  })
  const userOptions = [
    { value: 'me', label: 'Me' },
    { value: 'none', label: 'Unassigned' },
    ...(users.data ?? []).map((u) => ({ value: String(u.id), label: u.name })),
  ]
  const teamOptions = [
    { value: 'mine', label: 'My teams' },
    { value: 'none', label: 'No team' },
    ...(teams.data ?? []).map((t) => ({ value: String(t.id), label: t.name })),
  ]
  return (
    <Modal opened onClose={onClose} title={view ? `Edit view “${view.name}”` : 'Save a new view'} size="xl">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          save.mutate()
        }}
      >
        <Stack>
          <Group grow align="end">
            <TextInput label="View name" required value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
            <Switch label="Share with the whole team" checked={shared} onChange={(e) => setShared(e.currentTarget.checked)} />
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <MultiSelect label="Status" data={statusOptions} value={split(f.status)} onChange={(v) => set({ status: v.join(',') })} clearable />
            <MultiSelect label="Priority" data={priorityOptions} value={split(f.priority)} onChange={(v) => set({ priority: v.join(',') })} clearable />
            <Select label="Assignee" data={userOptions} value={f.assignee ?? null} onChange={(v) => set({ assignee: v ?? undefined })} clearable searchable />
            <Select label="Team" data={teamOptions} value={f.team ?? null} onChange={(v) => set({ team: v ?? undefined })} clearable searchable />
            <Select
              label="Inbox"
              data={(inboxes.data ?? []).map((i) => ({ value: String(i.id), label: i.name }))}
              value={f.inbox ? String(f.inbox) : null}
              onChange={(v) => set({ inbox: v ? Number(v) : undefined })}
              clearable
            />
            <TextInput label="Tag" value={f.tag ?? ''} onChange={(e) => set({ tag: e.currentTarget.value.trim() })} />
            <EntityPicker kind="contacts" label="Requester" value={f.requester ?? null} onChange={(id) => set({ requester: id ?? undefined })} />
            <EntityPicker kind="organizations" label="Organization" value={f.organization ?? null} onChange={(id) => set({ organization: id ?? undefined })} />
            <Select
              label="Custom field"
              data={(fields.data ?? []).filter((x) => x.entity === 'ticket').map((x) => ({ value: x.key, label: x.label }))}
              value={fieldKey || null}
              onChange={(k) => set({ field: k ? `${k}:${fieldValue}` : undefined })}
              clearable
            />
            <TextInput
              label="Custom field value"
              disabled={!fieldKey}
              value={fieldValue}
              onChange={(e) => set({ field: `${fieldKey}:${e.currentTarget.value}` })}
            />
            <Group grow>
              <TextInput
                type="date"
                label="Created from"
                value={toDate(f.createdFrom)}
                onChange={(e) => set({ createdFrom: fromDate(e.currentTarget.value) })}
              />
              <TextInput
                type="date"
                label="Created to"
                value={toDate(f.createdTo)}
                onChange={(e) => set({ createdTo: fromDate(e.currentTarget.value, true) })}
              />
            </Group>
            <Group grow>
              <TextInput
                type="date"
                label="Updated from"
                value={toDate(f.updatedFrom)}
                onChange={(e) => set({ updatedFrom: fromDate(e.currentTarget.value) })}
              />
              <TextInput
                type="date"
                label="Updated to"
                value={toDate(f.updatedTo)}
                onChange={(e) => set({ updatedTo: fromDate(e.currentTarget.value, true) })}
              />
            </Group>
          </SimpleGrid>
          <Group justify="space-between">
            {view ? (
              <Button color="red" variant="subtle" onClick={() => remove.mutate()} loading={remove.isPending}>
                Delete view
              </Button>
            ) : (
              <span />
            )}
            <Group>
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={save.isPending} disabled={!name.trim()}>
                Save view
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}

function clean(f: TicketFilters): TicketFilters {
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== '')) as TicketFilters
}
