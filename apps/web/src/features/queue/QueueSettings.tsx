import { Button, Group, Loader, NumberInput, Paper, Stack, Switch, Text, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { queryClient } from '../../lib/queries.ts'
import { queueApi, queueKeys } from './queue.api.ts'

/** Settings → Rotation queue: auto-assignment on or off, and how many open tickets one person may hold. */
export function QueueSettings() {
  const settings = useQuery({ queryKey: queueKeys.settings, queryFn: queueApi.settings })
  const [autoAssign, setAutoAssign] = useState(false)
  const [cap, setCap] = useState<number>(3)
  useEffect(() => {
    if (!settings.data) return
    setAutoAssign(settings.data.autoAssign)
    setCap(settings.data.capPerPerson)
  }, [settings.data])
  const save = useMutation({
    mutationFn: () => queueApi.updateSettings({ autoAssign, capPerPerson: cap }),
    onSuccess: (s) => {
      queryClient.setQueryData(queueKeys.settings, s)
      notifications.show({ color: 'teal', message: 'Rotation queue settings saved' })
    },
  })
  return (
    <Stack>
      <Title order={2} size="h4">
        Rotation queue
      </Title>
      <Text size="sm" c="dimmed">
        People on shift take waiting tickets from the queue themselves. With auto-assignment, new and waiting tickets are also handed out round-robin to people
        on shift who are cleared for their risk and certified for their category, least recently assigned first, up to the cap.
      </Text>
      {settings.isLoading ? (
        <Loader size="sm" aria-label="Loading queue settings" />
      ) : (
        <Paper withBorder p="md">
          <form
            onSubmit={(e) => {
              e.preventDefault()
              save.mutate()
            }}
          >
            <Stack>
              <Switch
                label="Assign waiting tickets automatically to people on shift"
                checked={autoAssign}
                onChange={(e) => setAutoAssign(e.currentTarget.checked)}
              />
              <NumberInput
                label="Open tickets per person"
                description="Nobody is given more while they hold this many unsolved tickets"
                min={1}
                max={100}
                w={260}
                value={cap}
                onChange={(v) => typeof v === 'number' && setCap(v)}
              />
              <Group>
                <Button type="submit" loading={save.isPending}>
                  Save
                </Button>
              </Group>
            </Stack>
          </form>
        </Paper>
      )}
    </Stack>
  )
}
