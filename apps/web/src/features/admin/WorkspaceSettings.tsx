import { Button, Select, Stack, Switch, TextInput, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import type { SettingsDto } from '@allhands/contract'
import { api } from '../../lib/api.ts'
import { keys, queryClient, useInboxes } from '../../lib/queries.ts'

export function WorkspaceSettings() {
  const settings = useQuery({ queryKey: keys.settings, queryFn: api.settings })
  const inboxes = useInboxes()
  const [form, setForm] = useState<SettingsDto | null>(null)
  useEffect(() => {
    if (settings.data) setForm(settings.data)
  }, [settings.data])
  const save = useMutation({
    mutationFn: (s: SettingsDto) =>
      api.updateSettings({ workspaceName: s.workspaceName, webFormEnabled: s.webFormEnabled, webFormTitle: s.webFormTitle, webFormInboxId: s.webFormInboxId }),
    onSuccess: (s) => {
      queryClient.setQueryData(keys.settings, s)
      void queryClient.invalidateQueries({ queryKey: keys.me })
      notifications.show({ color: 'green', message: 'Settings saved' })
    },
  })
  if (!form) return null
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        save.mutate(form)
      }}
    >
      <Stack maw={520}>
        <Title order={2} size="h4">
          Workspace
        </Title>
        <TextInput label="Workspace name" required value={form.workspaceName} onChange={(e) => setForm({ ...form, workspaceName: e.currentTarget.value })} />
        <Title order={3} size="h5" mt="md">
          Public web form
        </Title>
        <Switch
          label="Customers can open tickets at /form"
          checked={form.webFormEnabled}
          onChange={(e) => setForm({ ...form, webFormEnabled: e.currentTarget.checked })}
        />
        <TextInput label="Form title" value={form.webFormTitle} onChange={(e) => setForm({ ...form, webFormTitle: e.currentTarget.value })} />
        <Select
          label="Inbox for web form tickets"
          data={(inboxes.data ?? []).map((i) => ({ value: String(i.id), label: i.name }))}
          value={form.webFormInboxId ? String(form.webFormInboxId) : null}
          onChange={(v) => setForm({ ...form, webFormInboxId: v ? Number(v) : null })}
          clearable
        />
        <Button type="submit" loading={save.isPending} w="fit-content">
          Save
        </Button>
      </Stack>
    </form>
  )
}
