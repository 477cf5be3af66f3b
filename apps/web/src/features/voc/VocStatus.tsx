import type { VocItemDto, VocStatus } from '@allhands/contract'
import { Badge, Select } from '@mantine/core'
import { useMutation } from '@tanstack/react-query'
import { showError } from '../../lib/queries.ts'
import { refreshVoc, VOC_STATUS_COLOR, VOC_STATUS_LABEL, vocApi, vocStatusOptions } from './voc.api.ts'

export function VocStatusBadge({ status }: { status: VocStatus }) {
  return (
    <Badge variant="light" color={VOC_STATUS_COLOR[status]}>
      {VOC_STATUS_LABEL[status]}
    </Badge>
  )
}

/**
 * Changes an item's status (support staff). Shipping prepares the close-the-loop replies on the server.
 * `label` shows a visible "Status" label (item page); without it the select is labelled for its row.
 */
export function VocStatusSelect({ item, label }: { item: Pick<VocItemDto, 'id' | 'title' | 'status'>; label?: boolean }) {
  const change = useMutation({
    mutationFn: (status: VocStatus) => vocApi.update(item.id, { status }),
    onSuccess: () => void refreshVoc(),
    onError: showError,
  })
  return (
    <Select
      label={label ? 'Status' : undefined}
      aria-label={label ? undefined : `Status of ${item.title}`}
      data={vocStatusOptions}
      value={item.status}
      allowDeselect={false}
      disabled={change.isPending}
      onChange={(v) => v && v !== item.status && change.mutate(v as VocStatus)}
      w={label ? 180 : 150}
      size={label ? 'sm' : 'xs'}
      comboboxProps={{ withinPortal: true }}
    />
  )
}
