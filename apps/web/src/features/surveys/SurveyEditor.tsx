import { REDESIGN_SURVEY_TEMPLATE, type SurveyDto, type SurveyInput, type SurveyQuestion } from '@allhands/contract'
import { ActionIcon, Button, Group, Modal, Paper, Select, Stack, Switch, TagsInput, Text, Textarea, TextInput } from '@mantine/core'
import { IconPlus, IconTrash } from '@tabler/icons-react'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { queryClient } from '../../lib/queries.ts'
import { MoveButtons } from '../../lib/row-actions.tsx'
import { surveyKeys, surveysApi } from './surveys.api.ts'

const KINDS = [
  { value: 'rating', label: 'Rating 1–5' },
  { value: 'single', label: 'Single choice' },
  { value: 'multiple', label: 'Multiple choice' },
  { value: 'text', label: 'Free text' },
]

/** A key for a new question, unique within the survey (answers refer to it, so existing ones never change). */
function newQuestionId(label: string, taken: string[]): string {
  const base =
    label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 30) || 'q'
  let id = base
  for (let i = 2; taken.includes(id); i++) id = `${base}_${i}`
  return id
}

type Draft = SurveyQuestion & { isNew: boolean; key: string }
let keySeq = 0
const toDraft = (q: SurveyQuestion, isNew = false): Draft => ({ ...q, isNew, key: `k${keySeq++}` })

/** Creates or edits a custom survey: questions (rating, single or multiple choice, free text) with a required flag. */
export function SurveyEditor({ survey, onClose, onSaved }: { survey: SurveyDto | null; onClose: () => void; onSaved: (s: SurveyDto) => void }) {
  const [title, setTitle] = useState(survey?.title ?? '')
  const [intro, setIntro] = useState(survey?.intro ?? '')
  const [publicLink, setPublicLink] = useState(survey?.publicLink ?? false)
  const [questions, setQuestions] = useState<Draft[]>(survey?.questions.map((q) => toDraft(q)) ?? [])
  const answered = (survey?.responseCount ?? 0) > 0

  const update = (key: string, patch: Partial<Draft>) => setQuestions((qs) => qs.map((q) => (q.key === key ? { ...q, ...patch } : q)))
  const move = (index: number, by: number) =>
    setQuestions((qs) => {
      const next = [...qs]
      const [q] = next.splice(index, 1)
      next.splice(index + by, 0, q!)
      return next
    })
  const fromTemplate = () => {
    setTitle(REDESIGN_SURVEY_TEMPLATE.title)
    setIntro(REDESIGN_SURVEY_TEMPLATE.intro)
    setQuestions(REDESIGN_SURVEY_TEMPLATE.questions.map((q) => toDraft(q, true)))
  }
  const save = useMutation({
    mutationFn: () => {
      const taken: string[] = questions.filter((q) => !q.isNew).map((q) => q.id)
      const list: SurveyQuestion[] = questions.map((q) => {
        const id = q.isNew && !q.id ? newQuestionId(q.label, taken) : q.id
        taken.push(id)
        const isChoice = q.kind === 'single' || q.kind === 'multiple'
        return { id, kind: q.kind, label: q.label, required: q.required, ...(isChoice ? { options: q.options ?? [] } : {}) }
      })
      const input: SurveyInput = { title, intro, publicLink, questions: list }
      return survey ? surveysApi.update(survey.id, input) : surveysApi.create(input)
    },
    onSuccess: (s) => {
      void queryClient.invalidateQueries({ queryKey: surveyKeys.all })
      onSaved(s)
    },
  })
  return (
    <Modal opened onClose={onClose} title={survey ? 'Edit survey' : 'New survey'} size="xl">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          save.mutate()
        }}
      >
        <Stack>
          {!survey && (
            <Group justify="space-between">
              <Text size="sm" c="dimmed">
                Start from scratch or from the product feedback template.
              </Text>
              <Button variant="light" size="xs" onClick={fromTemplate}>
                Use the "{REDESIGN_SURVEY_TEMPLATE.title}" template
              </Button>
            </Group>
          )}
          <TextInput label="Title" value={title} onChange={(e) => setTitle(e.currentTarget.value)} required maxLength={200} data-autofocus />
          <Textarea
            label="Introduction"
            description="Shown above the questions and in the invitation email"
            value={intro}
            onChange={(e) => setIntro(e.currentTarget.value)}
            autosize
            minRows={2}
            maxLength={4000}
          />
          <Switch
            label="Anyone with the link may answer (not only invited contacts)"
            checked={publicLink}
            onChange={(e) => setPublicLink(e.currentTarget.checked)}
          />
          {answered && (
            <Text size="sm" c="orange">
              This survey has answers: you may relabel questions and add new ones, but not remove them or change their kind.
            </Text>
          )}
          {questions.map((q, i) => (
            <Paper key={q.key} withBorder p="sm" component="fieldset" aria-label={`Question ${i + 1}`} style={{ margin: 0 }}>
              <Stack gap="xs">
                <Group align="end" wrap="nowrap">
                  <TextInput
                    label={`Question ${i + 1}`}
                    value={q.label}
                    onChange={(e) => update(q.key, { label: e.currentTarget.value })}
                    required
                    maxLength={300}
                    style={{ flex: 1 }}
                  />
                  <Select
                    label="Kind"
                    data={KINDS}
                    value={q.kind}
                    onChange={(v) => v && update(q.key, { kind: v as SurveyQuestion['kind'] })}
                    allowDeselect={false}
                    disabled={answered && !q.isNew}
                    w={170}
                  />
                </Group>
                {(q.kind === 'single' || q.kind === 'multiple') && (
                  <TagsInput
                    label="Options"
                    description="Press Enter after each option (at least two)"
                    value={q.options ?? []}
                    onChange={(options) => update(q.key, { options })}
                    maxTags={20}
                  />
                )}
                <Group justify="space-between">
                  <Switch label="Required" checked={q.required} onChange={(e) => update(q.key, { required: e.currentTarget.checked })} />
                  <Group gap={4}>
                    <MoveButtons name={`question ${i + 1}`} index={i} count={questions.length} onMove={(by) => move(i, by)} />
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={`Remove question ${i + 1}`}
                      disabled={answered && !q.isNew}
                      onClick={() => setQuestions((qs) => qs.filter((x) => x.key !== q.key))}
                    >
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Group>
                </Group>
              </Stack>
            </Paper>
          ))}
          <Button
            variant="default"
            leftSection={<IconPlus size={14} aria-hidden />}
            w="fit-content"
            onClick={() => setQuestions((qs) => [...qs, toDraft({ id: '', kind: 'rating', label: '', required: false }, true)])}
          >
            Add a question
          </Button>
          <Group justify="end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!title.trim() || !questions.length}>
              {survey ? 'Save' : 'Create survey'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
