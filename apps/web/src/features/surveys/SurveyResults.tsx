import type { QuestionResult } from '@allhands/contract'
import { BarChart } from '@mantine/charts'
import { Alert, Button, Card, Group, Loader, Stack, Table, Text, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { relativeTime } from '../../lib/format.ts'
import { isStaff, useCurrentUser } from '../../lib/queries.ts'
import { LinkToItemDialog } from '../voc/LinkToItemDialog.tsx'
import { surveyKeys, surveysApi } from './surveys.api.ts'

/** A chart with its numbers as a table for screen readers (the chart itself is hidden from them). */
export function ChartWithTable({ label, rows, unit }: { label: string; rows: { option: string; count: number }[]; unit: string }) {
  return (
    <>
      <div aria-hidden>
        <BarChart
          h={Math.max(140, rows.length * 34)}
          data={rows}
          dataKey="option"
          orientation="vertical"
          yAxisProps={{ width: 180 }}
          series={[{ name: 'count', label: unit, color: 'indigo.6' }]}
        />
      </div>
      <Table className="visually-hidden" style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }} aria-label={label}>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.option}>
              <Table.Th scope="row">{r.option}</Table.Th>
              <Table.Td>{r.count}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  )
}

function QuestionCard({ q }: { q: QuestionResult }) {
  const staff = isStaff(useCurrentUser().role)
  const [linking, setLinking] = useState<{ responseId: number; quote: string } | null>(null)
  return (
    <Card withBorder>
      {linking && (
        <LinkToItemDialog
          target={{ surveyResponseId: linking.responseId }}
          initialQuote={linking.quote.slice(0, 2000)}
          canCreate
          linkedItemIds={[]}
          onClose={() => setLinking(null)}
        />
      )}
      <Group justify="space-between" mb="xs" align="start">
        <Title order={3} size="h6">
          {q.label}
        </Title>
        <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
          {q.answered} answer{q.answered === 1 ? '' : 's'}
          {q.average !== null ? ` · average ${q.average.toFixed(1)} / 5` : ''}
        </Text>
      </Group>
      {q.kind === 'text' ? (
        q.texts.length ? (
          <Stack gap={6}>
            {q.texts.map((t) => (
              <Group key={t.responseId} gap="xs" wrap="nowrap" align="start" justify="space-between">
                <Text size="sm" style={{ whiteSpace: 'pre-wrap', borderLeft: '3px solid var(--mantine-color-default-border)', paddingLeft: 8 }}>
                  {t.value}{' '}
                  <Text span size="xs" c="dimmed">
                    {relativeTime(t.createdAt)}
                  </Text>
                </Text>
                {staff && (
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    style={{ flexShrink: 0 }}
                    aria-label={`Link this answer to a voice-of-customer item: ${t.value.slice(0, 60)}`}
                    onClick={() => setLinking({ responseId: t.responseId, quote: t.value })}
                  >
                    Link to item
                  </Button>
                )}
              </Group>
            ))}
          </Stack>
        ) : (
          <Text size="sm" c="dimmed">
            No written answers yet.
          </Text>
        )
      ) : (
        <ChartWithTable label={q.label} rows={q.distribution} unit="Answers" />
      )}
    </Card>
  )
}

/** Results of one survey, per question. */
export function SurveyResults({ surveyId }: { surveyId: number }) {
  const results = useQuery({ queryKey: surveyKeys.results(surveyId), queryFn: () => surveysApi.results(surveyId) })
  if (results.isPending) return <Loader size="sm" aria-label="Loading results" />
  if (!results.data) return null
  if (!results.data.responses)
    return (
      <Alert color="gray" title="No answers yet">
        Open the survey and send it to a segment of contacts, or share its public link.
      </Alert>
    )
  return (
    <Stack>
      <Text size="sm">
        {results.data.responses} response{results.data.responses === 1 ? '' : 's'}
      </Text>
      {results.data.questions.map((q) => (
        <QuestionCard key={q.id} q={q} />
      ))}
    </Stack>
  )
}
