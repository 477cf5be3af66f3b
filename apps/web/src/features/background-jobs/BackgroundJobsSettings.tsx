import type { BackgroundJobDto, BackgroundJobSummaryDto, JobListQuery } from '@allhands/contract'
import { Alert, Badge, Button, Group, Loader, Select, Stack, Table, Text, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconCircleCheck, IconRefresh } from '@tabler/icons-react'
import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { queryClient } from '../../lib/queries.ts'
import { DeadJobRow } from './DeadJobRow.tsx'
import { JOBS_REFRESH_MS, jobKeys, jobsApi } from './background-jobs.api.ts'
import { ConfirmModal } from '../../lib/confirm-modal.tsx'

type Kind = { name: string; label: string }

// The view polls while open and refreshes when the window regains focus, so a retried job visibly leaves the list.
const live = { refetchInterval: JOBS_REFRESH_MS, refetchOnWindowFocus: true } as const

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`

function StatusBadges({ summary }: { summary: BackgroundJobSummaryDto }) {
  const { pending, running, dead } = summary.counts
  const capped = (n: number) => (n > summary.countCap ? `${summary.countCap.toLocaleString('en-US')}+` : n.toLocaleString('en-US'))
  return (
    <Group gap="xs" role="list" aria-label="Background jobs by status">
      <Badge role="listitem" size="lg" variant="light" color={dead ? 'red' : 'gray'}>
        Failed: {dead.toLocaleString('en-US')}
      </Badge>
      <Badge role="listitem" size="lg" variant="light" color="blue">
        Queued: {capped(pending)}
      </Badge>
      <Badge role="listitem" size="lg" variant="light" color="teal">
        Running: {capped(running)}
      </Badge>
    </Group>
  )
}

/**
 * Settings → Background jobs (admins): how many jobs wait, run and failed for good, and the failed ones (dead letters)
 * newest first, with their error and payload, to retry (after fixing the cause) or discard.
 */
export function BackgroundJobsSettings() {
  const [kind, setKind] = useState<Kind | null>(null)
  const [discarding, setDiscarding] = useState<BackgroundJobDto | null>(null)
  const [confirmRetryAll, setConfirmRetryAll] = useState(false)
  // Only a refresh asked for shows as loading: the polling every few seconds stays quiet.
  const [refreshing, setRefreshing] = useState(false)
  const summary = useQuery({ queryKey: jobKeys.summary, queryFn: jobsApi.summary, ...live })
  const query: JobListQuery = kind ? { status: 'dead', name: kind.name } : { status: 'dead' }
  const dead = useInfiniteQuery({
    queryKey: jobKeys.list(query),
    queryFn: ({ pageParam }) => jobsApi.list({ ...query, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    ...live,
  })
  const refresh = () => queryClient.invalidateQueries({ queryKey: jobKeys.all })
  const retry = useMutation({
    mutationFn: (job: BackgroundJobDto) => jobsApi.retry(job.id),
    onSuccess: (_r, job) => notifications.show({ color: 'green', message: `${job.label} (job ${job.id}) is queued to run again.` }),
    onSettled: refresh,
  })
  const retryAll = useMutation({
    mutationFn: () => jobsApi.retryAll(kind?.name),
    onSuccess: (r) => {
      setConfirmRetryAll(false)
      notifications.show({ color: 'green', message: `${plural(r.retried, 'job is', 'jobs are')} queued to run again.` })
    },
    onSettled: refresh,
  })
  const discard = useMutation({
    mutationFn: (job: BackgroundJobDto) => jobsApi.discard(job.id),
    onSuccess: (_r, job) => {
      setDiscarding(null)
      notifications.show({ color: 'gray', message: `Job ${job.id} was discarded.` })
    },
    onSettled: refresh,
  })

  const kinds = summary.data?.deadByName ?? []
  const kindOptions = kinds.map((k) => ({ value: k.name, label: `${k.label} (${k.count.toLocaleString('en-US')})` }))
  if (kind && !kinds.some((k) => k.name === kind.name)) kindOptions.push({ value: kind.name, label: `${kind.label} (0)` })
  const deadCount = kind ? (kinds.find((k) => k.name === kind.name)?.count ?? 0) : (summary.data?.counts.dead ?? 0)
  const jobs = dead.data?.pages.flatMap((p) => p.items) ?? []

  return (
    <Stack>
      <Stack gap={2}>
        <Title order={2} size="h4">
          Background jobs
        </Title>
        <Text size="sm" c="dimmed">
          Emails, surveys, report updates and other work run in the background. A job that fails is retried with growing pauses; once it has used up its
          attempts it stops and is listed here. Fix the cause (e.g. the SMTP settings of an inbox), then retry it, or discard it.
        </Text>
      </Stack>
      <Group justify="space-between">
        {summary.isPending ? <Loader size="sm" aria-label="Loading job counts" /> : summary.data ? <StatusBadges summary={summary.data} /> : <span />}
        <Button
          size="xs"
          variant="default"
          loading={refreshing}
          aria-label="Refresh background jobs"
          onClick={() => {
            setRefreshing(true)
            void refresh().finally(() => setRefreshing(false))
          }}
        >
          Refresh
        </Button>
      </Group>
      <Group align="end" justify="space-between">
        <Select
          label="Kind"
          placeholder="All kinds"
          data={kindOptions}
          value={kind?.name ?? null}
          onChange={(name) => setKind(name ? { name, label: kinds.find((k) => k.name === name)?.label ?? name } : null)}
          clearable
          searchable
          w={320}
          nothingFoundMessage="No failed jobs of that kind"
        />
        <Button
          leftSection={<IconRefresh size={16} />}
          disabled={deadCount === 0}
          onClick={() => setConfirmRetryAll(true)}
          aria-label={kind ? `Retry all failed ${kind.label} jobs` : 'Retry all failed jobs'}
        >
          Retry all{deadCount ? ` (${deadCount.toLocaleString('en-US')})` : ''}
        </Button>
      </Group>
      {dead.isError && (
        <Alert color="red" title="Failed jobs could not be loaded">
          {dead.error.message}{' '}
          <Button size="compact-xs" variant="light" onClick={() => void dead.refetch()}>
            Try again
          </Button>
        </Alert>
      )}
      {dead.isPending ? (
        <Loader size="sm" aria-label="Loading failed jobs" />
      ) : jobs.length === 0 && !dead.isError ? (
        <Alert color="green" variant="light" icon={<IconCircleCheck size={18} />} title="Nothing failed" data-testid="background-jobs-empty">
          {kind ? `No failed “${kind.label}” jobs.` : 'No failed background jobs — everything that was queued ran.'}
        </Alert>
      ) : (
        <>
          <Table aria-label="Failed background jobs" verticalSpacing="xs" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Job</Table.Th>
                <Table.Th>Attempts</Table.Th>
                <Table.Th>Last error</Table.Th>
                <Table.Th>Failed</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {jobs.map((job) => (
                <DeadJobRow
                  key={job.id}
                  job={job}
                  retrying={retry.isPending && retry.variables?.id === job.id}
                  onRetry={(j) => retry.mutate(j)}
                  onDiscard={setDiscarding}
                />
              ))}
            </Table.Tbody>
          </Table>
          {dead.hasNextPage && (
            <Button variant="default" w="fit-content" loading={dead.isFetchingNextPage} onClick={() => void dead.fetchNextPage()}>
              Load more
            </Button>
          )}
        </>
      )}
      <ConfirmModal
        opened={confirmRetryAll}
        onClose={() => setConfirmRetryAll(false)}
        title="Retry all failed jobs?"
        confirmLabel="Retry all"
        loading={retryAll.isPending}
        onConfirm={() => retryAll.mutate()}
      >
        {plural(deadCount, kind ? `failed “${kind.label}” job` : 'failed job', kind ? `failed “${kind.label}” jobs` : 'failed jobs')} will run again right away,
        each with a fresh set of attempts. Emails among them go out when they succeed.
      </ConfirmModal>
      <ConfirmModal
        opened={!!discarding}
        onClose={() => setDiscarding(null)}
        title="Discard this job?"
        confirmLabel="Discard"
        danger
        loading={discard.isPending}
        onConfirm={() => discarding && discard.mutate(discarding)}
      >
        “{discarding?.label}” (job {discarding?.id}) will never run. Its error and payload stay in the audit log.
      </ConfirmModal>
    </Stack>
  )
}
