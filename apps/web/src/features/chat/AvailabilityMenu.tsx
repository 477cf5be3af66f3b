import type { ChatAvailability, SetChatStatusInput } from '@allhands/contract'
import { Box, Button, Group, Loader, NumberInput, Popover, Radio, Stack, Text } from '@mantine/core'
import { useMutation, useQuery } from '@tanstack/react-query'
import { notifications } from '@mantine/notifications'
import { useNavigate } from '@tanstack/react-router'
import { useEffect, useRef, useState } from 'react'
import { queryClient, useCurrentUser } from '../../lib/queries.ts'
import { AVAILABILITY, availabilityOf, chatApi, chatKeys, mayChat, ownChatAction, useChatSync } from './chat.api.ts'

/** A small coloured dot for an availability (decorative: the text beside it says the same). */
export function AvailabilityDot({ status, size = 10 }: { status: ChatAvailability; size?: number }) {
  return (
    <Box
      component="span"
      aria-hidden
      display="inline-block"
      w={size}
      h={size}
      style={{ borderRadius: '50%', flexShrink: 0, background: `var(--mantine-color-${availabilityOf(status).color}-6)` }}
    />
  )
}

/** Header control for support staff: my chat availability (online/away/offline) and capacity, kept live. */
export function AvailabilityMenu() {
  const user = useCurrentUser()
  const allowed = mayChat(user.role)
  useChatSync(allowed)
  if (!allowed) return null
  return <AvailabilityPopover />
}

/** A notice when a chat is routed or transferred to me (not when I accepted it myself). */
function useNewChatNotice(activeChats: number | undefined) {
  const navigate = useNavigate()
  const seen = useRef<number | null>(null)
  useEffect(() => {
    if (activeChats === undefined) return
    const before = seen.current
    seen.current = activeChats
    if (before === null || activeChats <= before || Date.now() - ownChatAction.at < 5000) return
    notifications.show({
      color: 'teal',
      title: 'A new chat is yours',
      message: (
        <Button size="compact-xs" variant="light" mt={4} onClick={() => void navigate({ to: '/chats' })}>
          Open chats
        </Button>
      ),
    })
  }, [activeChats, navigate])
}

function AvailabilityPopover() {
  const me = useQuery({ queryKey: chatKeys.me, queryFn: chatApi.me, staleTime: 30_000 })
  const [capacity, setCapacity] = useState<number | string>('')
  const current = me.data
  useEffect(() => {
    if (current) setCapacity(current.capacity)
  }, [current])
  useNewChatNotice(current?.activeChats)
  const save = useMutation({
    mutationFn: (input: SetChatStatusInput) => chatApi.setMe(input),
    onSuccess: (status) => {
      queryClient.setQueryData(chatKeys.me, status)
      void queryClient.invalidateQueries({ queryKey: chatKeys.agents })
    },
  })
  const status = current?.status ?? 'offline'
  const info = availabilityOf(status)
  const saveCapacity = () => {
    if (!current || typeof capacity !== 'number' || capacity === current.capacity) return
    save.mutate({ status: current.status, capacity })
  }
  return (
    <Popover position="bottom-end" withinPortal trapFocus shadow="md" width={260}>
      <Popover.Target>
        <Button
          variant="default"
          size="sm"
          px="xs"
          leftSection={me.isPending ? <Loader size={10} /> : <AvailabilityDot status={status} />}
          aria-label={`Chat availability: ${info.label}`}
          data-testid="chat-availability"
        >
          <Text span size="sm" visibleFrom="sm">
            {info.label}
          </Text>
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="sm">
          <Radio.Group
            label="Chat availability"
            description="New chats are routed to agents who are online and below their capacity."
            value={status}
            onChange={(v) => current && save.mutate({ status: v as ChatAvailability, capacity: current.capacity })}
          >
            <Stack gap={6} mt="xs">
              {AVAILABILITY.map((a) => (
                <Radio
                  key={a.value}
                  value={a.value}
                  disabled={!current || save.isPending}
                  label={
                    <Group gap={6} wrap="nowrap">
                      <AvailabilityDot status={a.value} />
                      {a.label}
                    </Group>
                  }
                />
              ))}
            </Stack>
          </Radio.Group>
          <NumberInput
            label="Chat capacity"
            description="How many chats you take at once"
            min={0}
            max={50}
            clampBehavior="strict"
            allowDecimal={false}
            value={capacity}
            onChange={setCapacity}
            onBlur={saveCapacity}
            onKeyDown={(e) => {
              if (e.key === 'Enter') saveCapacity()
            }}
            disabled={!current}
          />
          {current && (
            <Text size="xs" c="dimmed" data-testid="chat-load">
              {current.activeChats} active chat{current.activeChats === 1 ? '' : 's'} of {current.capacity}
            </Text>
          )}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  )
}
