import { Badge, Button, Group, Loader, Modal, NumberInput, SegmentedControl, Select, Stack, Text, Textarea, UnstyledButton } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { useCurrentUser, useTeams, useUsers } from '../../lib/queries.ts'
import { consultKeys, consultsApi, refreshConsults, useConsultSettings } from './consults.api.ts'

/** Ask a team or a person about this ticket; suggests people who answered similar questions. */
export function AskExpertDialog({ ticket, onClose }: { ticket: { id: number; subject: string }; onClose: () => void }) {
  const me = useCurrentUser()
  const teams = useTeams()
  const users = useUsers()
  const settings = useConsultSettings()
  const [target, setTarget] = useState<'team' | 'person'>('team')
  const [teamId, setTeamId] = useState<string | null>(null)
  const [userId, setUserId] = useState<string | null>(null)
  const [question, setQuestion] = useState('')
  const [due, setDue] = useState<number | string>('')
  useEffect(() => {
    if (settings.data && due === '') setDue(settings.data.defaultDueHours)
  }, [settings.data, due])
  const suggestions = useQuery({ queryKey: consultKeys.experts(ticket.subject), queryFn: () => consultsApi.experts(ticket.subject, 5) })
  const ask = useMutation({
    mutationFn: () =>
      consultsApi.ask(ticket.id, {
        ...(target === 'team' ? { teamId: Number(teamId) } : { userId: Number(userId) }),
        question: question.trim(),
        ...(typeof due === 'number' ? { dueInHours: due } : {}),
      }),
    onSuccess: (c) => {
      void refreshConsults()
      notifications.show({
        color: 'green',
        message: c.assignee ? `Asked ${c.assignee.name}${c.team ? ` (on call for ${c.team.name})` : ''}` : `Asked ${c.team?.name ?? 'the team'}`,
      })
      onClose()
    },
  })
  const people = (users.data ?? []).filter((u) => u.isActive && u.id !== me.id)
  const ready = question.trim().length > 0 && (target === 'team' ? !!teamId : !!userId)
  const experts = (suggestions.data?.items ?? []).filter((e) => e.user.id !== me.id)
  return (
    <Modal opened onClose={onClose} title="Ask an expert" size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (ready) ask.mutate()
        }}
      >
        <Stack>
          <Text size="sm" c="dimmed">
            An internal side thread about #{ticket.id}. The people you ask see your question and their answers, never the customer conversation unless they
            already can.
          </Text>
          <SegmentedControl
            aria-label="Ask a team or a person"
            value={target}
            onChange={(v) => setTarget(v as 'team' | 'person')}
            data={[
              { value: 'team', label: 'A team' },
              { value: 'person', label: 'A person' },
            ]}
          />
          {target === 'team' ? (
            <Select
              label="Team"
              description="Goes to the team's on-call person when it has a rotation, otherwise to every member"
              placeholder="Engineering, Billing, IT, Legal…"
              data={(teams.data ?? []).map((t) => ({ value: String(t.id), label: t.name }))}
              value={teamId}
              onChange={setTeamId}
              searchable
              required
              data-autofocus
            />
          ) : (
            <Select
              label="Person"
              placeholder="Search people"
              data={people.map((u) => ({ value: String(u.id), label: u.name }))}
              value={userId}
              onChange={setUserId}
              searchable
              required
              data-autofocus
            />
          )}
          <section aria-label="Suggested experts">
            <Text size="xs" fw={600} c="dimmed" mb={4}>
              Who knows this? (from past consults)
            </Text>
            {suggestions.isPending ? (
              <Loader size="xs" aria-label="Finding experts" />
            ) : experts.length === 0 ? (
              <Text size="xs" c="dimmed">
                Nobody has answered a similar question yet.
              </Text>
            ) : (
              <Group gap={6}>
                {experts.map((e) => (
                  <UnstyledButton
                    key={e.user.id}
                    onClick={() => {
                      setTarget('person')
                      setUserId(String(e.user.id))
                    }}
                    aria-label={`Ask ${e.user.name}, ${e.matchedCount} similar answered`}
                  >
                    <Badge
                      variant={userId === String(e.user.id) && target === 'person' ? 'filled' : 'light'}
                      style={{ cursor: 'pointer', textTransform: 'none' }}
                    >
                      {e.user.name}
                      {e.teams.length ? ` · ${e.teams.map((t) => t.name).join(', ')}` : ''} · {e.matchedCount}
                    </Badge>
                  </UnstyledButton>
                ))}
              </Group>
            )}
          </section>
          <Textarea
            label="Question"
            required
            autosize
            minRows={3}
            maxRows={10}
            maxLength={5000}
            value={question}
            onChange={(e) => setQuestion(e.currentTarget.value)}
            placeholder="What do you need to know to answer the customer?"
          />
          <NumberInput label="Answer needed within (hours)" min={1} max={720} value={due} onChange={setDue} w={220} allowDecimal={false} />
          <Group justify="end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={!ready} loading={ask.isPending}>
              Ask
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
