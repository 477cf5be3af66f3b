import type { MacroActions, MacroDto } from '@allhands/contract'
import { Alert, Badge, Button, Group, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { IconBolt, IconPlus, IconSearch } from '@tabler/icons-react'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { fullTime, PRIORITY_LABEL, relativeTime, STATUS_LABEL } from '../../lib/format.ts'
import { isStaff, queryClient, showError, useCurrentUser, useTeams, useUsers } from '../../lib/queries.ts'
import { EditDeleteButtons } from '../../lib/row-actions.tsx'
import { MacroDialog } from './MacroDialog.tsx'
import { filterMacros, macroKeys, macrosApi, useMacros } from './macros.api.ts'
import { ConfirmModal } from '../../lib/confirm-modal.tsx'

/** What applying a macro does, in words. */
function useActionSummary() {
  const users = useUsers()
  const teams = useTeams()
  return (m: MacroDto): string[] => {
    const a: MacroActions = m.actions
    const out: string[] = []
    if (m.bodyHtml) out.push('Reply text')
    if (a.status) out.push(`Status: ${STATUS_LABEL[a.status]}`)
    if (a.priority) out.push(`Priority: ${PRIORITY_LABEL[a.priority]}`)
    if (a.addTags?.length) out.push(`Add tags: ${a.addTags.join(', ')}`)
    if (a.removeTags?.length) out.push(`Remove tags: ${a.removeTags.join(', ')}`)
    if (a.assignee !== undefined)
      out.push(
        a.assignee === 'me'
          ? 'Assign: whoever applies it'
          : a.assignee === null
            ? 'Unassign'
            : `Assign: ${users.data?.find((u) => u.id === a.assignee)?.name ?? `user ${a.assignee}`}`,
      )
    if (a.teamId !== undefined) out.push(a.teamId === null ? 'Remove team' : `Team: ${teams.data?.find((t) => t.id === a.teamId)?.name ?? `team ${a.teamId}`}`)
    if (a.note) out.push('Internal note')
    return out
  }
}

/** Settings → Macros: the macros the signed-in person may use, with usage counts; staff create personal ones, admins shared ones. */
export function MacrosSettings() {
  const user = useCurrentUser()
  const staff = isStaff(user.role)
  const macros = useMacros()
  const summary = useActionSummary()
  const [filter, setFilter] = useState('')
  const [editing, setEditing] = useState<MacroDto | 'new' | null>(null)
  const [deleting, setDeleting] = useState<MacroDto | null>(null)
  const remove = useMutation({
    mutationFn: (m: MacroDto) => macrosApi.remove(m.id),
    onSuccess: () => {
      setDeleting(null)
      void queryClient.invalidateQueries({ queryKey: macroKeys.all })
    },
    meta: { silent: true },
    onError: showError,
  })
  const shown = filterMacros(macros.data ?? [], filter)

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} size="h4">
          Macros
        </Title>
        {staff && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
            New macro
          </Button>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        Saved replies with placeholders and actions. In a ticket's composer, type <b>/</b> and part of a macro's name to apply it, or use the command palette
        (Ctrl/⌘ K).{' '}
        {staff
          ? 'Your personal macros are yours alone; shared macros are managed by admins.'
          : 'You can use the shared macros approved for rotation contributors.'}
      </Text>
      {macros.isLoading && <Loader size="sm" aria-label="Loading macros" />}
      {macros.isError && (
        <Alert color="red" title="Macros could not be loaded">
          {macros.error.message}{' '}
          <Button size="compact-xs" variant="light" onClick={() => void macros.refetch()}>
            Try again
          </Button>
        </Alert>
      )}
      {macros.data?.length === 0 && (
        <Alert color="blue" icon={<IconBolt size={18} />} title="No macros yet">
          {staff
            ? 'Create one for answers you write often, e.g. “Refund issued” with “Hi {{ticket.requester.firstName}}, …” that also sets the ticket to Pending.'
            : 'No shared macro is approved for rotation contributors yet.'}
        </Alert>
      )}
      {!!macros.data?.length && (
        <>
          <TextInput
            leftSection={<IconSearch size={14} />}
            placeholder="Filter by name"
            aria-label="Filter macros by name"
            value={filter}
            onChange={(e) => setFilter(e.currentTarget.value)}
            maw={320}
          />
          <Table aria-label="Macros" verticalSpacing="xs" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>What it does</Table.Th>
                <Table.Th ta="right">Used</Table.Th>
                <Table.Th>Updated</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {m.name}
                    </Text>
                    <Group gap={4} mt={2}>
                      <Badge size="xs" variant="light" color={m.scope === 'shared' ? 'indigo' : 'gray'}>
                        {m.scope === 'shared' ? 'Shared' : 'Personal'}
                      </Badge>
                      {m.approvedForContributors && (
                        <Badge size="xs" variant="light" color="teal">
                          Contributors
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" c="dimmed">
                      {summary(m).join(' · ')}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right" aria-label={`Used ${m.usageCount} times`}>
                    {m.usageCount.toLocaleString('en-US')}
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" title={fullTime(m.updatedAt)}>
                      {relativeTime(m.updatedAt)}
                    </Text>
                  </Table.Td>
                  <Table.Td w={90}>
                    {m.canEdit && (
                      <Group gap={4} wrap="nowrap">
                        <EditDeleteButtons name={`macro ${m.name}`} onEdit={() => setEditing(m)} onDelete={() => setDeleting(m)} />
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {shown.length === 0 && (
            <Text size="sm" c="dimmed">
              No macro matches “{filter}”.
            </Text>
          )}
        </>
      )}
      {editing && <MacroDialog macro={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
      <ConfirmModal
        opened={!!deleting}
        onClose={() => setDeleting(null)}
        title="Delete macro?"
        confirmLabel="Delete"
        danger
        loading={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting)}
      >
        Delete “{deleting?.name}”? {deleting?.scope === 'shared' ? 'Nobody will be able to use it any more.' : 'It cannot be restored.'}
      </ConfirmModal>
    </Stack>
  )
}
