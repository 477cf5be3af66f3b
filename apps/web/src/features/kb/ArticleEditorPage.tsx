import type { KbArticleDto, UpdateKbArticleInput } from '@allhands/contract'
import { Alert, Anchor, Badge, Button, Center, Group, Loader, SegmentedControl, Select, Stack, Tabs, Text, TextInput, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconExternalLink } from '@tabler/icons-react'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useNavigate, useParams } from '@tanstack/react-router'
import { useEditor } from '@tiptap/react'
import { useEffect, useState } from 'react'
import { ConfirmModal } from '../../lib/confirm-modal.tsx'
import { RouterAnchor } from '../../lib/links.tsx'
import { queryClient, showError, useCurrentUser } from '../../lib/queries.ts'
import { baseEditorExtensions, RichEditorFrame } from '../tickets/RichEditor.tsx'
import { ArticleFiles } from './ArticleFiles.tsx'
import { ArticleHistory } from './ArticleHistory.tsx'
import { KbImage } from './kb-image.ts'
import { canPublish, kbApi, kbKeys } from './kb.api.ts'
import { StatusBadge } from './KnowledgeBasePage.tsx'
import { Translations } from './Translations.tsx'

const invalidateLists = () => queryClient.invalidateQueries({ queryKey: kbKeys.all })

/** Write or edit one article: title, section, visibility and rich text; then submit, publish, send back or archive. */
export function ArticleEditorPage() {
  const { articleId } = useParams({ strict: false }) as { articleId: string }
  const isNew = articleId === 'new'
  const id = Number(articleId)
  const article = useQuery({ queryKey: kbKeys.article(id), queryFn: () => kbApi.article(id), enabled: !isNew && id > 0 })
  if (!isNew && article.error)
    return (
      <Center p="xl">
        <Alert color="red" title="Cannot open this article">
          {article.error.message}
        </Alert>
      </Center>
    )
  if (!isNew && !article.data)
    return (
      <Center p="xl">
        <Loader aria-label="Loading article" />
      </Center>
    )
  return <ArticleEditor key={articleId} article={isNew ? null : article.data!} />
}

function ArticleEditor({ article }: { article: KbArticleDto | null }) {
  const user = useCurrentUser()
  const navigate = useNavigate()
  const publisher = article ? article.canPublish : canPublish(user)
  const editable = article ? article.canEdit : true
  const [title, setTitle] = useState(article?.title ?? '')
  const [lang, setLang] = useState(article?.lang ?? '')
  const [sectionId, setSectionId] = useState<string | null>(article?.sectionId ? String(article.sectionId) : null)
  const [visibility, setVisibility] = useState<'public' | 'internal'>(article?.visibility ?? 'public')
  const [note, setNote] = useState('')
  const [dirty, setDirty] = useState(false)
  const [confirmDelete, setConfirmDelete] = useState(false)
  const tree = useQuery({ queryKey: kbKeys.categories, queryFn: kbApi.categories })
  const settings = useQuery({ queryKey: kbKeys.settings, queryFn: kbApi.settings })
  const editor = useEditor({
    extensions: [...baseEditorExtensions(), KbImage],
    content: article?.bodyHtml ?? '',
    editable,
    editorProps: { attributes: { 'aria-label': 'Article body', 'aria-multiline': 'true', role: 'textbox' } },
    onUpdate: () => setDirty(true),
  })
  useEffect(() => {
    if (editor && article && !editor.isFocused && editor.getHTML() !== article.bodyHtml) editor.commands.setContent(article.bodyHtml)
  }, [editor, article])

  const onSaved = (saved: KbArticleDto, message: string) => {
    queryClient.setQueryData(kbKeys.article(saved.id), saved)
    void invalidateLists()
    setDirty(false)
    setNote('')
    notifications.show({ color: 'green', message })
    if (!article) void navigate({ to: '/kb/articles/$articleId', params: { articleId: String(saved.id) }, replace: true })
  }
  const save = useMutation({
    mutationFn: async () => {
      const bodyHtml = editor?.getHTML() ?? ''
      if (!title.trim()) throw new Error('Give the article a title')
      const common = { title, bodyHtml, sectionId: sectionId ? Number(sectionId) : null, visibility, ...(note ? { note } : {}) }
      if (!article) return kbApi.create({ ...common, ...(lang ? { lang } : {}) })
      return kbApi.update(article.id, common satisfies UpdateKbArticleInput)
    },
    onSuccess: (saved) => onSaved(saved, article ? `Saved version ${saved.version}` : 'Draft created'),
    onError: showError,
  })
  const action = useMutation({
    mutationFn: async (kind: 'submit' | 'publish' | 'reject' | 'archive') => {
      if (!article) throw new Error('Save the draft first')
      if (dirty) await kbApi.update(article.id, { title, bodyHtml: editor?.getHTML() ?? '', sectionId: sectionId ? Number(sectionId) : null, visibility })
      return kbApi[kind](article.id)
    },
    onSuccess: (saved, kind) =>
      onSaved(saved, { submit: 'Submitted for review', publish: 'Published', reject: 'Sent back to the author', archive: 'Archived' }[kind]),
    onError: showError,
  })
  const remove = useMutation({
    mutationFn: () => kbApi.remove(article!.id),
    onSuccess: () => {
      void invalidateLists()
      void navigate({ to: '/kb' })
    },
    onError: showError,
  })

  const sectionOptions = (tree.data?.items ?? []).map((c) => ({ group: c.name, items: c.sections.map((s) => ({ value: String(s.id), label: s.name })) }))
  const languages = settings.data?.languages ?? ['en']
  const editTab = (
    <Stack gap="sm">
      {article?.reviewNote && article.status === 'draft' && (
        <Alert color="yellow" title="Reviewer's note">
          {article.reviewNote}
        </Alert>
      )}
      {!editable && (
        <Alert color="blue">
          {article?.status === 'published' ? 'This article is live; a publisher edits it.' : 'Only its author or a publisher can edit this article.'}
        </Alert>
      )}
      <TextInput
        label="Title"
        required
        value={title}
        onChange={(e) => {
          setTitle(e.currentTarget.value)
          setDirty(true)
        }}
        maxLength={300}
        disabled={!editable}
      />
      <Group grow>
        {!article && <Select label="Language" data={languages} value={lang || languages[0]!} onChange={(v) => setLang(v ?? '')} allowDeselect={false} />}
        <Select
          label="Section"
          placeholder="No section"
          data={sectionOptions}
          value={sectionId}
          onChange={(v) => {
            setSectionId(v)
            setDirty(true)
          }}
          clearable
          disabled={!editable}
        />
        <Stack gap={4}>
          <Text size="sm" fw={500} id="kb-visibility">
            Visibility
          </Text>
          <SegmentedControl
            aria-labelledby="kb-visibility"
            data={[
              { value: 'public', label: 'Public' },
              { value: 'internal', label: 'Internal (staff only)' },
            ]}
            value={visibility}
            onChange={(v) => {
              setVisibility(v as 'public' | 'internal')
              setDirty(true)
            }}
            disabled={!editable}
          />
        </Stack>
      </Group>
      <RichEditorFrame editor={editor} toolbar={editable} />
      {article ? (
        <ArticleFiles article={article} editor={editor} editable={editable} />
      ) : (
        <Text size="xs" c="dimmed">
          Create the draft to upload images and attachments.
        </Text>
      )}
      {editable && <TextInput label="What changed (optional)" value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={500} />}
      <Group gap="xs">
        {editable && (
          <Button onClick={() => save.mutate()} loading={save.isPending}>
            {article ? 'Save' : 'Create draft'}
          </Button>
        )}
        {article && editable && article.status === 'draft' && !publisher && (
          <Button variant="light" onClick={() => action.mutate('submit')} loading={action.isPending && action.variables === 'submit'}>
            Submit for review
          </Button>
        )}
        {article && publisher && article.status !== 'published' && (
          <Button color="green" onClick={() => action.mutate('publish')} loading={action.isPending && action.variables === 'publish'}>
            Publish
          </Button>
        )}
        {article && publisher && article.status === 'in_review' && (
          <Button variant="default" onClick={() => action.mutate('reject')} loading={action.isPending && action.variables === 'reject'}>
            Send back
          </Button>
        )}
        {article && publisher && article.status === 'published' && (
          <Button variant="default" onClick={() => action.mutate('archive')} loading={action.isPending && action.variables === 'archive'}>
            Archive
          </Button>
        )}
        {article && (publisher || (article.status === 'draft' && article.author?.id === user.id)) && (
          <Button variant="subtle" color="red" onClick={() => setConfirmDelete(true)}>
            Delete
          </Button>
        )}
        {dirty && (
          <Text size="xs" c="dimmed" role="status">
            Unsaved changes
          </Text>
        )}
      </Group>
    </Stack>
  )

  return (
    <Stack p="md" gap="md" maw={1000}>
      <Group justify="space-between">
        <Stack gap={2}>
          <Anchor component={RouterAnchor} to="/kb" size="sm">
            ← Knowledge base
          </Anchor>
          <Group gap="xs">
            <Title order={2}>{article ? article.title : 'New article'}</Title>
            {article && <StatusBadge status={article.status} />}
            {article?.visibility === 'internal' && <Badge variant="outline">Internal</Badge>}
            {article && <Badge variant="default">{article.lang}</Badge>}
          </Group>
          {article && (
            <Text size="xs" c="dimmed">
              Version {article.version}
              {article.author ? ` · written by ${article.author.name}` : ''}
              {article.submittedBy ? ` · submitted by ${article.submittedBy.name}` : ''}
            </Text>
          )}
        </Stack>
        {article?.status === 'published' && article.visibility === 'public' && (
          <Anchor href={article.url} target="_blank" rel="noopener" size="sm">
            <Group gap={4}>
              View in help center <IconExternalLink size={14} aria-hidden />
            </Group>
          </Anchor>
        )}
      </Group>
      {article ? (
        <Tabs defaultValue="edit" keepMounted>
          <Tabs.List>
            <Tabs.Tab value="edit">Edit</Tabs.Tab>
            <Tabs.Tab value="history">History</Tabs.Tab>
            <Tabs.Tab value="translations">Translations ({article.translations.length})</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="edit" pt="md">
            {editTab}
          </Tabs.Panel>
          <Tabs.Panel value="history" pt="md">
            <ArticleHistory article={article} />
          </Tabs.Panel>
          <Tabs.Panel value="translations" pt="md">
            <Translations article={article} languages={languages} />
          </Tabs.Panel>
        </Tabs>
      ) : (
        editTab
      )}
      <ConfirmModal
        opened={confirmDelete}
        title="Delete article"
        confirmLabel="Delete"
        danger
        loading={remove.isPending}
        onConfirm={() => remove.mutate()}
        onClose={() => setConfirmDelete(false)}
      >
        Delete “{article?.title}”? Links to it in the help center will say it was removed.
      </ConfirmModal>
    </Stack>
  )
}
