import type { SurveyDto } from '@allhands/contract'
import { Alert, Anchor, Badge, Button, CopyButton, Grid, Group, Loader, Modal, NavLink, Paper, Stack, Text, Title } from '@mantine/core'
import { IconDownload, IconPlus, IconSend } from '@tabler/icons-react'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { isAdmin, queryClient, useCurrentUser } from '../../lib/queries.ts'
import { SendSurveyDialog } from './SendSurveyDialog.tsx'
import { SurveyEditor } from './SurveyEditor.tsx'
import { SurveyResults } from './SurveyResults.tsx'
import { csvExportUrl, surveyKeys, surveysApi } from './surveys.api.ts'

const STATUS_COLOR: Record<SurveyDto['status'], string> = { draft: 'gray', open: 'green', closed: 'dark' }

function SurveyHeader({
  survey,
  admin,
  onEdit,
  onSend,
  onDeleted,
}: {
  survey: SurveyDto
  admin: boolean
  onEdit: () => void
  onSend: () => void
  onDeleted: () => void
}) {
  const setStatus = useMutation({
    mutationFn: (status: SurveyDto['status']) => surveysApi.update(survey.id, { status }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: surveyKeys.all }),
  })
  const [confirming, setConfirming] = useState(false)
  const remove = useMutation({
    mutationFn: () => surveysApi.remove(survey.id),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: surveyKeys.all })
      onDeleted()
    },
  })
  return (
    <Stack gap="xs">
      <Group justify="space-between" align="start">
        <div>
          <Title order={2} size="h4">
            {survey.title}
          </Title>
          {survey.intro && (
            <Text size="sm" c="dimmed" maw={640}>
              {survey.intro}
            </Text>
          )}
        </div>
        <Badge color={STATUS_COLOR[survey.status]}>{survey.status}</Badge>
      </Group>
      {survey.publicLink && survey.status === 'open' && (
        <Group gap="xs">
          <Text size="sm">Public link:</Text>
          <Anchor href={survey.url} target="_blank" size="sm">
            {survey.url}
          </Anchor>
          <CopyButton value={survey.url}>
            {({ copied, copy }) => (
              <Button size="compact-xs" variant="subtle" onClick={copy}>
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
        </Group>
      )}
      <Group gap="xs">
        {admin && (
          <>
            <Button size="xs" variant="default" onClick={onEdit}>
              Edit
            </Button>
            {survey.status !== 'open' ? (
              <Button size="xs" variant="light" color="green" onClick={() => setStatus.mutate('open')} loading={setStatus.isPending}>
                Open for answers
              </Button>
            ) : (
              <Button size="xs" variant="light" color="gray" onClick={() => setStatus.mutate('closed')} loading={setStatus.isPending}>
                Close
              </Button>
            )}
            <Button size="xs" leftSection={<IconSend size={14} aria-hidden />} onClick={onSend} disabled={survey.status !== 'open'}>
              Send to contacts
            </Button>
          </>
        )}
        <Button size="xs" variant="default" component="a" href={csvExportUrl(survey.id)} leftSection={<IconDownload size={14} aria-hidden />} download>
          Export CSV
        </Button>
        {admin && survey.responseCount === 0 && (
          <Button size="xs" variant="subtle" color="red" loading={remove.isPending} onClick={() => setConfirming(true)}>
            Delete
          </Button>
        )}
      </Group>
      <Modal opened={confirming} onClose={() => setConfirming(false)} title="Delete this survey?">
        <Text size="sm">Nobody answered it yet. Invitations already sent stop working.</Text>
        <Group justify="end" mt="md">
          <Button variant="default" onClick={() => setConfirming(false)}>
            Cancel
          </Button>
          <Button color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
            Delete
          </Button>
        </Group>
      </Modal>
      <Text size="xs" c="dimmed">
        {survey.invitationCount} invited · {survey.responseCount} responses
      </Text>
    </Stack>
  )
}

/** Custom surveys: the list, one survey's results, and (for admins) creating, editing and sending. */
export function CustomSurveysTab({ surveyId, onSelect }: { surveyId: number | null; onSelect: (id: number | null) => void }) {
  const user = useCurrentUser()
  const admin = isAdmin(user.role)
  const list = useQuery({ queryKey: surveyKeys.list, queryFn: surveysApi.list })
  const [editing, setEditing] = useState<SurveyDto | 'new' | null>(null)
  const [sending, setSending] = useState<SurveyDto | null>(null)
  const surveys = list.data?.items ?? []
  const selected = surveys.find((s) => s.id === surveyId) ?? surveys[0] ?? null
  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Stack gap="xs">
          {admin && (
            <Button leftSection={<IconPlus size={14} aria-hidden />} onClick={() => setEditing('new')} w="fit-content">
              New survey
            </Button>
          )}
          {list.isPending ? (
            <Loader size="sm" aria-label="Loading surveys" />
          ) : surveys.length === 0 ? (
            <Text size="sm" c="dimmed">
              No surveys yet.{admin ? ' Create one, or start from the product feedback template.' : ''}
            </Text>
          ) : (
            <Paper withBorder component="nav" aria-label="Surveys">
              {surveys.map((s) => (
                <NavLink
                  key={s.id}
                  active={s.id === selected?.id}
                  label={s.title}
                  description={`${s.responseCount} responses · ${s.status}`}
                  onClick={() => onSelect(s.id)}
                  aria-current={s.id === selected?.id ? 'page' : undefined}
                />
              ))}
            </Paper>
          )}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 8 }}>
        {selected ? (
          <Stack>
            <SurveyHeader
              survey={selected}
              admin={admin}
              onEdit={() => setEditing(selected)}
              onSend={() => setSending(selected)}
              onDeleted={() => onSelect(null)}
            />
            <SurveyResults surveyId={selected.id} />
          </Stack>
        ) : (
          !list.isPending && (
            <Alert color="gray" title="Ask your customers">
              Surveys collect ratings, choices and written feedback from a segment of your contacts or from anyone with the link. Results feed the
              voice-of-customer board.
            </Alert>
          )
        )}
      </Grid.Col>
      {editing && (
        <SurveyEditor
          survey={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(s) => {
            setEditing(null)
            onSelect(s.id)
          }}
        />
      )}
      {sending && <SendSurveyDialog survey={sending} onClose={() => setSending(null)} />}
    </Grid>
  )
}
