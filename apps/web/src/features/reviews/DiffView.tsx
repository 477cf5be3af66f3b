import type { DiffPart } from '@allhands/contract'
import { Paper, Text } from '@mantine/core'

/** The reviewer's edit, word by word: removed words struck through, added ones highlighted. */
export function DiffView({ diff, editRatio }: { diff: DiffPart[]; editRatio: number | null }) {
  return (
    <Paper withBorder p="sm" aria-label="Changes made by the reviewer">
      <Text size="xs" c="dimmed" mb={4}>
        Changes by the reviewer{editRatio !== null ? ` · ${Math.round(editRatio * 100)}% of words changed` : ''}
      </Text>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="review-diff">
        {diff.map((part, i) =>
          part.op === 'insert' ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: parts have no identity beyond their position
            <ins key={i} style={{ background: 'var(--mantine-color-green-light)', textDecoration: 'none' }}>
              {part.text}
            </ins>
          ) : part.op === 'delete' ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: parts have no identity beyond their position
            <del key={i} style={{ background: 'var(--mantine-color-red-light)' }}>
              {part.text}
            </del>
          ) : (
            // biome-ignore lint/suspicious/noArrayIndexKey: parts have no identity beyond their position
            <span key={i}>{part.text}</span>
          ),
        )}
      </Text>
    </Paper>
  )
}
