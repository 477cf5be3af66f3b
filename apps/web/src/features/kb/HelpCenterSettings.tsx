import type { KbSettingsDto } from '@allhands/contract'
import { Alert, Anchor, Button, ColorInput, Group, Loader, Stack, TagsInput, Text, TextInput, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { RouterAnchor } from '../../lib/links.tsx'
import { queryClient, showError } from '../../lib/queries.ts'
import { kbApi, kbKeys } from './kb.api.ts'

/** Admin settings of the public help center: its title, logo, colours and languages (first one the default). */
export function HelpCenterSettings() {
  const current = useQuery({ queryKey: kbKeys.settings, queryFn: kbApi.settings })
  const [form, setForm] = useState<KbSettingsDto | null>(null)
  useEffect(() => {
    if (current.data && !form) setForm(current.data)
  }, [current.data, form])
  const save = useMutation({
    mutationFn: (input: KbSettingsDto) => kbApi.saveSettings(input),
    onSuccess: (saved) => {
      queryClient.setQueryData(kbKeys.settings, saved)
      setForm(saved)
      notifications.show({ color: 'green', message: 'Help center settings saved' })
    },
    onError: showError,
  })
  if (current.error) return <Alert color="red">{current.error.message}</Alert>
  if (!form) return <Loader aria-label="Loading help center settings" />
  const set = (patch: Partial<KbSettingsDto>) => setForm({ ...form, ...patch })
  return (
    <Stack maw={560}>
      <Title order={3}>Help center</Title>
      <Text size="sm" c="dimmed">
        The public help center lives at{' '}
        <Anchor href="/help" target="_blank" rel="noopener">
          /help
        </Anchor>
        . Write and publish articles in the <RouterAnchor to="/kb">knowledge base</RouterAnchor>.
      </Text>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          save.mutate({ ...form, logoUrl: form.logoUrl?.trim() || null })
        }}
      >
        <Stack>
          <TextInput label="Title" value={form.title} onChange={(e) => set({ title: e.currentTarget.value })} required maxLength={120} />
          <TextInput
            label="Logo URL"
            description="An https:// address of the image, or empty for none"
            value={form.logoUrl ?? ''}
            onChange={(e) => set({ logoUrl: e.currentTarget.value })}
          />
          <Group grow>
            <ColorInput label="Header colour" value={form.primaryColor} onChange={(v) => set({ primaryColor: v })} format="hex" />
            <ColorInput label="Link and button colour" value={form.accentColor} onChange={(v) => set({ accentColor: v })} format="hex" />
          </Group>
          <TagsInput
            label="Languages"
            description="Language codes such as en, de, fr; the first is the default"
            value={form.languages}
            onChange={(v) => set({ languages: v.map((l) => l.trim()).filter(Boolean) })}
          />
          <Button type="submit" loading={save.isPending} w="fit-content">
            Save
          </Button>
        </Stack>
      </form>
    </Stack>
  )
}
