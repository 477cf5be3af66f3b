import { useEffect } from 'react'
import { queryClient } from '../../lib/queries.ts'
import { notificationKeys, notificationsApi } from './notifications.api.ts'

/** Opening a ticket reads the viewer's unread notifications about it; the bell's badge follows at once. */
export function useReadTicketNotifications(ticketId: number, loaded: boolean) {
  useEffect(() => {
    if (!loaded) return
    void notificationsApi.readTicket(ticketId).then(() => queryClient.invalidateQueries({ queryKey: notificationKeys.all }))
  }, [ticketId, loaded])
}
