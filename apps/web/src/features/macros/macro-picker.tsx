import type { MacroDto } from '@allhands/contract'
import { Badge, Group, Loader, Text } from '@mantine/core'
import { IconBolt } from '@tabler/icons-react'
import { type Editor, Extension } from '@tiptap/react'
import { PluginKey } from '@tiptap/pm/state'
import Suggestion from '@tiptap/suggestion'
import { queryClient } from '../../lib/queries.ts'
import { type SuggestionState, suggestionStore } from '../tickets/suggestion-store.ts'
import { SuggestionOption, SuggestionPopup } from '../tickets/SuggestionPopup.tsx'
import { filterMacros, macrosQuery } from './macros.api.ts'

type State = SuggestionState<MacroDto> & { phase: 'loading' | 'ready' | 'error'; query: string }

const store = suggestionStore<State>()
let loadFailed = false
// After "/word " with nothing matching, the person is writing prose (a path, "and/or"): the picker steps aside.
const isDismissed = (s: State) => s.phase === 'ready' && s.items.length === 0 && /\s/.test(s.query)

const MAX_ITEMS = 8

/** Whether the picker is showing: the composer then leaves Escape to it (closing the picker, not leaving the editor). */
export const isMacroPickerOpen = () => {
  const s = store.get()
  return s !== null && !isDismissed(s)
}

/**
 * The composer's `/` command: typing `/` at the start of a word opens a picker of the macros the person may use,
 * filtered by the words typed after it; Enter (or a click) calls `onPick` with the `/query` already removed.
 */
export const MacroCommand = Extension.create<{ onPick: (editor: Editor, macro: MacroDto) => void }>({
  name: 'macroCommand',
  addOptions: () => ({ onPick: () => {} }),
  addProseMirrorPlugins() {
    const onPick = this.options.onPick
    return [
      Suggestion<MacroDto, MacroDto>({
        pluginKey: new PluginKey('macroCommand'),
        editor: this.editor,
        char: '/',
        allowSpaces: true,
        command: ({ editor, range, props }) => {
          editor.chain().focus().deleteRange(range).run()
          onPick(editor, props)
        },
        items: async ({ query }) => {
          try {
            const macros = await queryClient.fetchQuery(macrosQuery)
            loadFailed = false
            return filterMacros(macros, query).slice(0, MAX_ITEMS)
          } catch {
            loadFailed = true
            return []
          }
        },
        render: () => {
          const show = (props: { items: MacroDto[]; query: string; clientRect?: (() => DOMRect | null) | null; command: (m: MacroDto) => void }) =>
            store.set({
              phase: loadFailed ? 'error' : 'ready',
              items: props.items,
              index: store.keptIndex(props.items.length),
              query: props.query,
              rect: props.clientRect?.() ?? null,
              command: props.command,
            })
          return {
            onBeforeStart: (props) =>
              store.set({ phase: 'loading', items: [], index: 0, query: props.query, rect: props.clientRect?.() ?? null, command: props.command }),
            onStart: show,
            onUpdate: show,
            onKeyDown: ({ event }) => {
              const s = store.get()
              return !!s && !isDismissed(s) && store.onKeyDown(event)
            },
            onExit: () => store.set(null),
          }
        },
      }),
    ]
  },
})

// A parsed document that is never shown: no script runs and nothing loads, only its text is read.
const textOf = (html: string) => (new DOMParser().parseFromString(html, 'text/html').body.textContent ?? '').replace(/\s+/g, ' ').trim()

/** The `/` picker's popup: a listbox of macros under the cursor, with loading, error and empty states. */
export function MacroPicker() {
  const s = store.useState()
  if (!s?.rect || isDismissed(s)) return null
  return (
    <SuggestionPopup rect={s.rect} label="Macros" busy={s.phase === 'loading'} maw={420}>
      {s.phase === 'loading' && (
        <Group gap="xs" p="xs">
          <Loader size="xs" />
          <Text size="sm" c="dimmed">
            Loading macros…
          </Text>
        </Group>
      )}
      {s.phase === 'error' && (
        <Text size="sm" c="red" p="xs" role="alert">
          Macros could not be loaded. Try again in a moment.
        </Text>
      )}
      {s.phase === 'ready' && s.items.length === 0 && (
        <Text size="sm" c="dimmed" p="xs">
          {s.query ? `No macro matches “${s.query}”` : 'No macros yet: create them in Settings → Macros'}
        </Text>
      )}
      {s.items.map((macro, i) => (
        <SuggestionOption key={macro.id} label={macro.name} selected={i === s.index} onPick={() => s.command(macro)}>
          <Group gap="xs" wrap="nowrap">
            <IconBolt size={14} aria-hidden />
            <Text size="sm" fw={500} truncate>
              {macro.name}
            </Text>
            {macro.scope === 'shared' && (
              <Badge size="xs" variant="light" color="gray">
                Shared
              </Badge>
            )}
          </Group>
          {macro.bodyHtml && (
            <Text size="xs" c="dimmed" truncate pl={22}>
              {textOf(macro.bodyHtml)}
            </Text>
          )}
        </SuggestionOption>
      ))}
    </SuggestionPopup>
  )
}
