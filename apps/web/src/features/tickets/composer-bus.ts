/**
 * Lets panels around the ticket talk to the open composer without owning it: insert text (a snippet,
 * a consult answer) and hear the draft change (tone hints, ride-along mirroring).
 */
export type ComposerTarget = 'reply' | 'note'
export type DraftChange = { ticketId: number; mode: ComposerTarget; html: string; text: string }

const INSERT = 'allhands:composer-insert'
const DRAFT = 'allhands:composer-draft'

export const insertIntoComposer = (html: string, mode: ComposerTarget = 'reply') => window.dispatchEvent(new CustomEvent(INSERT, { detail: { html, mode } }))

export function onComposerInsert(listener: (insert: { html: string; mode: ComposerTarget }) => void): () => void {
  const handler = (e: Event) => listener((e as CustomEvent).detail)
  window.addEventListener(INSERT, handler)
  return () => window.removeEventListener(INSERT, handler)
}

export const publishDraft = (draft: DraftChange) => window.dispatchEvent(new CustomEvent(DRAFT, { detail: draft }))

export function onDraftChange(listener: (draft: DraftChange) => void): () => void {
  const handler = (e: Event) => listener((e as CustomEvent).detail)
  window.addEventListener(DRAFT, handler)
  return () => window.removeEventListener(DRAFT, handler)
}
