import type { UserDto } from '@allhands/contract'
import { Avatar, Group, Text } from '@mantine/core'
import type { SuggestionOptions } from '@tiptap/suggestion'
import { initials } from '../../lib/format.ts'
import { type SuggestionState, suggestionStore } from './suggestion-store.ts'
import { SuggestionOption, SuggestionPopup } from './SuggestionPopup.tsx'

type Item = { id: string; label: string }
const store = suggestionStore<SuggestionState<Item>>()

/** Tiptap suggestion config for @mentions; the popup itself is the React <MentionList /> below. */
export function mentionSuggestion(getUsers: () => UserDto[]): Omit<SuggestionOptions<Item>, 'editor'> {
  return {
    items: ({ query }) =>
      getUsers()
        .filter((u) => u.isActive && (u.name.toLowerCase().includes(query.toLowerCase()) || u.email.toLowerCase().startsWith(query.toLowerCase())))
        .slice(0, 8)
        .map((u) => ({ id: String(u.id), label: u.name })),
    render: () => ({
      onStart: (props) => store.set({ items: props.items, index: 0, rect: props.clientRect?.() ?? null, command: props.command }),
      onUpdate: (props) =>
        store.set({ items: props.items, index: store.keptIndex(props.items.length), rect: props.clientRect?.() ?? null, command: props.command }),
      onKeyDown: ({ event }) => store.onKeyDown(event),
      onExit: () => store.set(null),
    }),
  }
}

export function MentionList() {
  const s = store.useState()
  if (!s?.rect) return null
  return (
    <SuggestionPopup rect={s.rect} label="People to mention">
      {s.items.length === 0 ? (
        <Text size="sm" c="dimmed" p="xs">
          No one matches
        </Text>
      ) : (
        s.items.map((item, i) => (
          <SuggestionOption key={item.id} selected={i === s.index} onPick={() => s.command(item)}>
            <Group gap="xs" wrap="nowrap">
              <Avatar size={22} radius="xl" color="indigo">
                {initials(item.label)}
              </Avatar>
              <Text size="sm">{item.label}</Text>
            </Group>
          </SuggestionOption>
        ))
      )}
    </SuggestionPopup>
  )
}
