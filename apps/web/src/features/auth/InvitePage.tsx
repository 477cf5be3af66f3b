import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useNavigate, useParams } from '@tanstack/react-router'
import { useState } from 'react'
import { api } from '../../lib/api.ts'
import { keys, queryClient } from '../../lib/queries.ts'
import { AuthCard } from './AuthCard.tsx'

export function InvitePage() {
  const { token } = useParams({ from: '/invite/$token' })
  const navigate = useNavigate()
  const invite = useQuery({ queryKey: ['invite', token], queryFn: () => api.describeInvite(token), meta: { silent: true }, retry: false })
  const [name, setName] = useState('')
  const [password, setPassword] = useState('')
  const accept = useMutation({
    mutationFn: () => api.acceptInvite(token, name, password),
    onSuccess: (me) => {
      queryClient.clear()
      queryClient.setQueryData(keys.me, me)
      void navigate({ to: '/' })
    },
  })
  const expired = invite.data && (invite.data.acceptedAt !== null || invite.data.expiresAt < Date.now())
  return (
    <AuthCard title="Join the help desk" subtitle={invite.data ? `You were invited as ${invite.data.role} (${invite.data.email}).` : undefined}>
      {invite.isError || expired ? (
        <Alert color="red" role="alert">
          This invitation is not valid any more. Ask an administrator for a new link.
        </Alert>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            accept.mutate()
          }}
        >
          <Stack>
            <TextInput label="Your name" required autoFocus value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <PasswordInput
              label="Choose a password"
              description="At least 8 characters"
              required
              minLength={8}
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <Button type="submit" loading={accept.isPending} disabled={!invite.data}>
              Accept invitation
            </Button>
          </Stack>
        </form>
      )}
    </AuthCard>
  )
}
