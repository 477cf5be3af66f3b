import { NOTIFICATION_GROUP_LABELS, type NotificationEmailMode, type NotificationPreference, type NotificationPreferencesDto } from '@allhands/contract'
import { Alert, Button, Group, Loader, Select, Stack, Switch, Table, Text, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useEffect, useMemo, useState } from 'react'
import { fullTime } from '../../lib/format.ts'
import { queryClient } from '../../lib/queries.ts'
import { notificationKeys, notificationsApi } from './notifications.api.ts'

const EMAIL_OPTIONS: { value: NotificationEmailMode; label: string }[] = [
  { value: 'off', label: 'No email' },
  { value: 'immediately', label: 'Immediately' },
  { value: 'digest', label: 'Daily digest' },
]
const HOURS = Array.from({ length: 24 }, (_, h) => ({ value: String(h), label: `${String(h).padStart(2, '0')}:00` }))
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone
const zones = () => {
  const list = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []
  return ['UTC', ...list.filter((z) => z !== 'UTC')]
}

/** Settings → My notifications: per kind, in the app or not and email off / at once / daily digest; digest timing. */
export function NotificationPreferencesSettings() {
  const saved = useQuery({ queryKey: notificationKeys.preferences, queryFn: notificationsApi.preferences })
  const [draft, setDraft] = useState<NotificationPreferencesDto | null>(null)
  useEffect(() => {
    if (saved.data) setDraft(saved.data)
  }, [saved.data])
  const timeZones = useMemo(zones, [])
  const save = useMutation({
    mutationFn: (d: NotificationPreferencesDto) =>
      notificationsApi.updatePreferences({ preferences: d.preferences, timeZone: d.timeZone, digestHour: d.digestHour }),
    onSuccess: (d) => {
      queryClient.setQueryData(notificationKeys.preferences, d)
      notifications.show({ color: 'green', message: 'Notification preferences saved' })
    },
  })
  if (saved.isError) return <Alert color="red">Preferences could not be loaded: {saved.error.message}</Alert>
  if (!draft) return <Loader size="sm" aria-label="Loading preferences" />
  const change = (group: NotificationPreference['group'], patch: Partial<NotificationPreference>) =>
    setDraft({ ...draft, preferences: draft.preferences.map((p) => (p.group === group ? { ...p, ...patch } : p)) })
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved.data)
  const usesDigest = draft.preferences.some((p) => p.email === 'digest')
  return (
    <Stack gap="md">
      <div>
        <Title order={2} size="h4">
          My notifications
        </Title>
        <Text size="sm" c="dimmed">
          Choose what shows in the notification centre and what reaches you by email. Deactivated accounts get nothing.
        </Text>
      </div>
      <Table withTableBorder verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Kind</Table.Th>
            <Table.Th>In the app</Table.Th>
            <Table.Th>Email</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {draft.preferences.map((p) => (
            <Table.Tr key={p.group}>
              <Table.Td>{NOTIFICATION_GROUP_LABELS[p.group]}</Table.Td>
              <Table.Td>
                <Switch
                  checked={p.inApp}
                  onChange={(e) => change(p.group, { inApp: e.currentTarget.checked })}
                  aria-label={`${NOTIFICATION_GROUP_LABELS[p.group]}: show in the app`}
                />
              </Table.Td>
              <Table.Td>
                <Select
                  data={EMAIL_OPTIONS}
                  value={p.email}
                  onChange={(v) => v && change(p.group, { email: v as NotificationEmailMode })}
                  allowDeselect={false}
                  aria-label={`${NOTIFICATION_GROUP_LABELS[p.group]}: email`}
                  w={180}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group align="end" gap="md">
        <Select
          label="Time zone"
          description="Your daily digest follows this time zone"
          data={timeZones}
          value={draft.timeZone}
          onChange={(v) => v && setDraft({ ...draft, timeZone: v })}
          searchable
          allowDeselect={false}
          w={260}
        />
        <Select
          label="Digest time"
          description="Sent once a day from this hour"
          data={HOURS}
          value={String(draft.digestHour)}
          onChange={(v) => v && setDraft({ ...draft, digestHour: Number(v) })}
          allowDeselect={false}
          w={160}
        />
        {draft.timeZone !== browserZone() && (
          <Button variant="subtle" size="sm" onClick={() => setDraft({ ...draft, timeZone: browserZone() })}>
            Use this browser's time zone ({browserZone()})
          </Button>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        {usesDigest
          ? draft.lastDigestAt
            ? `Last digest sent ${fullTime(draft.lastDigestAt)}.`
            : 'No digest sent yet. A digest lists your unread notifications since the previous one, and is skipped when there are none.'
          : 'Choose "Daily digest" for a kind to get one email a day instead of one per notification.'}
      </Text>
      <Group>
        <Button onClick={() => save.mutate(draft)} loading={save.isPending} disabled={!dirty}>
          Save preferences
        </Button>
        {dirty && (
          <Button variant="default" onClick={() => saved.data && setDraft(saved.data)}>
            Discard changes
          </Button>
        )}
      </Group>
    </Stack>
  )
}
