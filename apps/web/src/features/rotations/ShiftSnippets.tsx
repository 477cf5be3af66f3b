import { Button, Group, Text } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { insertIntoComposer } from '../tickets/composer-bus.ts'
import { rotationKeys, rotationsApi } from './rotations.api.ts'

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
/** Snippet bodies are plain text: each paragraph becomes one <p>. */
export const snippetHtml = (body: string) =>
  body
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('')

/** The snippet set of the signed-in person's current shift (all-hands windows), one click into the reply. */
export function ShiftSnippets() {
  const current = useQuery({ queryKey: rotationKeys.current, queryFn: rotationsApi.current, staleTime: 60_000, meta: { silent: true } })
  const shift = current.data?.shift
  if (!shift || shift.snippets.length === 0) return null
  return (
    <Group gap={6} mt="xs" role="group" aria-label={`Snippets for ${shift.rotationName ?? 'this shift'}`}>
      <Text size="xs" c="dimmed">
        Snippets:
      </Text>
      {shift.snippets.map((s) => (
        <Button key={s.title} size="compact-xs" variant="light" title={s.body.slice(0, 200)} onClick={() => insertIntoComposer(snippetHtml(s.body), 'reply')}>
          {s.title}
        </Button>
      ))}
    </Group>
  )
}
