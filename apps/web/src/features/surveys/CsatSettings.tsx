import type { CsatSettingsDto } from '@allhands/contract'
import { Button, Group, Loader, NumberInput, SegmentedControl, Stack, Switch, Text, Textarea, TextInput, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { queryClient } from '../../lib/queries.ts'
import { PurchaseCategoriesEditor } from './PurchaseCategoriesEditor.tsx'
import { surveyKeys, surveysApi } from './surveys.api.ts'

const PLACEHOLDERS = '{{ticket.number}}, {{ticket.subject}} and {{requester.firstName}} are filled in.'

/** Admin settings: the CSAT email after a solve (delay, scale, expiry, wording) and the "why did you buy?" categories. */
export function CsatSettings() {
  const settings = useQuery({ queryKey: surveyKeys.csatSettings, queryFn: surveysApi.csatSettings })
  const [form, setForm] = useState<CsatSettingsDto | null>(null)
  useEffect(() => {
    if (settings.data) setForm(settings.data)
  }, [settings.data])
  const save = useMutation({
    mutationFn: (input: CsatSettingsDto) => surveysApi.updateCsatSettings(input),
    onSuccess: (s) => {
      queryClient.setQueryData(surveyKeys.csatSettings, s)
      notifications.show({ color: 'green', message: 'Survey settings saved' })
    },
  })
  if (!form) return <Loader size="sm" aria-label="Loading survey settings" />
  const set = <K extends keyof CsatSettingsDto>(key: K, value: CsatSettingsDto[K]) => setForm({ ...form, [key]: value })
  return (
    <Stack maw={620} gap="xl">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          save.mutate(form)
        }}
      >
        <Stack>
          <Title order={2} size="h4">
            Satisfaction surveys
          </Title>
          <Text size="sm" c="dimmed">
            After a ticket is solved, the requester gets one email with a rating link per answer. Bouncing and automated addresses (noreply…) and merged tickets
            are skipped; each solve is rated at most once.
          </Text>
          <Switch label="Send a satisfaction survey after each solve" checked={form.enabled} onChange={(e) => set('enabled', e.currentTarget.checked)} />
          <Group align="end">
            <NumberInput
              label="Delay after the solve (minutes)"
              min={0}
              max={10080}
              allowDecimal={false}
              value={form.delayMinutes}
              onChange={(v) => set('delayMinutes', Number(v) || 0)}
              w={220}
            />
            <NumberInput
              label="Links expire after (days)"
              min={1}
              max={90}
              allowDecimal={false}
              value={form.expiryDays}
              onChange={(v) => set('expiryDays', Number(v) || 1)}
              w={200}
            />
          </Group>
          <div>
            <Text size="sm" fw={500} mb={4} id="csat-scale-label">
              Scale
            </Text>
            <SegmentedControl
              aria-labelledby="csat-scale-label"
              value={form.scale}
              onChange={(v) => set('scale', v as CsatSettingsDto['scale'])}
              data={[
                { value: '3', label: 'Good / okay / bad' },
                { value: '5', label: '1 to 5' },
              ]}
            />
          </div>
          <TextInput
            label="Email subject"
            description={PLACEHOLDERS}
            value={form.subject}
            onChange={(e) => set('subject', e.currentTarget.value)}
            required
            maxLength={200}
          />
          <Textarea
            label="Introduction"
            value={form.intro}
            onChange={(e) => set('intro', e.currentTarget.value)}
            autosize
            minRows={2}
            required
            maxLength={2000}
          />
          <TextInput label="Question" value={form.question} onChange={(e) => set('question', e.currentTarget.value)} required maxLength={300} />
          <Button type="submit" loading={save.isPending} w="fit-content">
            Save
          </Button>
        </Stack>
      </form>
      <PurchaseCategoriesEditor />
    </Stack>
  )
}
