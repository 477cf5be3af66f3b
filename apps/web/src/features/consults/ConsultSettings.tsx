import { Button, NumberInput, Stack, Text, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { queryClient } from '../../lib/queries.ts'
import { consultKeys, consultsApi, useConsultSettings } from './consults.api.ts'

/** Admin settings: how long experts have to answer when the asker does not say. */
export function ConsultSettings() {
  const settings = useConsultSettings()
  const [hours, setHours] = useState<number | string>('')
  useEffect(() => {
    if (settings.data) setHours(settings.data.defaultDueHours)
  }, [settings.data])
  const save = useMutation({
    mutationFn: () => consultsApi.updateSettings({ defaultDueHours: Number(hours) }),
    onSuccess: (s) => {
      queryClient.setQueryData(consultKeys.settings, s)
      notifications.show({ color: 'green', message: 'Consult settings saved' })
    },
  })
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        save.mutate()
      }}
    >
      <Stack maw={520}>
        <Title order={2} size="h4">
          Consults
        </Title>
        <Text size="sm" c="dimmed">
          A consult to a team goes to the person on its on-call rotation when there is one, otherwise to every member. Unanswered consults past their due time
          are flagged overdue.
        </Text>
        <NumberInput
          label="Default time to answer (hours)"
          description="Used when the asker does not set one"
          min={1}
          max={720}
          allowDecimal={false}
          value={hours}
          onChange={setHours}
          required
          w={260}
        />
        <Button type="submit" loading={save.isPending} disabled={typeof hours !== 'number'} w="fit-content">
          Save
        </Button>
      </Stack>
    </form>
  )
}
