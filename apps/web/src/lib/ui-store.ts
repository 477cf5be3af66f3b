import { useSyncExternalStore } from 'react'

type UiState = { newTicketOpen: boolean; shortcutsOpen: boolean }

let state: UiState = { newTicketOpen: false, shortcutsOpen: false }
const listeners = new Set<() => void>()

/** App-wide dialogs that several places (header, palette, shortcuts) can open. */
export function setUi(patch: Partial<UiState>) {
  state = { ...state, ...patch }
  for (const l of listeners) l()
}

export function useUi(): UiState {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l)
      return () => void listeners.delete(l)
    },
    () => state,
  )
}
