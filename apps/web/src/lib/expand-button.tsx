import { Button } from '@mantine/core'
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react'
import type { ReactNode } from 'react'

/** A small toggle that shows or hides a detail row (payload, request/response), announced to screen readers. */
export function ExpandButton(props: { open: boolean; controls: string; label: string; onToggle: () => void; children: ReactNode }) {
  return (
    <Button
      size="compact-xs"
      variant="subtle"
      leftSection={props.open ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
      aria-expanded={props.open}
      aria-controls={props.controls}
      aria-label={props.label}
      onClick={props.onToggle}
    >
      {props.children}
    </Button>
  )
}
