import { Alert, Box, Center, Group, Loader, ScrollArea, Stack } from '@mantine/core'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useNavigate, useParams } from '@tanstack/react-router'
import { useEffect, useRef, useState } from 'react'
import { ApiError, api } from '../../lib/api.ts'
import { isStaff, keys, queryClient, useCurrentUser } from '../../lib/queries.ts'
import { realtime, useRoom } from '../../lib/realtime.ts'
import { useShortcuts } from '../../lib/shortcuts.ts'
import { HeldReplies, reviewedMessages, useTicketReviews } from '../reviews/HeldReplies.tsx'
import { reviewKeys, reviewsApi } from '../reviews/reviews.api.ts'
import { Composer, type ComposerHandle, type ComposerMode } from './Composer.tsx'
import { Conversation } from './Conversation.tsx'
import { TicketHeader } from './TicketHeader.tsx'
import { TicketSidebar } from './TicketSidebar.tsx'
// issue 9 kb: suggested articles above the composer
import { SuggestedArticles } from '../kb/SuggestedArticles.tsx'
import { TicketScriptPanel } from '../decision-trees/TicketScriptPanel.tsx'
import { useReadTicketNotifications } from '../notifications/use-read-ticket-notifications.ts'

export function TicketPage() {
  const { ticketId } = useParams({ strict: false }) as { ticketId: string }
  const id = Number(ticketId)
  const user = useCurrentUser()
  const staff = isStaff(user.role)
  const ticket = useQuery({ queryKey: keys.ticket(id), queryFn: () => api.ticket(id), enabled: Number.isInteger(id) && id > 0, meta: { silent: true } })
  const messages = useQuery({ queryKey: keys.messages(id), queryFn: () => api.messages(id), enabled: !!ticket.data })
  // Whether this person may reply here (and whether it is held for review) is the server's answer:
  // it depends on their shift, clearance, certifications and trust, and on the ticket's risk.
  const decision = useQuery({
    queryKey: [...reviewKeys.decision(id), ticket.data?.updatedAt],
    queryFn: () => reviewsApi.replyDecision(id),
    enabled: !!ticket.data,
    refetchInterval: 60_000,
    placeholderData: (previous) => previous,
    meta: { silent: true },
  })
  const canReply = !!decision.data && decision.data.mode !== 'deny'
  const reviews = useTicketReviews(id, !!ticket.data)
  const [chosenMode, setMode] = useState<ComposerMode | null>(null)
  const mode: ComposerMode = chosenMode === 'reply' && !canReply ? 'note' : (chosenMode ?? (canReply ? 'reply' : 'note'))
  const navigate = useNavigate()
  const mergedIntoId = ticket.data?.mergedIntoId
  useEffect(() => {
    if (mergedIntoId) void navigate({ to: '/tickets/$ticketId', params: { ticketId: String(mergedIntoId) }, replace: true })
  }, [mergedIntoId, navigate])
  const composer = useRef<ComposerHandle>(null)
  const bottom = useRef<HTMLDivElement>(null)

  const loaded = !!ticket.data
  useRoom(loaded ? `ticket:${id}` : null)
  useReadTicketNotifications(id, loaded)
  useEffect(() => {
    if (!loaded) return
    realtime.setPresence(id, 'viewing')
    return () => realtime.setPresence(id, 'left')
  }, [id, loaded])

  const items = messages.data?.items ?? []
  const count = items.length
  useEffect(() => {
    if (count) bottom.current?.scrollIntoView({ block: 'end' })
  }, [count])

  const update = useMutation({
    mutationFn: (changes: Parameters<typeof api.updateTicket>[1]) => api.updateTicket(id, changes),
    onSuccess: (t) => {
      queryClient.setQueryData(keys.ticket(id), t)
      void queryClient.invalidateQueries({ queryKey: keys.messages(id) })
      void queryClient.invalidateQueries({ queryKey: keys.ticketLists })
      void queryClient.invalidateQueries({ queryKey: keys.views })
    },
  })

  useShortcuts({
    r: () => {
      if (!canReply) return
      setMode('reply')
      setTimeout(() => composer.current?.focus())
    },
    n: () => {
      setMode('note')
      setTimeout(() => composer.current?.focus())
    },
    a: () => staff && document.getElementById('ticket-assignee')?.focus(),
    s: () => staff && document.getElementById('ticket-status')?.focus(),
    e: () => staff && ticket.data && update.mutate({ status: 'solved' }),
  })

  if (ticket.error)
    return (
      <Center p="xl">
        <Alert color="red" title={ticket.error instanceof ApiError && ticket.error.status === 404 ? 'Ticket not found' : 'Cannot open this ticket'}>
          {ticket.error.message}
        </Alert>
      </Center>
    )
  if (!ticket.data)
    return (
      <Center p="xl">
        <Loader aria-label="Loading ticket" />
      </Center>
    )
  if (mergedIntoId)
    return (
      <Center p="xl">
        <Loader aria-label={`Opening ticket #${mergedIntoId}`} />
      </Center>
    )

  return (
    <Group align="stretch" gap={0} wrap="nowrap" h="calc(100vh - 56px)">
      <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
        <TicketHeader ticket={ticket.data} onUpdate={(c) => update.mutate(c)} canEdit={staff} />
        <ScrollArea style={{ flex: 1 }} px="md" py="sm">
          {messages.isPending ? <Loader aria-label="Loading messages" /> : <Conversation messages={items} reviewedBy={reviewedMessages(reviews.data?.items)} />}
          <HeldReplies reviews={reviews.data?.items} meId={user.id} />
          <TicketScriptPanel ticketId={ticket.data.id} hideWhenEmpty />
          <div ref={bottom} />
        </ScrollArea>
        <Box px="md" pb="md">
          {staff && <SuggestedArticles ticketId={ticket.data.id} />}
          <Composer ticket={ticket.data} messages={items} mode={mode} onModeChange={setMode} canReply={canReply} decision={decision.data} handle={composer} />
        </Box>
      </Stack>
      <TicketSidebar ticket={ticket.data} canEdit={staff} onUpdate={(c) => update.mutate(c)} />
    </Group>
  )
}
