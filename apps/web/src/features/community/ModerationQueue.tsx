import { Alert, Anchor, Badge, Button, Card, Group, Loader, Stack, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery } from '@tanstack/react-query'
import { queryClient, showError } from '../../lib/queries.ts'
import { communityApi, communityKeys, HELD_REASONS } from './community.api.ts'
import { PostFrame } from './PostFrame.tsx'

/** Held posts, oldest first: approve makes them public, reject hides them. */
export function ModerationQueue() {
  const queue = useQuery({ queryKey: communityKeys.queue, queryFn: communityApi.queue })
  const decide = useMutation({
    mutationFn: ({ postId, approve }: { postId: number; approve: boolean }) => (approve ? communityApi.approve(postId) : communityApi.reject(postId)),
    onSuccess: (_topic, { approve }) => {
      notifications.show({ color: 'green', message: approve ? 'Post approved: it is public now' : 'Post rejected: it stays hidden' })
      void queryClient.invalidateQueries({ queryKey: communityKeys.all })
    },
    onError: showError,
  })
  if (queue.isPending) return <Loader aria-label="Loading the moderation queue" />
  if (queue.error) return <Alert color="red">{queue.error.message}</Alert>
  if (!queue.data.items.length)
    return (
      <Text c="dimmed" py="md">
        Nothing waits for moderation. New members' first posts and flagged posts appear here.
      </Text>
    )
  return (
    <Stack gap="sm" aria-label="Moderation queue">
      {queue.data.items.map(({ post, topic }) => (
        <Card key={post.id} withBorder component="article" aria-label={`Held ${post.kind} in ${topic.title}`}>
          <Group justify="space-between" mb="xs">
            <Group gap="xs">
              <Badge color="orange" variant="light">
                {HELD_REASONS[post.heldReason ?? ''] ?? 'Held'}
              </Badge>
              <Text size="sm">
                {post.kind === 'question' ? 'Question' : 'Answer'} in{' '}
                <Anchor href={topic.url} target="_blank" rel="noopener">
                  {topic.title}
                </Anchor>{' '}
                by {post.author ? post.author.name : 'a former member'}
              </Text>
            </Group>
            <Text size="xs" c="dimmed">
              {new Date(post.createdAt).toLocaleString()}
            </Text>
          </Group>
          <PostFrame html={post.bodyHtml} title={`Held ${post.kind} ${post.id}`} />
          <Group mt="sm" gap="xs">
            <Button
              size="xs"
              onClick={() => decide.mutate({ postId: post.id, approve: true })}
              loading={decide.isPending}
              aria-label={`Approve post ${post.id}`}
            >
              Approve
            </Button>
            <Button
              size="xs"
              color="red"
              variant="light"
              onClick={() => decide.mutate({ postId: post.id, approve: false })}
              loading={decide.isPending}
              aria-label={`Reject post ${post.id}`}
            >
              Reject
            </Button>
          </Group>
        </Card>
      ))}
    </Stack>
  )
}
