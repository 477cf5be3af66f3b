import { Button, Code, Stack, Text, Textarea, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { queryClient, showError } from '../../lib/queries.ts'
import { useVocSettings, vocApi, vocKeys } from './voc.api.ts'

const PLACEHOLDERS = ['{{requester.firstName}}', '{{item.title}}', '{{ticket.number}}', '{{agent.name}}']

/** Admin settings: the close-the-loop reply prepared for each customer when an item ships. */
export function VocSettings() {
  const settings = useVocSettings()
  const [template, setTemplate] = useState('')
  useEffect(() => {
    if (settings.data) setTemplate(settings.data.shippedTemplate)
  }, [settings.data])
  const save = useMutation({
    mutationFn: () => vocApi.updateSettings({ shippedTemplate: template }),
    onSuccess: (s) => {
      queryClient.setQueryData(vocKeys.settings, s)
      notifications.show({ color: 'green', message: 'Voice-of-customer template saved' })
    },
    onError: showError,
  })
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        save.mutate()
      }}
    >
      <Stack maw={640}>
        <Title order={2} size="h4">
          Voice of customer
        </Title>
        <Text size="sm" c="dimmed">
          When an item moves to Shipped, one reply from this template is prepared for every customer who raised it, on their most recent linked ticket. Agents
          review, edit and send them from the item page; replies follow the sender's review rules.
        </Text>
        <Textarea
          label="Close-the-loop template"
          description={
            <>
              Placeholders:{' '}
              {PLACEHOLDERS.map((p) => (
                <Code key={p} mr={4}>
                  {p}
                </Code>
              ))}
            </>
          }
          autosize
          minRows={6}
          maxRows={16}
          maxLength={5000}
          required
          value={template}
          onChange={(e) => setTemplate(e.currentTarget.value)}
        />
        <Button type="submit" loading={save.isPending} disabled={!template.trim()} w="fit-content">
          Save
        </Button>
      </Stack>
    </form>
  )
}
