import type { DiffPart } from '@allhands/contract'
import { diffWords } from 'diff'

const words = (s: string) => s.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu)?.length ?? 0

/** The word-level diff from the held draft to the text the reviewer sent. */
export function wordDiff(original: string, final: string): DiffPart[] {
  return diffWords(original, final).map((c) => ({ op: c.added ? 'insert' : c.removed ? 'delete' : 'equal', text: c.value }))
}

/**
 * How much the reviewer changed, as a share of the draft's words: the larger of words removed and words
 * added, over the draft's word count, capped at 1. A one-word swap in a ten-word reply is 0.1.
 */
export function editRatio(original: string, final: string): number {
  if (original === final) return 0
  let removed = 0
  let added = 0
  for (const part of wordDiff(original, final)) {
    if (part.op === 'delete') removed += words(part.text)
    if (part.op === 'insert') added += words(part.text)
  }
  const ratio = Math.max(removed, added) / Math.max(words(original), 1)
  return Math.min(1, Math.round(ratio * 1000) / 1000)
}
