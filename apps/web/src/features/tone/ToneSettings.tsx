import type { ToneRuleId } from '@allhands/contract'
import { Loader, Stack, Switch, Text, Title } from '@mantine/core'
import { useMutation, useQuery } from '@tanstack/react-query'
import { queryClient, showError } from '../../lib/queries.ts'
import { toneApi, toneKeys } from './tone.api.ts'

/** Admin settings: switch each tone coach rule on or off (saved at once, audited on the server). */
export function ToneSettings() {
  const rules = useQuery({ queryKey: toneKeys.rules, queryFn: toneApi.rules })
  const save = useMutation({
    mutationFn: (change: { id: ToneRuleId; enabled: boolean }) => toneApi.updateRules({ rules: [change] }),
    onSuccess: (r) => queryClient.setQueryData(toneKeys.rules, r),
    onError: showError,
  })
  return (
    <Stack maw={620}>
      <Title order={2} size="h4">
        Tone coach
      </Title>
      <Text size="sm" c="dimmed">
        Hints shown under the reply editor while someone writes to a customer. They never block sending. Switch off what does not fit your team's voice.
      </Text>
      {rules.isPending ? (
        <Loader size="sm" aria-label="Loading tone rules" />
      ) : (
        (rules.data?.rules ?? []).map((r) => (
          <Switch
            key={r.id}
            label={r.label}
            description={r.description}
            checked={r.enabled}
            disabled={save.isPending && save.variables?.id === r.id}
            onChange={(e) => save.mutate({ id: r.id, enabled: e.currentTarget.checked })}
          />
        ))
      )}
    </Stack>
  )
}
