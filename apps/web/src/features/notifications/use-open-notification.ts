import type { NotificationDto } from '@allhands/contract'
import { useMutation } from '@tanstack/react-query'
import { useNavigate } from '@tanstack/react-router'
import { queryClient } from '../../lib/queries.ts'
import { notificationKeys, notificationsApi } from './notifications.api.ts'

/** Opening a notification marks it read and goes to its ticket (if it has one the person may see). */
export function useOpenNotification(after?: () => void) {
  const navigate = useNavigate()
  const read = useMutation({ mutationFn: notificationsApi.read, onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }) })
  return (n: NotificationDto) => {
    if (!n.readAt) read.mutate(n.id)
    after?.()
    if (n.ticketId) void navigate({ to: '/tickets/$ticketId', params: { ticketId: String(n.ticketId) } })
  }
}
