import type { VocKind } from '@allhands/contract'
import { Button, Group, Loader, Modal, SegmentedControl, Select, Stack, Textarea, TextInput } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { showError } from '../../lib/queries.ts'
import { refreshVoc, VOC_STATUS_LABEL, vocApi, vocKeys, vocKindOptions } from './voc.api.ts'

/** The text selected in the ticket's conversation, if any: the customer's words to quote. */
export function selectedConversationText(): string {
  const selection = window.getSelection()
  if (!selection || selection.isCollapsed || !selection.anchorNode) return ''
  const node = selection.anchorNode instanceof Element ? selection.anchorNode : selection.anchorNode.parentElement
  if (!node?.closest('[aria-label="Conversation"]')) return ''
  return selection.toString().trim().slice(0, 2000)
}

/** What is linked: a ticket, or a survey response (a customer's written answer). */
export type VocLinkTarget = { ticketId: number } | { surveyResponseId: number }

/**
 * Links a ticket or a survey response to an existing item (searchable) or a new one (support staff), with the
 * customer's words: the text selected in the conversation or the answer, or (left empty) an excerpt chosen by the server.
 */
export function LinkToItemDialog({
  target,
  initialQuote,
  canCreate,
  linkedItemIds,
  onClose,
}: {
  target: VocLinkTarget
  initialQuote: string
  canCreate: boolean
  linkedItemIds: number[]
  onClose: () => void
}) {
  const [mode, setMode] = useState<'existing' | 'new'>('existing')
  const [search, setSearch] = useState('')
  const [q] = useDebouncedValue(search.trim(), 200)
  const [itemId, setItemId] = useState<string | null>(null)
  const [title, setTitle] = useState('')
  const [kind, setKind] = useState<VocKind>('pain_point')
  const [quote, setQuote] = useState(initialQuote)
  const query = { sort: 'last_seen' as const, limit: 50, ...(q ? { q } : {}) }
  const items = useQuery({ queryKey: vocKeys.list(query), queryFn: () => vocApi.list(query) })
  const options = (items.data?.items ?? [])
    .filter((i) => !linkedItemIds.includes(i.id) || String(i.id) === itemId)
    .map((i) => ({ value: String(i.id), label: `${i.title} (${VOC_STATUS_LABEL[i.status]}, ${i.customerCount} customers)` }))
  const link = useMutation({
    mutationFn: async () => {
      const itemOf = mode === 'new' ? (await vocApi.create({ kind, title: title.trim() })).id : Number(itemId)
      return vocApi.link(itemOf, { ...target, ...(quote.trim() ? { quote: quote.trim() } : {}) })
    },
    onSuccess: () => {
      void refreshVoc()
      onClose()
    },
    onError: showError,
  })
  const ready = mode === 'new' ? title.trim().length > 0 : itemId !== null
  return (
    <Modal opened onClose={onClose} title="Link to item">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (ready) link.mutate()
        }}
      >
        <Stack>
          {canCreate && (
            <SegmentedControl
              aria-label="Existing or new item"
              value={mode}
              onChange={(v) => setMode(v as 'existing' | 'new')}
              data={[
                { value: 'existing', label: 'Existing item' },
                { value: 'new', label: 'Create new item' },
              ]}
            />
          )}
          {mode === 'existing' ? (
            <Select
              label="Item"
              placeholder="Search items by title"
              searchable
              searchValue={search}
              onSearchChange={setSearch}
              filter={({ options }) => options}
              data={options}
              value={itemId}
              onChange={setItemId}
              nothingFoundMessage={items.isFetching ? 'Searching…' : 'No item matches'}
              rightSection={items.isFetching ? <Loader size={14} /> : undefined}
              data-autofocus
              comboboxProps={{ withinPortal: true }}
            />
          ) : (
            <Group grow align="flex-start">
              <TextInput label="Title of the new item" required maxLength={200} value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
              <Select label="Kind" data={vocKindOptions} value={kind} onChange={(v) => v && setKind(v as VocKind)} allowDeselect={false} />
            </Group>
          )}
          <Textarea
            label="Customer quote"
            description={
              'ticketId' in target
                ? "Select text in the conversation before opening this to quote it. Left empty, the start of the customer's first message is quoted."
                : "The customer's answer, shortened to what matters if you like."
            }
            autosize
            minRows={3}
            maxRows={8}
            maxLength={2000}
            value={quote}
            onChange={(e) => setQuote(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={link.isPending} disabled={!ready}>
              {'ticketId' in target ? 'Link ticket' : 'Link answer'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
