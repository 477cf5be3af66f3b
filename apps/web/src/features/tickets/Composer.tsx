import type { AttachmentDto, MacroDto, MessageDto, ReplyDecisionDto, TicketDto, TicketStatus, UserDto } from '@allhands/contract'
import { Alert, Button, CloseButton, FileButton, Group, Loader, Paper, Tabs, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconAlertTriangle, IconEye, IconLock, IconMessage, IconMessageOff, IconPaperclip } from '@tabler/icons-react'
import { useMutation } from '@tanstack/react-query'
import Mention from '@tiptap/extension-mention'
import { type Editor, useEditor } from '@tiptap/react'
import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react'
import { api, isStaleDraft } from '../../lib/api.ts'
import { formatBytes } from '../../lib/format.ts'
import { keys, queryClient, showError } from '../../lib/queries.ts'
import { realtime } from '../../lib/realtime.ts'
import { isPendingReview, reviewKeys, reviewsApi } from '../reviews/reviews.api.ts'
import { onComposerInsert, publishDraft } from './composer-bus.ts'
// issue 9 kb: insert an article link or its text
import { KbInsertButton } from '../kb/KbInsertButton.tsx'
import { MentionList, mentionSuggestion } from './mention.tsx'
import { baseEditorExtensions, RichEditorFrame } from './RichEditor.tsx'
// issue 5 composer imports
import { ToneHints } from '../tone/ToneHints.tsx'
import { ShiftSnippets } from '../rotations/ShiftSnippets.tsx'
// issue 10 macros: the `/` picker and palette requests
import { isMacroPickerOpen, MacroCommand, MacroPicker } from '../macros/macro-picker.tsx'
import { applyMacro, macrosQuery, onMacroApplyRequest } from '../macros/macros.api.ts'

export type ComposerMode = 'reply' | 'note'
export type ComposerHandle = { focus: () => void }

type Props = {
  ticket: TicketDto
  messages: MessageDto[]
  mode: ComposerMode
  onModeChange: (m: ComposerMode) => void
  canReply: boolean
  /** How a reply would go out (sent, held for review, refused), from the server. */
  decision?: ReplyDecisionDto
  handle: Ref<ComposerHandle>
}

const latestShownId = (messages: MessageDto[]) => {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.kind !== 'event') return messages[i]!.id
  return null
}

export function Composer({ ticket, messages, mode, onModeChange, canReply, decision, handle }: Props) {
  const [attachments, setAttachments] = useState<AttachmentDto[]>([])
  const [uploading, setUploading] = useState(0)
  const [stale, setStale] = useState(false)
  const [empty, setEmpty] = useState(true)
  // The conversation as it was when the draft was started: the server refuses the send if others wrote since.
  const baseRef = useRef<number | null | undefined>(undefined)
  const messagesRef = useRef(messages)
  messagesRef.current = messages
  // The editor's update callback is bound once: it reads the current mode through a ref.
  const modeRef = useRef(mode)
  modeRef.current = mode
  const typingTimer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const ticketIdRef = useRef(ticket.id)
  ticketIdRef.current = ticket.id
  // The `/` command is bound once with the editor: it reaches the current apply mutation through a ref.
  const pickMacroRef = useRef<(macro: Pick<MacroDto, 'id' | 'name'>) => void>(() => {})

  const editor = useEditor({
    extensions: [
      ...baseEditorExtensions(),
      Mention.configure({
        HTMLAttributes: { class: 'mention' },
        suggestion: mentionSuggestion(() => queryClient.getQueryData<UserDto[]>(keys.users) ?? []),
      }),
      MacroCommand.configure({ onPick: (_editor, macro) => pickMacroRef.current(macro) }),
    ],
    editorProps: {
      attributes: {
        'aria-label': mode === 'note' ? 'Internal note' : 'Reply to the customer',
        'aria-multiline': 'true',
        role: 'textbox',
        'data-testid': 'composer-editor',
      },
      handleKeyDown: (_view, event) => {
        if (event.key === 'Escape' && !isMacroPickerOpen()) {
          ;(event.target as HTMLElement).blur()
          return true
        }
        if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) {
          send.mutate(undefined)
          return true
        }
        return false
      },
    },
    onUpdate: ({ editor }) => onEdit(editor),
  })

  useEffect(() => {
    void queryClient.prefetchQuery({ queryKey: keys.users, queryFn: api.users })
    void queryClient.prefetchQuery(macrosQuery)
  }, [])

  // A macro's actions are applied on the server at once; its rendered reply lands at the cursor for review before sending.
  const applyPicked = useMutation({
    meta: { silent: true },
    mutationFn: (macro: Pick<MacroDto, 'id' | 'name'>) => applyMacro(ticketIdRef.current, macro.id),
    onSuccess: (applied, macro) => {
      if (applied.html) editor?.chain().focus().insertContent(applied.html).run()
      else notifications.show({ color: 'green', message: `Macro “${macro.name}” applied` })
    },
    onError: showError,
  })
  pickMacroRef.current = (macro) => applyPicked.mutate(macro)
  useEffect(() => onMacroApplyRequest((macro) => pickMacroRef.current(macro)), [])

  useEffect(() => {
    editor?.setOptions({
      editorProps: {
        ...editor.options.editorProps,
        attributes: { ...(editor.options.editorProps.attributes as object), 'aria-label': mode === 'note' ? 'Internal note' : 'Reply to the customer' },
      },
    })
  }, [editor, mode])

  useImperativeHandle(handle, () => ({ focus: () => editor?.commands.focus('end') }), [editor])

  // Snippets, consult answers and the like arrive through the composer bus.
  useEffect(
    () =>
      onComposerInsert(({ html, mode: target }) => {
        if (target !== mode) onModeChange(target)
        editor?.chain().focus('end').insertContent(html).run()
      }),
    [editor, mode, onModeChange],
  )

  function onEdit(ed: Editor) {
    const isEmpty = ed.isEmpty
    setEmpty(isEmpty)
    publishDraft({ ticketId: ticket.id, mode: modeRef.current, html: isEmpty ? '' : ed.getHTML(), text: ed.getText() })
    if (isEmpty) baseRef.current = undefined
    // The draft answers the conversation as shown when writing began; typed before it loaded, as it first appears.
    else if (baseRef.current === undefined) baseRef.current = latestShownId(messagesRef.current) ?? undefined
    // Typing is announced for replies only: teammates avoid answering twice and a chat visitor sees "typing…",
    // but an internal note being written is nobody else's business.
    if (modeRef.current !== 'reply') return
    if (!typingTimer.current) realtime.setPresence(ticket.id, 'typing')
    else clearTimeout(typingTimer.current)
    typingTimer.current = setTimeout(() => {
      typingTimer.current = null
      realtime.setPresence(ticket.id, 'viewing')
    }, 2500)
  }

  useEffect(() => () => void (typingTimer.current && clearTimeout(typingTimer.current)), [])

  const send = useMutation({
    meta: { silent: true },
    mutationFn: async (status: TicketStatus | undefined) => {
      if (!editor || editor.isEmpty) throw new Error('Write something first')
      const body = editor.getHTML()
      const input = {
        body,
        baseMessageId: baseRef.current !== undefined ? baseRef.current : latestShownId(messagesRef.current),
        attachmentIds: attachments.map((a) => a.id),
        ...(status ? { status } : {}),
      }
      return mode === 'reply' ? reviewsApi.reply(ticket.id, input) : api.note(ticket.id, input)
    },
    onSuccess: (result) => {
      if (isPendingReview(result)) {
        notifications.show({
          color: 'blue',
          title: 'Held for review',
          message: 'A reviewer will approve, edit or return your reply. You will be notified.',
        })
        void queryClient.invalidateQueries({ queryKey: reviewKeys.all })
      }
      editor?.commands.clearContent(true)
      publishDraft({ ticketId: ticket.id, mode, html: '', text: '' })
      baseRef.current = undefined
      setAttachments([])
      setStale(false)
      if (typingTimer.current) clearTimeout(typingTimer.current)
      typingTimer.current = null
      realtime.setPresence(ticket.id, 'viewing')
      void queryClient.invalidateQueries({ queryKey: keys.messages(ticket.id) })
      void queryClient.invalidateQueries({ queryKey: keys.ticket(ticket.id) })
    },
    onError: async (err) => {
      if (isStaleDraft(err)) {
        setStale(true)
        // Show what arrived, then treat the refreshed conversation as the one the draft answers.
        await queryClient.refetchQueries({ queryKey: keys.messages(ticket.id) })
        const fresh = queryClient.getQueryData<{ items: MessageDto[] }>(keys.messages(ticket.id))
        baseRef.current = latestShownId(fresh?.items ?? messagesRef.current)
        return
      }
      showError(err)
    },
  })

  const upload = async (files: File[]) => {
    for (const file of files) {
      setUploading((n) => n + 1)
      try {
        const a = await api.upload(file)
        setAttachments((cur) => [...cur, a])
      } catch (err) {
        showError(err)
      } finally {
        setUploading((n) => n - 1)
      }
    }
  }

  const isNote = mode === 'note'
  const held = !isNote && decision?.mode === 'review'
  return (
    <Paper withBorder p="sm" className={isNote ? 'composer message-note' : 'composer'} component="section" aria-label="Composer">
      <Tabs value={mode} onChange={(v) => v && onModeChange(v as ComposerMode)} mb="xs">
        <Tabs.List>
          {canReply && (
            <Tabs.Tab value="reply" leftSection={<IconMessage size={14} />}>
              Reply
            </Tabs.Tab>
          )}
          <Tabs.Tab value="note" leftSection={<IconLock size={14} />}>
            Internal note
          </Tabs.Tab>
        </Tabs.List>
      </Tabs>
      {!canReply && decision?.mode === 'deny' && (
        <Text size="xs" c="dimmed" mb="xs" data-testid="reply-denied">
          <IconMessageOff size={12} aria-hidden style={{ verticalAlign: 'middle' }} /> You cannot reply to the customer here: {decision.reason}
        </Text>
      )}
      {held && (
        <Alert color="blue" variant="light" icon={<IconEye size={18} aria-hidden />} mb="sm" py={6} data-testid="reply-review-notice">
          <Text size="sm" fw={600}>
            Your reply will be reviewed before it is sent
          </Text>
          <Text size="xs">{decision.reason}</Text>
        </Alert>
      )}
      {stale && (
        <Alert
          color="orange"
          icon={<IconAlertTriangle size={18} />}
          mb="sm"
          role="alert"
          title="New messages arrived"
          withCloseButton
          onClose={() => setStale(false)}
        >
          New messages arrived while you were writing — review them, then send again.
        </Alert>
      )}
      <RichEditorFrame editor={editor} />
      <MentionList />
      <MacroPicker />
      {applyPicked.isPending && (
        <Group gap={6} mt={4} role="status">
          <Loader size={12} />
          <Text size="xs" c="dimmed">
            Applying macro “{applyPicked.variables?.name}”…
          </Text>
        </Group>
      )}
      {/* issue 5 composer aids */}
      <ToneHints ticketId={ticket.id} />
      <ShiftSnippets />
      {attachments.length > 0 && (
        <Group gap="xs" mt="xs">
          {attachments.map((a) => (
            <Paper key={a.id} withBorder px="xs" py={2}>
              <Group gap={4} wrap="nowrap">
                <IconPaperclip size={12} aria-hidden />
                <Text size="xs">
                  {a.filename} ({formatBytes(a.size)})
                </Text>
                <CloseButton size="xs" aria-label={`Remove ${a.filename}`} onClick={() => setAttachments((cur) => cur.filter((x) => x.id !== a.id))} />
              </Group>
            </Paper>
          ))}
        </Group>
      )}
      <Group justify="space-between" mt="sm">
        <Group gap="xs">
          <FileButton onChange={(files) => void upload(files)} multiple>
            {(props) => (
              <Button {...props} variant="default" size="xs" leftSection={<IconPaperclip size={14} />} loading={uploading > 0}>
                Attach files
              </Button>
            )}
          </FileButton>
          <KbInsertButton onInsert={(html) => editor?.chain().focus('end').insertContent(html).run()} />
          <Text size="xs" c="dimmed" visibleFrom="md">
            {isNote ? 'Only your team sees notes. Type @ to mention someone, / for a macro.' : 'Type / for a macro. Ctrl/⌘ + Enter to send'}
          </Text>
        </Group>
        <Group gap="xs">
          {!isNote && (
            <>
              <Button
                variant="default"
                size="sm"
                disabled={empty || uploading > 0}
                loading={send.isPending && send.variables === 'pending'}
                onClick={() => send.mutate('pending')}
              >
                {held ? 'Submit, set Pending when sent' : 'Send and set Pending'}
              </Button>
              <Button
                variant="default"
                size="sm"
                disabled={empty || uploading > 0}
                loading={send.isPending && send.variables === 'solved'}
                onClick={() => send.mutate('solved')}
              >
                {held ? 'Submit, set Solved when sent' : 'Send and set Solved'}
              </Button>
            </>
          )}
          <Button
            size="sm"
            color={isNote ? 'yellow' : undefined}
            disabled={empty || uploading > 0}
            loading={send.isPending && send.variables === undefined}
            onClick={() => send.mutate(undefined)}
          >
            {isNote ? 'Add note' : held ? 'Submit for review' : 'Send'}
          </Button>
        </Group>
      </Group>
    </Paper>
  )
}
