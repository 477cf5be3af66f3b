import type { ToneHintDto } from '@allhands/contract'
import { ActionIcon, Group, Stack, Text, Tooltip } from '@mantine/core'
import { IconAlertTriangle, IconBulb, IconX } from '@tabler/icons-react'
import { useEffect, useRef, useState } from 'react'
import { onDraftChange } from '../tickets/composer-bus.ts'
import { toneApi } from './tone.api.ts'

const DEBOUNCE_MS = 600
const hintKey = (h: ToneHintDto) => `${h.rule}|${h.excerpt ?? ''}`

/**
 * Tone coach hints under the reply editor: the draft is checked ~600 ms after typing stops. Hints never
 * block sending; each can be dismissed (for this ticket, until the page is left).
 */
export function ToneHints({ ticketId }: { ticketId: number }) {
  const [hints, setHints] = useState<ToneHintDto[]>([])
  const [dismissed, setDismissed] = useState<Set<string>>(() => new Set())
  const latest = useRef(0)

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null
    const off = onDraftChange((draft) => {
      if (draft.ticketId !== ticketId) return
      if (timer) clearTimeout(timer)
      const seq = ++latest.current
      if (draft.mode !== 'reply' || !draft.text.trim()) {
        setHints([])
        return
      }
      timer = setTimeout(() => {
        toneApi
          .check({ html: draft.html, ticketId })
          .then((r) => {
            if (seq === latest.current) setHints(r.hints)
          })
          // The coach is advisory: if a check fails, the last hints simply stay until the next one.
          .catch(() => undefined)
      }, DEBOUNCE_MS)
    })
    return () => {
      off()
      if (timer) clearTimeout(timer)
    }
  }, [ticketId])

  const visible = hints.filter((h) => !dismissed.has(hintKey(h)))
  return (
    <div role="status" aria-live="polite" aria-label="Tone coach">
      {visible.length > 0 && (
        <Stack gap={4} mt="xs" data-testid="tone-hints">
          {visible.map((h) => (
            <Group key={hintKey(h)} gap="xs" wrap="nowrap" align="start">
              {h.severity === 'warning' ? (
                <IconAlertTriangle size={14} color="var(--mantine-color-orange-6)" aria-label="Warning" style={{ flexShrink: 0, marginTop: 3 }} />
              ) : (
                <IconBulb size={14} color="var(--mantine-color-blue-6)" aria-label="Tip" style={{ flexShrink: 0, marginTop: 3 }} />
              )}
              <Text size="xs" style={{ flex: 1 }}>
                {h.message}
                {h.excerpt && h.rule === 'unanswered_questions' && <Text span size="xs" fs="italic">{` “${h.excerpt}”`}</Text>}
                {h.suggestion && <Text span size="xs" c="dimmed">{` Try: ${h.suggestion}`}</Text>}
              </Text>
              <Tooltip label="Dismiss">
                <ActionIcon
                  size="xs"
                  variant="subtle"
                  color="gray"
                  aria-label={`Dismiss hint: ${h.message}`}
                  onClick={() => setDismissed((d) => new Set(d).add(hintKey(h)))}
                >
                  <IconX size={12} aria-hidden />
                </ActionIcon>
              </Tooltip>
            </Group>
          ))}
        </Stack>
      )}
    </div>
  )
}
