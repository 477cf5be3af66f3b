import { Button } from '@mantine/core'
import { useMutation } from '@tanstack/react-query'
import { notifications } from '@mantine/notifications'
import { securityApi } from './security.api.ts'

/** On the user admin page: signs a person out of every session (lost device, leaver). */
export function RevokeUserSessionsButton({ user }: { user: { id: number; name: string } }) {
  const revoke = useMutation({
    mutationFn: () => securityApi.revokeUserSessions(user.id),
    onSuccess: ({ revoked }) =>
      notifications.show({ color: 'green', message: `${user.name} was signed out of ${revoked} session${revoked === 1 ? '' : 's'}.` }),
  })
  return (
    <Button
      size="xs"
      variant="subtle"
      color="red"
      aria-label={`Sign ${user.name} out everywhere`}
      loading={revoke.isPending}
      onClick={() => {
        if (window.confirm(`Sign ${user.name} out of every session?`)) revoke.mutate()
      }}
    >
      Sign out everywhere
    </Button>
  )
}
