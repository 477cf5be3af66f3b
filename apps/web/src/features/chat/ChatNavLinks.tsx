import { Badge } from '@mantine/core'
import { IconMessageChatbot, IconWorldWww } from '@tabler/icons-react'
import { useQuery } from '@tanstack/react-query'
import { useLocation, useNavigate } from '@tanstack/react-router'
import { RouterNavLink } from '../../lib/links.tsx'
import { useCurrentUser } from '../../lib/queries.ts'
import { useShortcuts } from '../../lib/shortcuts.ts'
import { chatApi, chatKeys, mayChat } from './chat.api.ts'

/** Sidebar entries for support staff: "Chats" with the live count of waiting chats (`g c`) and "Visitors" (`g v`). */
export function ChatNavLinks({ onNavigate }: { onNavigate: () => void }) {
  const user = useCurrentUser()
  const { pathname } = useLocation()
  const navigate = useNavigate()
  const allowed = mayChat(user.role)
  useShortcuts(
    allowed
      ? {
          'g c': () => void navigate({ to: '/chats' }),
          'g v': () => void navigate({ to: '/visitors' }),
        }
      : {},
  )
  const waiting = useQuery({
    queryKey: chatKeys.conversationList('waiting', false),
    queryFn: () => chatApi.conversations({ status: 'waiting' }),
    enabled: allowed,
    refetchInterval: 120_000,
    meta: { silent: true },
  })
  if (!allowed) return null
  const count = waiting.data?.items.length ?? 0
  return (
    <>
      <RouterNavLink
        to="/chats"
        label="Chats"
        leftSection={<IconMessageChatbot size={16} aria-hidden />}
        active={pathname === '/chats'}
        onClick={onNavigate}
        aria-keyshortcuts="g c"
        aria-label={`Chats: ${count} waiting`}
        rightSection={
          count > 0 ? (
            <Badge size="sm" color="orange" variant="filled" data-testid="chats-waiting-count">
              {count >= 200 ? '200+' : count}
            </Badge>
          ) : undefined
        }
      />
      <RouterNavLink
        to="/visitors"
        label="Visitors"
        leftSection={<IconWorldWww size={16} aria-hidden />}
        active={pathname === '/visitors'}
        onClick={onNavigate}
        aria-keyshortcuts="g v"
      />
    </>
  )
}
