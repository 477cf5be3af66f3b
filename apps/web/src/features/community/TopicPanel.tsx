import type { CommunityPostDto, CommunityTopicDto } from '@allhands/contract'
import { Alert, Anchor, Badge, Button, Card, Group, Loader, Modal, NumberInput, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { RouterAnchor } from '../../lib/links.tsx'
import { queryClient, showError } from '../../lib/queries.ts'
import { vocApi } from '../voc/voc.api.ts'
import { communityApi, communityKeys, HELD_REASONS } from './community.api.ts'
import { PostFrame } from './PostFrame.tsx'

type Dialog = 'merge' | 'ban' | 'voc' | null

const STATUS_LABELS: Record<string, string> = { hidden: 'Hidden', deleted: 'Deleted by the author' }

/** One topic for the support team: its posts (held and hidden too) and every staff action, each a button. */
export function TopicPanel({ topicId }: { topicId: number }) {
  const topic = useQuery({ queryKey: communityKeys.topic(topicId), queryFn: () => communityApi.topic(topicId) })
  const categories = useQuery({ queryKey: communityKeys.categories, queryFn: communityApi.categories })
  const [dialog, setDialog] = useState<Dialog>(null)
  const [editing, setEditing] = useState<CommunityPostDto | null>(null)
  const [answer, setAnswer] = useState('')
  const done = (message: string) => (t: CommunityTopicDto) => {
    queryClient.setQueryData(communityKeys.topic(t.id), t)
    void queryClient.invalidateQueries({ queryKey: communityKeys.all })
    notifications.show({ color: 'green', message })
    setDialog(null)
    setEditing(null)
  }
  const act = useMutation({ mutationFn: (run: () => Promise<CommunityTopicDto>) => run(), onError: showError })
  const run = (message: string, fn: () => Promise<CommunityTopicDto>) => act.mutate(fn, { onSuccess: done(message) })
  const reply = useMutation({
    mutationFn: () => communityApi.answer(topicId, answer),
    onSuccess: () => {
      setAnswer('')
      void queryClient.invalidateQueries({ queryKey: communityKeys.all })
      notifications.show({ color: 'green', message: 'Answer posted with the staff badge' })
    },
    onError: showError,
  })

  if (topic.isPending) return <Loader aria-label="Loading the topic" />
  if (topic.error) return <Alert color="red">{topic.error.message}</Alert>
  const t = topic.data
  const asker = t.author?.kind === 'member' ? t.author : null
  const busy = act.isPending
  return (
    <Stack gap="sm" aria-label={`Topic ${t.title}`} component="section">
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={3}>{t.title}</Title>
          <Group gap="xs">
            {t.status !== 'visible' && <Badge color={t.status === 'held' ? 'orange' : 'gray'}>{t.status === 'held' ? 'Held' : STATUS_LABELS[t.status]}</Badge>}
            {t.isLocked && <Badge variant="outline">Locked</Badge>}
            {t.isPinned && <Badge variant="outline">Pinned</Badge>}
            {t.acceptedPostId && <Badge color="green">Answered</Badge>}
            <Anchor href={t.url} target="_blank" rel="noopener" size="sm">
              Open public page
            </Anchor>
          </Group>
        </Stack>
      </Group>
      <Group gap="xs" wrap="wrap">
        <Button
          size="xs"
          variant="default"
          loading={busy}
          onClick={() => run(t.isLocked ? 'Unlocked' : 'Locked', () => communityApi.updateTopic(t.id, { isLocked: !t.isLocked }))}
        >
          {t.isLocked ? 'Unlock' : 'Lock'}
        </Button>
        <Button
          size="xs"
          variant="default"
          loading={busy}
          onClick={() => run(t.isPinned ? 'Unpinned' : 'Pinned', () => communityApi.updateTopic(t.id, { isPinned: !t.isPinned }))}
        >
          {t.isPinned ? 'Unpin' : 'Pin'}
        </Button>
        <Button
          size="xs"
          variant="default"
          color={t.status === 'hidden' ? undefined : 'red'}
          loading={busy}
          onClick={() =>
            run(t.status === 'hidden' ? 'Topic shown again' : 'Topic hidden', () =>
              communityApi.updateTopic(t.id, { status: t.status === 'hidden' ? 'visible' : 'hidden' }),
            )
          }
        >
          {t.status === 'hidden' ? 'Show topic' : 'Hide topic'}
        </Button>
        <Button size="xs" variant="default" onClick={() => setDialog('merge')}>
          Merge…
        </Button>
        {asker && (
          <Button size="xs" variant="default" color="red" onClick={() => setDialog('ban')}>
            Ban {asker.name}…
          </Button>
        )}
        <Button
          size="xs"
          variant="default"
          onClick={() => run(t.following ? 'Unfollowed' : 'Following: new answers notify you', () => communityApi.follow(t.id, !t.following))}
        >
          {t.following ? 'Unfollow' : 'Follow'}
        </Button>
      </Group>
      <Select
        label="Category"
        w={260}
        data={(categories.data?.items ?? []).map((c) => ({ value: String(c.id), label: c.name }))}
        value={String(t.categoryId)}
        allowDeselect={false}
        onChange={(v) => v && Number(v) !== t.categoryId && run('Moved to another category', () => communityApi.updateTopic(t.id, { categoryId: Number(v) }))}
      />
      <Card withBorder>
        <Text fw={600} size="sm" mb={4}>
          Bridges
        </Text>
        <Group gap="xs">
          {t.ticketId ? (
            <RouterAnchor to="/tickets/$ticketId" params={{ ticketId: String(t.ticketId) }}>
              Ticket #{t.ticketId}
            </RouterAnchor>
          ) : (
            <Button
              size="xs"
              loading={busy}
              disabled={!asker}
              onClick={() => run('Ticket created; the asker is its requester', () => communityApi.toTicket(t.id))}
            >
              Turn into ticket
            </Button>
          )}
          {t.kbArticleId ? (
            <RouterAnchor to="/kb/articles/$articleId" params={{ articleId: String(t.kbArticleId) }}>
              KB draft #{t.kbArticleId}
            </RouterAnchor>
          ) : (
            <Button
              size="xs"
              loading={busy}
              disabled={!t.acceptedPostId}
              onClick={() => run('Knowledge-base draft created', () => communityApi.toKbDraft(t.id))}
            >
              Make KB draft
            </Button>
          )}
          {t.vocItemId ? (
            <RouterAnchor to="/voc/$itemId" params={{ itemId: String(t.vocItemId) }}>
              Voice-of-customer item #{t.vocItemId}
            </RouterAnchor>
          ) : (
            <Button size="xs" variant="default" onClick={() => setDialog('voc')}>
              Link to VoC item…
            </Button>
          )}
        </Group>
        {!t.acceptedPostId && !t.kbArticleId && (
          <Text size="xs" c="dimmed" mt={4}>
            A KB draft is made from the accepted answer: accept one first.
          </Text>
        )}
      </Card>
      <Stack gap="xs">
        {t.posts.map((p) => (
          <Card key={p.id} withBorder component="article" aria-label={`${p.kind === 'question' ? 'Question' : 'Answer'} ${p.id}`}>
            <Group justify="space-between" mb={4}>
              <Group gap="xs">
                <Text size="sm" fw={600}>
                  {p.author?.name ?? 'Former member'}
                </Text>
                {p.author?.kind === 'staff' && <Badge size="xs">Staff</Badge>}
                {p.author?.kind === 'member' && <Text size="xs" c="dimmed">{`${p.author.reputation ?? 0} reputation`}</Text>}
                {p.isAccepted && (
                  <Badge size="xs" color="green">
                    Accepted
                  </Badge>
                )}
                {p.status !== 'visible' && (
                  <Badge size="xs" color={p.status === 'held' ? 'orange' : 'gray'}>
                    {p.status === 'held' ? (HELD_REASONS[p.heldReason ?? ''] ?? 'Held') : STATUS_LABELS[p.status]}
                  </Badge>
                )}
              </Group>
              <Text size="xs" c="dimmed">
                {p.score} votes · {new Date(p.createdAt).toLocaleString()}
                {p.editedAt ? ` · edited ${new Date(p.editedAt).toLocaleString()}` : ''}
              </Text>
            </Group>
            <PostFrame html={p.bodyHtml} title={`${p.kind} ${p.id}`} />
            <Group gap="xs" mt="xs">
              {p.status !== 'visible' && (
                <Button
                  size="xs"
                  variant="light"
                  loading={busy}
                  onClick={() => run(p.status === 'held' ? 'Post approved' : 'Post shown again', () => communityApi.approve(p.id))}
                >
                  {p.status === 'held' ? 'Approve' : 'Show again'}
                </Button>
              )}
              {p.status !== 'hidden' && (
                <Button size="xs" variant="light" color="red" loading={busy} onClick={() => run('Post hidden', () => communityApi.reject(p.id))}>
                  Hide
                </Button>
              )}
              <Button size="xs" variant="light" aria-label={`Edit ${p.kind} ${p.id}`} onClick={() => setEditing(p)}>
                Edit
              </Button>
              {p.kind === 'answer' && p.status === 'visible' && !p.isAccepted && (
                <Button size="xs" variant="light" color="green" loading={busy} onClick={() => run('Answer accepted', () => communityApi.accept(p.id))}>
                  Accept
                </Button>
              )}
            </Group>
          </Card>
        ))}
      </Stack>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (answer.trim()) reply.mutate()
        }}
      >
        <Stack gap="xs">
          <Textarea
            label="Answer as staff"
            description={t.isLocked ? 'The topic is locked: unlock it to answer.' : 'Shown with the staff badge; followers are told.'}
            value={answer}
            onChange={(e) => setAnswer(e.currentTarget.value)}
            autosize
            minRows={3}
            disabled={t.isLocked}
          />
          <Button type="submit" size="xs" w="fit-content" loading={reply.isPending} disabled={t.isLocked || !answer.trim()}>
            Post answer
          </Button>
        </Stack>
      </form>
      {editing && (
        <EditDialog
          key={editing.id}
          post={editing}
          title={t.title}
          loading={busy}
          onClose={() => setEditing(null)}
          onSave={(input) => run('Post edited (audited)', () => communityApi.editPost(editing.id, input))}
        />
      )}
      <MergeDialog
        opened={dialog === 'merge'}
        onClose={() => setDialog(null)}
        loading={busy}
        onMerge={(into) => run('Topics merged', () => communityApi.merge(t.id, into))}
      />
      {asker && (
        <BanDialog
          opened={dialog === 'ban'}
          name={asker.name}
          onClose={() => setDialog(null)}
          onBan={(reason) =>
            communityApi.ban(asker.id, reason).then(() => {
              notifications.show({ color: 'green', message: `${asker.name} is banned` })
              setDialog(null)
            }, showError)
          }
        />
      )}
      <VocDialog
        opened={dialog === 'voc'}
        onClose={() => setDialog(null)}
        loading={busy}
        onLink={(itemId) => run('Linked to the voice-of-customer item', () => communityApi.linkVoc(t.id, itemId))}
      />
    </Stack>
  )
}

/** Staff edit any post: its sanitized HTML (and the title for a question); the server keeps an audit entry. */
function EditDialog(props: {
  post: CommunityPostDto
  title: string
  loading: boolean
  onClose: () => void
  onSave: (input: { bodyHtml: string; title?: string }) => void
}) {
  const question = props.post.kind === 'question'
  const [title, setTitle] = useState(props.title)
  const [body, setBody] = useState(props.post.bodyHtml)
  return (
    <Modal opened onClose={props.onClose} title={question ? 'Edit the question' : 'Edit the answer'} size="lg">
      <Stack>
        <Text size="sm">The author sees an “edited” mark; the change is in the audit log. HTML is sanitized again on save.</Text>
        {question && <TextInput label="Title" value={title} onChange={(e) => setTitle(e.currentTarget.value)} minLength={5} maxLength={200} required />}
        <Textarea label="Body (HTML)" value={body} onChange={(e) => setBody(e.currentTarget.value)} autosize minRows={6} maxLength={50000} required />
        <Button
          loading={props.loading}
          disabled={!body.trim() || (question && title.trim().length < 5)}
          onClick={() => props.onSave(question ? { bodyHtml: body, title: title.trim() } : { bodyHtml: body })}
        >
          Save changes
        </Button>
      </Stack>
    </Modal>
  )
}

function MergeDialog(props: { opened: boolean; loading: boolean; onClose: () => void; onMerge: (intoId: number) => void }) {
  const [into, setInto] = useState<number | string>('')
  return (
    <Modal opened={props.opened} onClose={props.onClose} title="Merge into another topic">
      <Stack>
        <Text size="sm">The posts and followers move to the other topic; this topic's public link then redirects there.</Text>
        <NumberInput label="Target topic number" min={1} value={into} onChange={setInto} />
        <Button loading={props.loading} disabled={!Number(into)} onClick={() => props.onMerge(Number(into))}>
          Merge
        </Button>
      </Stack>
    </Modal>
  )
}

function BanDialog(props: { opened: boolean; name: string; onClose: () => void; onBan: (reason: string) => void }) {
  const [reason, setReason] = useState('')
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={`Ban ${props.name}`}>
      <Stack>
        <Text size="sm">A banned member is signed out, gets no sign-in links and cannot post, vote or report.</Text>
        <TextInput label="Reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={500} required />
        <Button color="red" disabled={!reason.trim()} onClick={() => props.onBan(reason.trim())}>
          Ban member
        </Button>
      </Stack>
    </Modal>
  )
}

function VocDialog(props: { opened: boolean; loading: boolean; onClose: () => void; onLink: (itemId: number) => void }) {
  const [q, setQ] = useState('')
  const [itemId, setItemId] = useState<string | null>(null)
  const items = useQuery({
    queryKey: ['voc', 'items', 'community-picker', q],
    queryFn: () => vocApi.list({ q: q || undefined, limit: 20 }),
    enabled: props.opened,
  })
  return (
    <Modal opened={props.opened} onClose={props.onClose} title="Link to a voice-of-customer item">
      <Stack>
        <Select
          label="Item"
          searchable
          searchValue={q}
          onSearchChange={setQ}
          data={(items.data?.items ?? []).map((i) => ({ value: String(i.id), label: i.title }))}
          value={itemId}
          onChange={setItemId}
          nothingFoundMessage="No items match"
        />
        <Button loading={props.loading} disabled={!itemId} onClick={() => props.onLink(Number(itemId))}>
          Link
        </Button>
      </Stack>
    </Modal>
  )
}
