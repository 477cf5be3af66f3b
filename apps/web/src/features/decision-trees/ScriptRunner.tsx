import type { DecisionTreeAnswerInput, DecisionTreeRunDto } from '@allhands/contract'
import { Alert, Anchor, Badge, Button, Group, List, Paper, Stack, Text, TextInput, Title, TypographyStylesProvider } from '@mantine/core'
import { useMutation } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import { OUTCOME_LABEL, treesApi } from './decision-trees.api.ts'

/**
 * Steps through one run: the current step's text, its choices or field, and on an ending whether it solved the
 * problem. Used by the editor's test pane and by the script panel on a ticket. Texts are sanitized by the server.
 */
export function ScriptRunner({ run, onChange }: { run: DecisionTreeRunDto; onChange: (run: DecisionTreeRunDto) => void }) {
  const [value, setValue] = useState('')
  const heading = useRef<HTMLHeadingElement>(null)
  const answer = useMutation({
    mutationFn: (input: DecisionTreeAnswerInput) => treesApi.answer(run.id, input),
    onSuccess: (next) => {
      setValue('')
      onChange(next)
    },
  })
  const step = run.step
  // The new step's heading takes focus, so keyboard and screen-reader users follow along.
  useEffect(() => {
    if (step) heading.current?.focus()
  }, [step?.nodeId, step])

  if (!step)
    return (
      <Stack gap="xs">
        <Group gap="xs">
          <Text fw={600}>Finished</Text>
          {run.outcome && <Badge color={run.outcome === 'resolved' ? 'green' : 'orange'}>{OUTCOME_LABEL[run.outcome]}</Badge>}
        </Group>
        {run.noteMessageId && <Text size="sm">The answers were added to the ticket as an internal note.</Text>}
        <RunPath run={run} />
      </Stack>
    )
  const busy = answer.isPending
  return (
    <Stack gap="sm" aria-busy={busy}>
      <Title order={3} size="h5" ref={heading} tabIndex={-1}>
        {step.title}
      </Title>
      {step.html && (
        <TypographyStylesProvider>
          {/* biome-ignore lint/security/noDangerouslySetInnerHtml: node texts are sanitized on the server and variables escaped */}
          <div dangerouslySetInnerHTML={{ __html: step.html }} />
        </TypographyStylesProvider>
      )}
      {step.type === 'question' && (
        <Stack gap={6} role="group" aria-label={step.title} maw={420}>
          {step.choices.map((c) => (
            <Button key={c.index} variant="light" justify="start" loading={busy} onClick={() => answer.mutate({ choice: c.index })}>
              {c.label}
            </Button>
          ))}
        </Stack>
      )}
      {step.type === 'info' && (
        <Group>
          <Button loading={busy} onClick={() => answer.mutate({})}>
            Continue
          </Button>
        </Group>
      )}
      {step.type === 'input' && step.input && (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            answer.mutate({ value })
          }}
        >
          <Group align="end">
            <TextInput
              label="Answer"
              type={step.input.kind === 'email' ? 'email' : 'text'}
              value={value}
              onChange={(e) => setValue(e.currentTarget.value)}
              required
              style={{ flex: 1, maxWidth: 360 }}
            />
            <Button type="submit" loading={busy}>
              Continue
            </Button>
          </Group>
        </form>
      )}
      {step.terminal && (
        <>
          {step.action?.kind === 'link_article' && step.action.articleUrl && (
            <Anchor href={step.action.articleUrl} target="_blank" rel="noopener">
              {step.action.articleTitle || 'Open the article'}
            </Anchor>
          )}
          <Group>
            {step.action?.kind === 'resolved' ? (
              <Button loading={busy} onClick={() => answer.mutate({ resolved: true })}>
                Done
              </Button>
            ) : step.action?.kind === 'open_ticket' ? (
              <Button loading={busy} onClick={() => answer.mutate({ resolved: false })}>
                Finish: needs follow-up
              </Button>
            ) : (
              <>
                <Button color="green" loading={busy} onClick={() => answer.mutate({ resolved: true })}>
                  Resolved
                </Button>
                <Button variant="default" loading={busy} onClick={() => answer.mutate({ resolved: false })}>
                  Not resolved
                </Button>
              </>
            )}
          </Group>
        </>
      )}
      {answer.error && <Alert color="red">{answer.error.message}</Alert>}
      {run.path.length > 0 && <RunPath run={run} />}
    </Stack>
  )
}

/** The steps taken so far with their answers. */
export function RunPath({ run }: { run: DecisionTreeRunDto }) {
  if (!run.path.length) return null
  return (
    <Paper withBorder p="xs">
      <Text size="xs" c="dimmed" mb={4}>
        Path taken
      </Text>
      <List size="sm" type="ordered">
        {run.path.map((p, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a node may be passed twice (across jumps); the step number is the identity
          <List.Item key={`${p.nodeId}-${i}`}>
            {p.title}
            {p.answer ? ` — ${p.answer}` : ''}
          </List.Item>
        ))}
      </List>
    </Paper>
  )
}
