import type { PageOf, PageViewDto } from '@allhands/contract'
import { Anchor, Button, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core'
import { useInfiniteQuery } from '@tanstack/react-query'
import { fullTime, relativeTime } from '../../lib/format.ts'
import { useCurrentUser } from '../../lib/queries.ts'
import { chatApi, chatKeys, elapsed, mayChat, safeHttpUrl } from './chat.api.ts'

/** A page title as an external link when its URL is http(s); visitor-supplied text is only ever rendered as text. */
export function PageLink({ url, title, size = 'sm' }: { url: string; title: string; size?: 'xs' | 'sm' }) {
  const href = safeHttpUrl(url)
  const label = title.trim() || url || '(untitled page)'
  if (!href)
    return (
      <Text size={size} span truncate="end">
        {label}
      </Text>
    )
  return (
    <Anchor href={href} target="_blank" rel="noopener noreferrer nofollow" size={size} title={url} style={{ wordBreak: 'break-all' }}>
      {label}
    </Anchor>
  )
}

/** Page views, newest first: title (link), address, when and how long. */
export function PageViewList({ items, label }: { items: PageViewDto[]; label: string }) {
  return (
    <Stack component="ol" gap={8} aria-label={label} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {items.map((v) => (
        <li key={v.id} data-testid="page-view">
          <PageLink url={v.url} title={v.title} />
          <Text size="xs" c="dimmed" truncate="end" title={v.url}>
            {v.url}
          </Text>
          <Text size="xs" c="dimmed">
            <time dateTime={new Date(v.createdAt).toISOString()} title={fullTime(v.createdAt)}>
              {relativeTime(v.createdAt)}
            </time>
            {' · '}
            {v.seconds === null ? 'still there' : elapsed(v.seconds * 1000)}
            {v.referrer && (
              <>
                {' · from '}
                <span title={v.referrer}>{hostOf(v.referrer)}</span>
              </>
            )}
          </Text>
        </li>
      ))}
    </Stack>
  )
}

const hostOf = (url: string) => {
  try {
    return new URL(url).host || url
  } catch {
    return url
  }
}

type Source = { kind: 'visitor'; id: number } | { kind: 'contact'; id: number }

/** Page views of a visitor or a contact, a page at a time ("Load more" follows the cursor). */
export function usePageViews(source: Source, pageSize = 25, enabled = true) {
  return useInfiniteQuery({
    queryKey: [...(source.kind === 'visitor' ? chatKeys.visitorPageViews(source.id) : chatKeys.contactPageViews(source.id)), pageSize],
    queryFn: ({ pageParam }) =>
      source.kind === 'visitor'
        ? chatApi.visitorPageViews(source.id, pageParam || undefined, pageSize)
        : chatApi.contactPageViews(source.id, pageParam || undefined, pageSize),
    initialPageParam: '',
    getNextPageParam: (last: PageOf<PageViewDto>) => last.nextCursor ?? undefined,
    enabled,
    meta: { silent: true },
  })
}

/** Contact page: "Pages visited" on the site, across their visits (support staff only). */
export function ContactPageViewsPanel({ contactId }: { contactId: number }) {
  const user = useCurrentUser()
  const allowed = mayChat(user.role)
  const views = usePageViews({ kind: 'contact', id: contactId }, 25, allowed)
  if (!allowed) return null
  const items = views.data?.pages.flatMap((p) => p.items) ?? []
  return (
    <Paper withBorder p="md" mt="md" component="section" aria-label="Pages visited">
      <Title order={2} size="h5" mb="xs">
        Pages visited
      </Title>
      {views.isPending ? (
        <Loader size="sm" aria-label="Loading pages visited" />
      ) : views.isError ? (
        <Text size="sm" c="red">
          The pages this contact visited could not be loaded.
        </Text>
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No page views yet. They are recorded while this contact browses a site with the chat widget.
        </Text>
      ) : (
        <>
          <PageViewList items={items} label="Pages visited, newest first" />
          {views.hasNextPage && (
            <Group mt="sm">
              <Button variant="default" size="xs" onClick={() => void views.fetchNextPage()} loading={views.isFetchingNextPage}>
                Load more
              </Button>
            </Group>
          )}
        </>
      )}
    </Paper>
  )
}
