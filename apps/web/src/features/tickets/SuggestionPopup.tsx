import { Paper, UnstyledButton } from '@mantine/core'
import type { ReactNode } from 'react'

/** The listbox a composer suggestion (@mentions, `/` macros) shows under the cursor. */
export function SuggestionPopup({ rect, label, busy, maw, children }: { rect: DOMRect; label: string; busy?: boolean; maw?: number; children: ReactNode }) {
  return (
    <Paper
      className="mention-list"
      shadow="md"
      withBorder
      p={4}
      maw={maw}
      style={{ top: rect.bottom + 4, left: rect.left }}
      role="listbox"
      aria-label={label}
      aria-busy={busy}
    >
      {children}
    </Paper>
  )
}

/** One option of a suggestion popup: highlighted when selected; a click picks it without taking focus from the editor. */
export function SuggestionOption({ selected, label, onPick, children }: { selected: boolean; label?: string; onPick: () => void; children: ReactNode }) {
  return (
    <UnstyledButton
      role="option"
      aria-label={label}
      aria-selected={selected}
      display="block"
      w="100%"
      p={6}
      style={{ borderRadius: 4, background: selected ? 'var(--mantine-color-indigo-light)' : undefined }}
      onMouseDown={(e) => {
        e.preventDefault()
        onPick()
      }}
    >
      {children}
    </UnstyledButton>
  )
}
