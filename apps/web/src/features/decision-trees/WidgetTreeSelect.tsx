import { Select } from '@mantine/core'
import { useTrees } from './decision-trees.api.ts'

/** Picks the published customer tree a chat inbox's widget offers before a chat ("Find an answer"); empty = none. */
export function WidgetTreeSelect({ value, onChange }: { value: number | null; onChange: (treeId: number | null) => void }) {
  const trees = useTrees()
  const offerable = (trees.data?.items ?? []).filter((t) => t.publishedVersionId !== null && (t.audience === 'public' || t.audience === 'both'))
  const data = offerable.map((t) => ({ value: String(t.id), label: t.name }))
  // A chosen tree that was unpublished since stays visible, so the admin sees why the widget no longer offers it.
  if (value !== null && !offerable.some((t) => t.id === value)) data.push({ value: String(value), label: `Tree ${value} (not published for customers)` })
  return (
    <Select
      label="Guided help in the widget"
      description="A published customer decision tree the widget offers (“Find an answer”) before a chat. Unresolved runs start a chat, or an offline ticket, with the answers."
      placeholder="None"
      data={data}
      value={value === null ? null : String(value)}
      onChange={(v) => onChange(v ? Number(v) : null)}
      clearable
      nothingFoundMessage="No published customer trees yet"
    />
  )
}
