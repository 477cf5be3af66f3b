import type { ContactDto } from '@allhands/contract'
import { Switch } from '@mantine/core'
import { useMutation } from '@tanstack/react-query'
import { keys, queryClient } from '../../lib/queries.ts'
import { riskApi } from './risk.api.ts'

/** The VIP flag on a contact: the VIP risk rule flags their tickets (staff set it; their waiting tickets are reassessed). */
export function ContactVipSwitch({ contact, disabled }: { contact: ContactDto; disabled: boolean }) {
  const save = useMutation({
    mutationFn: (vip: boolean) => riskApi.setContactVip(contact.id, vip),
    onSuccess: (c) => {
      queryClient.setQueryData(keys.contact(contact.id), c)
      void queryClient.invalidateQueries({ queryKey: keys.ticketLists })
    },
  })
  return (
    <Switch
      label="VIP"
      description="The VIP risk rule flags their tickets, keeping them away from people without clearance"
      checked={contact.vip}
      disabled={disabled || save.isPending}
      onChange={(e) => save.mutate(e.currentTarget.checked)}
    />
  )
}
