import type { QuizInput } from '@allhands/contract'
import { ActionIcon, Button, Card, Checkbox, Group, NumberInput, Radio, SegmentedControl, Stack, Text, TextInput } from '@mantine/core'
import { IconPlus, IconTrash } from '@tabler/icons-react'

type Question = QuizInput['questions'][number]

const nextId = (prefix: string, ids: string[]) => {
  let n = ids.length + 1
  while (ids.includes(`${prefix}${n}`)) n++
  return `${prefix}${n}`
}

export const emptyQuiz = (): QuizInput => ({
  passMark: 80,
  questions: [
    {
      id: 'q1',
      prompt: '',
      kind: 'single',
      options: [
        { id: 'a1', text: '' },
        { id: 'a2', text: '' },
      ],
      correctOptionIds: [],
    },
  ],
})

/** Authors write questions, options and the correct answers (which never reach learners before they pass). */
export function QuizEditor({ value, onChange }: { value: QuizInput; onChange: (q: QuizInput) => void }) {
  const setQuestion = (i: number, q: Question) => onChange({ ...value, questions: value.questions.map((x, j) => (j === i ? q : x)) })
  return (
    <Stack>
      <NumberInput
        label="Pass mark (%)"
        min={1}
        max={100}
        allowDecimal={false}
        value={value.passMark}
        onChange={(v) => onChange({ ...value, passMark: typeof v === 'number' ? v : 80 })}
        w={160}
      />
      {value.questions.map((q, i) => (
        <Card key={q.id} withBorder component="fieldset" aria-label={`Question ${i + 1}`}>
          <Stack gap="xs">
            <Group align="end" wrap="nowrap">
              <TextInput
                label={`Question ${i + 1}`}
                required
                value={q.prompt}
                onChange={(e) => setQuestion(i, { ...q, prompt: e.currentTarget.value })}
                style={{ flex: 1 }}
              />
              <SegmentedControl
                aria-label={`Question ${i + 1} kind`}
                value={q.kind}
                onChange={(k) =>
                  setQuestion(i, { ...q, kind: k as Question['kind'], correctOptionIds: k === 'single' ? q.correctOptionIds.slice(0, 1) : q.correctOptionIds })
                }
                data={[
                  { value: 'single', label: 'One answer' },
                  { value: 'multiple', label: 'Several' },
                ]}
              />
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={`Remove question ${i + 1}`}
                disabled={value.questions.length === 1}
                onClick={() => onChange({ ...value, questions: value.questions.filter((_, j) => j !== i) })}
              >
                <IconTrash size={16} aria-hidden />
              </ActionIcon>
            </Group>
            <Text size="xs" c="dimmed">
              Tick the correct {q.kind === 'single' ? 'answer' : 'answers'}.
            </Text>
            {q.options.map((o, k) => (
              <Group key={o.id} wrap="nowrap">
                {q.kind === 'single' ? (
                  <Radio
                    aria-label={`Question ${i + 1}, option ${k + 1} is correct`}
                    checked={q.correctOptionIds.includes(o.id)}
                    onChange={() => setQuestion(i, { ...q, correctOptionIds: [o.id] })}
                  />
                ) : (
                  <Checkbox
                    aria-label={`Question ${i + 1}, option ${k + 1} is correct`}
                    checked={q.correctOptionIds.includes(o.id)}
                    onChange={(e) =>
                      setQuestion(i, {
                        ...q,
                        correctOptionIds: e.currentTarget.checked ? [...q.correctOptionIds, o.id] : q.correctOptionIds.filter((x) => x !== o.id),
                      })
                    }
                  />
                )}
                <TextInput
                  aria-label={`Question ${i + 1}, option ${k + 1}`}
                  required
                  value={o.text}
                  onChange={(e) => setQuestion(i, { ...q, options: q.options.map((x) => (x.id === o.id ? { ...x, text: e.currentTarget.value } : x)) })}
                  style={{ flex: 1 }}
                />
                <ActionIcon
                  variant="subtle"
                  aria-label={`Remove option ${k + 1} of question ${i + 1}`}
                  disabled={q.options.length <= 2}
                  onClick={() =>
                    setQuestion(i, { ...q, options: q.options.filter((x) => x.id !== o.id), correctOptionIds: q.correctOptionIds.filter((x) => x !== o.id) })
                  }
                >
                  <IconTrash size={14} aria-hidden />
                </ActionIcon>
              </Group>
            ))}
            <Button
              size="xs"
              variant="subtle"
              w="fit-content"
              leftSection={<IconPlus size={14} aria-hidden />}
              disabled={q.options.length >= 10}
              onClick={() =>
                setQuestion(i, {
                  ...q,
                  options: [
                    ...q.options,
                    {
                      id: nextId(
                        'a',
                        q.options.map((x) => x.id),
                      ),
                      text: '',
                    },
                  ],
                })
              }
            >
              Add option
            </Button>
          </Stack>
        </Card>
      ))}
      <Button
        variant="light"
        w="fit-content"
        leftSection={<IconPlus size={16} aria-hidden />}
        onClick={() =>
          onChange({
            ...value,
            questions: [
              ...value.questions,
              {
                id: nextId(
                  'q',
                  value.questions.map((q) => q.id),
                ),
                prompt: '',
                kind: 'single',
                options: [
                  { id: 'a1', text: '' },
                  { id: 'a2', text: '' },
                ],
                correctOptionIds: [],
              },
            ],
          })
        }
      >
        Add question
      </Button>
    </Stack>
  )
}

/** Why the quiz cannot be saved yet, or null. */
export function quizProblem(q: QuizInput): string | null {
  for (const [i, x] of q.questions.entries()) {
    if (!x.prompt.trim()) return `Question ${i + 1} needs a text`
    if (x.options.some((o) => !o.text.trim())) return `Question ${i + 1} has an empty option`
    if (!x.correctOptionIds.length) return `Tick the correct answer of question ${i + 1}`
  }
  return null
}
