import type { AutoInviteRuleDto, AutoInviteRuleInput } from '@allhands/contract'
import {
  ActionIcon,
  Button,
  Code,
  Group,
  Loader,
  Modal,
  NumberInput,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconPencil, IconPlus, IconTrash } from '@tabler/icons-react'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { queryClient } from '../../lib/queries.ts'
import { chatApi, chatKeys } from './chat.api.ts'

const EMPTY_RULE: AutoInviteRuleInput = {
  name: '',
  urlPattern: '*',
  minSecondsOnPage: 30,
  returningOnly: false,
  message: 'Hi! Any questions? We are here to help.',
  capHours: 24,
  enabled: true,
}

const inputOf = (r: AutoInviteRuleDto): AutoInviteRuleInput => ({
  name: r.name,
  urlPattern: r.urlPattern,
  minSecondsOnPage: r.minSecondsOnPage,
  returningOnly: r.returningOnly,
  message: r.message,
  capHours: r.capHours,
  enabled: r.enabled,
})

/** Auto-invite rules of one chat inbox: a table with create, edit, enable/disable and delete. */
export function InviteRules({ inboxId }: { inboxId: number }) {
  const rules = useQuery({ queryKey: chatKeys.inviteRules(inboxId), queryFn: () => chatApi.inviteRules(inboxId), meta: { silent: true } })
  const [editing, setEditing] = useState<AutoInviteRuleDto | 'new' | null>(null)
  const [deleting, setDeleting] = useState<AutoInviteRuleDto | null>(null)
  const refresh = () => queryClient.invalidateQueries({ queryKey: chatKeys.inviteRules(inboxId) })
  const toggle = useMutation({
    mutationFn: (r: AutoInviteRuleDto) => chatApi.updateInviteRule(r.id, { ...inputOf(r), enabled: !r.enabled }),
    onSettled: refresh,
  })
  const items = rules.data?.items ?? []
  return (
    <Stack gap="xs" component="section" aria-label="Auto-invite rules">
      <Group justify="space-between">
        <Title order={3} size="h5">
          Auto-invite rules
        </Title>
        <Button size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => setEditing('new')}>
          New rule
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        Invite visitors automatically when they match: the page address (<Code>*</Code> matches anything, e.g. <Code>https://shop.example/pricing*</Code>), time
        on the page, returning visitors only. Each rule invites a visitor at most once per cap period, and never someone already chatting.
      </Text>
      {rules.isPending ? (
        <Loader size="sm" aria-label="Loading auto-invite rules" />
      ) : rules.isError ? (
        <Text size="sm" c="red">
          The rules could not be loaded: {rules.error.message}
        </Text>
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No rules: visitors are only invited by agents from the visitor list.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing={6} aria-label="Auto-invite rules">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Rule</Table.Th>
                <Table.Th scope="col">Page address</Table.Th>
                <Table.Th scope="col">After</Table.Th>
                <Table.Th scope="col">Visitors</Table.Th>
                <Table.Th scope="col">At most</Table.Th>
                <Table.Th scope="col">Enabled</Table.Th>
                <Table.Th scope="col">
                  <VisuallyHidden>Edit or delete</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((r) => (
                <Table.Tr key={r.id} data-rule-id={r.id}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {r.name}
                    </Text>
                    <Text size="xs" c="dimmed" lineClamp={1}>
                      {r.message}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Code>{r.urlPattern}</Code>
                  </Table.Td>
                  <Table.Td>{r.minSecondsOnPage} s on page</Table.Td>
                  <Table.Td>{r.returningOnly ? 'Returning only' : 'Everyone'}</Table.Td>
                  <Table.Td>once per {r.capHours} h</Table.Td>
                  <Table.Td>
                    <Switch
                      aria-label={`Rule ${r.name} enabled`}
                      checked={r.enabled}
                      disabled={toggle.isPending && toggle.variables?.id === r.id}
                      onChange={() => toggle.mutate(r)}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={2} wrap="nowrap">
                      <Tooltip label="Edit">
                        <ActionIcon variant="subtle" onClick={() => setEditing(r)} aria-label={`Edit rule ${r.name}`}>
                          <IconPencil size={16} aria-hidden />
                        </ActionIcon>
                      </Tooltip>
                      <Tooltip label="Delete">
                        <ActionIcon variant="subtle" color="red" onClick={() => setDeleting(r)} aria-label={`Delete rule ${r.name}`}>
                          <IconTrash size={16} aria-hidden />
                        </ActionIcon>
                      </Tooltip>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {editing && <RuleDialog inboxId={inboxId} rule={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={refresh} />}
      {deleting && <DeleteRuleDialog rule={deleting} onClose={() => setDeleting(null)} onDeleted={refresh} />}
    </Stack>
  )
}

function RuleDialog({ inboxId, rule, onClose, onSaved }: { inboxId: number; rule: AutoInviteRuleDto | null; onClose: () => void; onSaved: () => void }) {
  const [form, setForm] = useState<AutoInviteRuleInput>(rule ? inputOf(rule) : EMPTY_RULE)
  const set = (patch: Partial<AutoInviteRuleInput>) => setForm((f) => ({ ...f, ...patch }))
  const save = useMutation({
    mutationFn: () => {
      const input = { ...form, name: form.name.trim(), urlPattern: form.urlPattern.trim(), message: form.message.trim() }
      return rule ? chatApi.updateInviteRule(rule.id, input) : chatApi.createInviteRule(inboxId, input)
    },
    onSuccess: (r) => {
      notifications.show({ color: 'green', message: `Rule ${r.name} saved` })
      onSaved()
      onClose()
    },
  })
  const ready = !!form.name.trim() && !!form.urlPattern.trim() && !!form.message.trim()
  return (
    <Modal opened onClose={onClose} title={rule ? `Edit rule ${rule.name}` : 'New auto-invite rule'} size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (ready) save.mutate()
        }}
      >
        <Stack>
          <TextInput label="Name" required maxLength={120} data-autofocus value={form.name} onChange={(e) => set({ name: e.currentTarget.value })} />
          <TextInput
            label="Page address pattern"
            description="* matches anything: https://shop.example/pricing* or *checkout*"
            required
            maxLength={500}
            value={form.urlPattern}
            onChange={(e) => set({ urlPattern: e.currentTarget.value })}
          />
          <Group grow align="start">
            <NumberInput
              label="Seconds on the page"
              min={0}
              max={3600}
              allowDecimal={false}
              clampBehavior="strict"
              value={form.minSecondsOnPage}
              onChange={(v) => set({ minSecondsOnPage: typeof v === 'number' ? v : 0 })}
            />
            <NumberInput
              label="At most once per (hours)"
              description="per visitor, for this rule"
              min={1}
              max={720}
              allowDecimal={false}
              clampBehavior="strict"
              value={form.capHours}
              onChange={(v) => set({ capHours: typeof v === 'number' ? v : 24 })}
            />
          </Group>
          <Switch label="Returning visitors only" checked={form.returningOnly} onChange={(e) => set({ returningOnly: e.currentTarget.checked })} />
          <Textarea
            label="Invitation message"
            required
            autosize
            minRows={2}
            maxLength={500}
            value={form.message}
            onChange={(e) => set({ message: e.currentTarget.value })}
          />
          <Switch label="Enabled" checked={form.enabled} onChange={(e) => set({ enabled: e.currentTarget.checked })} />
          <Group justify="end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={!ready} loading={save.isPending}>
              Save rule
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}

function DeleteRuleDialog({ rule, onClose, onDeleted }: { rule: AutoInviteRuleDto; onClose: () => void; onDeleted: () => void }) {
  const remove = useMutation({
    mutationFn: () => chatApi.deleteInviteRule(rule.id),
    onSuccess: () => {
      notifications.show({ color: 'green', message: `Rule ${rule.name} deleted` })
      onDeleted()
      onClose()
    },
  })
  return (
    <Modal opened onClose={onClose} title={`Delete rule ${rule.name}?`}>
      <Stack>
        <Text size="sm">Visitors are no longer invited by this rule. Invitations it already sent stay in the history.</Text>
        <Group justify="end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color="red" onClick={() => remove.mutate()} loading={remove.isPending}>
            Delete
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}
