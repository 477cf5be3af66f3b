import type { MacroActions, MacroDto, MacroScope, Priority, TicketStatus } from '@allhands/contract'
import {
  Alert,
  Button,
  Fieldset,
  Group,
  Menu,
  Modal,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core'
import { IconBraces, IconChevronDown } from '@tabler/icons-react'
import { useMutation } from '@tanstack/react-query'
import { useEditor } from '@tiptap/react'
import { useState } from 'react'
import { priorityOptions, statusOptions } from '../../lib/format.ts'
import { isAdmin, queryClient, useCurrentUser, useTeams, useUsers } from '../../lib/queries.ts'
import { baseEditorExtensions, RichEditorFrame } from '../tickets/RichEditor.tsx'
import { macroKeys, macrosApi, PLACEHOLDERS } from './macros.api.ts'

const NO_CHANGE = ''

/** A stored note (sanitized HTML) as the plain text the note field edits: one blank line between paragraphs. */
function noteText(html: string | undefined): string {
  if (!html) return ''
  // A parsed document that is never shown: no script runs and nothing loads, only its text is read.
  const doc = new DOMParser().parseFromString(html.replace(/<br\s*\/?>/gi, '\n'), 'text/html')
  return [...doc.body.children].map((el) => el.textContent ?? '').join('\n\n') || (doc.body.textContent ?? '')
}

const assigneeValue = (a: MacroActions['assignee']) => (a === undefined ? NO_CHANGE : a === null ? 'none' : a === 'me' ? 'me' : String(a))
const teamValue = (t: MacroActions['teamId']) => (t === undefined ? NO_CHANGE : t === null ? 'none' : String(t))

/** Creates or edits a macro: name, reply text with placeholders, actions, and (admins) scope and contributor approval. */
export function MacroDialog({ macro, onClose }: { macro?: MacroDto; onClose: () => void }) {
  const user = useCurrentUser()
  const admin = isAdmin(user.role)
  const users = useUsers()
  const teams = useTeams()
  const a = macro?.actions ?? {}
  const [name, setName] = useState(macro?.name ?? '')
  const [body, setBody] = useState(macro?.bodyHtml ?? '')
  const [status, setStatus] = useState<string>(a.status ?? NO_CHANGE)
  const [priority, setPriority] = useState<string>(a.priority ?? NO_CHANGE)
  const [addTags, setAddTags] = useState<string[]>(a.addTags ?? [])
  const [removeTags, setRemoveTags] = useState<string[]>(a.removeTags ?? [])
  const [assignee, setAssignee] = useState<string>(assigneeValue(a.assignee))
  const [team, setTeam] = useState<string>(teamValue(a.teamId))
  const [note, setNote] = useState(noteText(a.note))
  const [scope, setScope] = useState<MacroScope>(macro?.scope ?? 'personal')
  const [approved, setApproved] = useState(macro?.approvedForContributors ?? false)
  const [error, setError] = useState<string | null>(null)

  const editor = useEditor({
    extensions: baseEditorExtensions(),
    content: macro?.bodyHtml ?? '',
    editorProps: { attributes: { 'aria-label': 'Reply text', 'aria-multiline': 'true', role: 'textbox', 'data-testid': 'macro-body-editor' } },
    onUpdate: ({ editor }) => setBody(editor.isEmpty ? '' : editor.getHTML()),
  })

  const actions: MacroActions = {
    ...(status ? { status: status as TicketStatus } : {}),
    ...(priority ? { priority: priority as Priority } : {}),
    ...(addTags.length ? { addTags } : {}),
    ...(removeTags.length ? { removeTags } : {}),
    ...(assignee ? { assignee: assignee === 'me' ? ('me' as const) : assignee === 'none' ? null : Number(assignee) } : {}),
    ...(team ? { teamId: team === 'none' ? null : Number(team) } : {}),
    ...(note.trim() ? { note: note.trim() } : {}),
  }
  const changesFields = Object.keys(actions).some((k) => k !== 'note')
  const approvable = scope === 'shared' && !changesFields

  const save = useMutation({
    meta: { silent: true },
    mutationFn: () => {
      const input = { name: name.trim(), body, actions, scope, approvedForContributors: approvable && approved }
      return macro ? macrosApi.update(macro.id, input) : macrosApi.create(input)
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: macroKeys.all })
      onClose()
    },
    onError: (err) => setError(err instanceof Error ? err.message : 'The macro could not be saved'),
  })

  const assigneeOptions = [
    { value: NO_CHANGE, label: 'No change' },
    { value: 'me', label: 'Whoever applies the macro' },
    { value: 'none', label: 'Unassigned' },
    ...(users.data ?? []).filter((u) => u.isActive && u.role !== 'contributor').map((u) => ({ value: String(u.id), label: u.name })),
  ]
  const teamOptions = [
    { value: NO_CHANGE, label: 'No change' },
    { value: 'none', label: 'No team' },
    ...(teams.data ?? []).map((t) => ({ value: String(t.id), label: t.name })),
  ]

  return (
    <Modal opened onClose={onClose} title={macro ? `Edit macro “${macro.name}”` : 'New macro'} size="xl">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          setError(null)
          if (name.trim()) save.mutate()
        }}
      >
        <Stack>
          {error && (
            <Alert color="red" role="alert" title="Not saved" withCloseButton onClose={() => setError(null)}>
              {error}
            </Alert>
          )}
          <TextInput label="Name" required maxLength={120} value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
          <Stack gap={4}>
            <Group justify="space-between" align="end">
              <Text size="sm" fw={500} id="macro-body-label">
                Reply text
              </Text>
              {/* Focus goes back to the text, where the placeholder went, not to the menu button. */}
              <Menu position="bottom-end" withinPortal returnFocus={false} onClose={() => requestAnimationFrame(() => editor?.commands.focus())}>
                <Menu.Target>
                  <Button size="compact-xs" variant="light" leftSection={<IconBraces size={14} />} rightSection={<IconChevronDown size={12} />}>
                    Insert placeholder
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  {PLACEHOLDERS.map((p) => (
                    <Menu.Item key={p.key} onClick={() => editor?.chain().focus().insertContent(`{{${p.key}}}`).run()}>
                      {p.label} <Text span size="xs" c="dimmed" ff="monospace">{`{{${p.key}}}`}</Text>
                    </Menu.Item>
                  ))}
                </Menu.Dropdown>
              </Menu>
            </Group>
            <RichEditorFrame editor={editor} />
            <Text size="xs" c="dimmed">
              Inserted into the composer where you type /. Placeholders are filled in for the ticket; nothing is sent until you send the reply.
            </Text>
          </Stack>
          <Fieldset legend="Actions when applied">
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Select
                label="Set status"
                data={[{ value: NO_CHANGE, label: 'No change' }, ...statusOptions]}
                value={status}
                onChange={(v) => setStatus(v ?? NO_CHANGE)}
                allowDeselect={false}
              />
              <Select
                label="Set priority"
                data={[{ value: NO_CHANGE, label: 'No change' }, ...priorityOptions]}
                value={priority}
                onChange={(v) => setPriority(v ?? NO_CHANGE)}
                allowDeselect={false}
              />
              <TagsInput label="Add tags" value={addTags} onChange={setAddTags} maxTags={20} splitChars={[',', ' ']} clearable />
              <TagsInput label="Remove tags" value={removeTags} onChange={setRemoveTags} maxTags={20} splitChars={[',', ' ']} clearable />
              <Select
                label="Assign to"
                data={assigneeOptions}
                value={assignee}
                onChange={(v) => setAssignee(v ?? NO_CHANGE)}
                allowDeselect={false}
                searchable
              />
              <Select label="Move to team" data={teamOptions} value={team} onChange={(v) => setTeam(v ?? NO_CHANGE)} allowDeselect={false} searchable />
            </SimpleGrid>
            <Textarea
              mt="sm"
              label="Add an internal note"
              description="Placeholders work here too"
              autosize
              minRows={2}
              maxRows={6}
              maxLength={20000}
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
            />
          </Fieldset>
          {admin ? (
            <Stack gap="xs">
              <Stack gap={4}>
                <Text size="sm" fw={500} id="macro-scope-label">
                  Who can use it
                </Text>
                <SegmentedControl
                  aria-labelledby="macro-scope-label"
                  value={scope}
                  onChange={(v) => setScope(v as MacroScope)}
                  data={[
                    { value: 'personal', label: 'Only me' },
                    { value: 'shared', label: 'Everyone in support (shared)' },
                  ]}
                />
              </Stack>
              {scope === 'shared' && (
                <Switch
                  label="Approved for rotation contributors"
                  description={
                    changesFields
                      ? 'Contributors cannot change ticket fields: only a macro with a reply and a note can be approved for them.'
                      : 'Contributors on rotation see and use only the shared macros approved for them.'
                  }
                  checked={approvable && approved}
                  disabled={!approvable}
                  onChange={(e) => setApproved(e.currentTarget.checked)}
                />
              )}
            </Stack>
          ) : (
            <Text size="sm" c="dimmed">
              {macro?.scope === 'shared' ? 'Shared macro.' : 'Personal macro: only you see and use it. Admins manage shared macros.'}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!name.trim()}>
              {macro ? 'Save macro' : 'Create macro'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
