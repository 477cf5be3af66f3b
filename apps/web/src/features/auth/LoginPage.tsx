import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useNavigate, useSearch } from '@tanstack/react-router'
import { useState } from 'react'
import { api } from '../../lib/api.ts'
import { keys, queryClient } from '../../lib/queries.ts'
import { AuthCard } from './AuthCard.tsx'

export function LoginPage() {
  const navigate = useNavigate()
  const { next } = useSearch({ from: '/login' })
  const status = useQuery({ queryKey: keys.setup, queryFn: api.setupStatus })
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const login = useMutation({
    mutationFn: () => api.login(email, password),
    meta: { silent: true },
    onSuccess: (me) => {
      queryClient.clear()
      queryClient.setQueryData(keys.me, me)
      void navigate({ to: next ?? '/' })
    },
  })
  return (
    <AuthCard title={status.data?.workspaceName ? `Sign in to ${status.data.workspaceName}` : 'Sign in'}>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          login.mutate()
        }}
      >
        <Stack>
          {login.error && (
            <Alert color="red" role="alert">
              {login.error.message}
            </Alert>
          )}
          <TextInput label="Email" type="email" required autoFocus autoComplete="username" value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
          <PasswordInput label="Password" required autoComplete="current-password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
          <Button type="submit" loading={login.isPending}>
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthCard>
  )
}
