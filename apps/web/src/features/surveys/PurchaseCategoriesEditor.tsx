import { Button, Loader, Stack, TagsInput, Text, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { queryClient } from '../../lib/queries.ts'
import { surveyKeys, surveysApi } from './surveys.api.ts'

/** The reasons customers choose from in the "why did you buy?" survey; earlier answers keep their wording. */
export function PurchaseCategoriesEditor() {
  const summary = useQuery({ queryKey: surveyKeys.purchase, queryFn: surveysApi.purchaseSummary })
  const [categories, setCategories] = useState<string[]>([])
  useEffect(() => setCategories(summary.data?.survey.questions.find((q) => q.id === 'reasons')?.options ?? []), [summary.data])
  const save = useMutation({
    mutationFn: () => surveysApi.setPurchaseCategories(categories),
    onSuccess: (s) => {
      queryClient.setQueryData(surveyKeys.purchase, s)
      notifications.show({ color: 'green', message: 'Purchase reasons saved' })
    },
  })
  return (
    <Stack>
      <Title order={2} size="h4">
        "Why did you buy?" reasons
      </Title>
      <Text size="sm" c="dimmed">
        Your shop or billing system triggers this survey with <code>POST /api/v1/surveys/purchase-reason</code>; it is also open to anyone at{' '}
        {summary.data ? <code>{summary.data.survey.url}</code> : 'its public link'}.
      </Text>
      {summary.isPending ? (
        <Loader size="sm" aria-label="Loading purchase reasons" />
      ) : (
        <TagsInput label="Reasons to choose from" description="Press Enter after each reason" value={categories} onChange={setCategories} maxTags={20} />
      )}
      <Button w="fit-content" onClick={() => save.mutate()} loading={save.isPending} disabled={!categories.length}>
        Save reasons
      </Button>
    </Stack>
  )
}
