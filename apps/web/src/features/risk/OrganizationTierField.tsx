import type { OrganizationDto } from '@allhands/contract'
import { TextInput } from '@mantine/core'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { keys, queryClient } from '../../lib/queries.ts'
import { riskApi } from './risk.api.ts'

/** An organization's tier (e.g. "enterprise"); the VIP risk rule lists which tiers count as VIP. Saved on blur or Enter. */
export function OrganizationTierField({ organization, disabled }: { organization: OrganizationDto; disabled: boolean }) {
  const [value, setValue] = useState(organization.tier ?? '')
  const save = useMutation({
    mutationFn: (tier: string | null) => riskApi.setOrganizationTier(organization.id, tier),
    onSuccess: (o) => {
      queryClient.setQueryData(keys.organization(organization.id), o)
      void queryClient.invalidateQueries({ queryKey: keys.ticketLists })
    },
  })
  const commit = () => {
    const next = value.trim().toLowerCase() || null
    if (next !== organization.tier) save.mutate(next)
  }
  return (
    <TextInput
      label="Tier"
      description="e.g. enterprise — which tiers count as VIP is set in Settings → Risk rules"
      placeholder="No tier"
      maxLength={40}
      disabled={disabled}
      value={value}
      onChange={(e) => setValue(e.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit()
      }}
    />
  )
}
