import { ActionIcon, Tooltip } from '@mantine/core'
import { IconArrowDown, IconArrowUp, IconPencil, IconTrash } from '@tabler/icons-react'

/** The ids in their new order after moving the one at `index` by one place up (-1) or down (1). */
export function movedIds<T extends { id: number }>(list: readonly T[], index: number, by: -1 | 1): number[] {
  const ids = list.map((x) => x.id)
  const [id] = ids.splice(index, 1)
  ids.splice(index + by, 0, id!)
  return ids
}

/** Up and down buttons for an ordered list's row (rules and policies that apply in order), labelled with its name. */
export function MoveButtons(props: {
  name: string
  index: number
  count: number
  disabled?: boolean
  onMove: (by: -1 | 1) => void
  labels?: [string, string]
}) {
  const [up, down] = props.labels ?? ['Move up', 'Move down']
  return (
    <>
      <Tooltip label={up}>
        <ActionIcon variant="subtle" aria-label={`Move ${props.name} up`} disabled={props.index === 0 || props.disabled} onClick={() => props.onMove(-1)}>
          <IconArrowUp size={16} />
        </ActionIcon>
      </Tooltip>
      <Tooltip label={down}>
        <ActionIcon
          variant="subtle"
          aria-label={`Move ${props.name} down`}
          disabled={props.index === props.count - 1 || props.disabled}
          onClick={() => props.onMove(1)}
        >
          <IconArrowDown size={16} />
        </ActionIcon>
      </Tooltip>
    </>
  )
}

/** Edit and delete buttons of a settings row, labelled with its name (deleting asks first, in the caller's ConfirmModal). */
export function EditDeleteButtons(props: { name: string; onEdit: () => void; onDelete: () => void }) {
  return (
    <>
      <Tooltip label="Edit">
        <ActionIcon variant="subtle" aria-label={`Edit ${props.name}`} onClick={props.onEdit}>
          <IconPencil size={16} />
        </ActionIcon>
      </Tooltip>
      <Tooltip label="Delete">
        <ActionIcon variant="subtle" color="red" aria-label={`Delete ${props.name}`} onClick={props.onDelete}>
          <IconTrash size={16} />
        </ActionIcon>
      </Tooltip>
    </>
  )
}
