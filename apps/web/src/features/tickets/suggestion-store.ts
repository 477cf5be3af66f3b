import { useSyncExternalStore } from 'react'

/** What every composer suggestion popup (@mentions, `/` macros) tracks: its items, the highlighted one and what picks it. */
export type SuggestionState<T> = { items: T[]; index: number; rect: DOMRect | null; command: (item: T) => void }

/**
 * A tiny store for one suggestion popup: Tiptap's suggestion plugin writes it, the React popup reads it, and the
 * keyboard works the same in every popup (arrows move, Enter or Tab picks, Escape closes).
 */
export function suggestionStore<S extends SuggestionState<T>, T = S['items'][number]>() {
  let state: S | null = null
  const listeners = new Set<() => void>()
  const set = (next: S | null) => {
    state = next
    for (const l of listeners) l()
  }
  const subscribe = (l: () => void) => {
    listeners.add(l)
    return () => void listeners.delete(l)
  }
  return {
    get: () => state,
    set,
    /** The index to keep when the items change under the highlight. */
    keptIndex: (count: number) => Math.min(state?.index ?? 0, Math.max(0, count - 1)),
    /** Handles a key while the popup shows; true when the popup used it. */
    onKeyDown(event: KeyboardEvent): boolean {
      if (!state) return false
      if (event.key === 'Escape') {
        set(null)
        return true
      }
      const count = state.items.length
      if (count === 0) return false
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        set({ ...state, index: (state.index + (event.key === 'ArrowDown' ? 1 : count - 1)) % count })
        return true
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        state.command(state.items[state.index]!)
        return true
      }
      return false
    },
    useState: () => useSyncExternalStore(subscribe, () => state),
  }
}
