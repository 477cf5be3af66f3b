import { Alert, Button, PasswordInput, Stack, Title } from '@mantine/core'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { queryClient } from '../../lib/queries.ts'
import { securityApi, securityKeys } from './security.api.ts'

/** Changing one's password; the server signs out every other session. */
export function ChangePasswordForm() {
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const change = useMutation({
    mutationFn: () => securityApi.changePassword(current, next),
    meta: { silent: true },
    onSuccess: () => {
      setCurrent('')
      setNext('')
      void queryClient.invalidateQueries({ queryKey: securityKeys.sessions })
    },
  })
  return (
    <Stack component="section" aria-labelledby="password-title" maw={360}>
      <Title order={2} size="h4" id="password-title">
        Password
      </Title>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          change.mutate()
        }}
      >
        <Stack gap="xs">
          {change.error && (
            <Alert color="red" role="alert">
              {change.error.message}
            </Alert>
          )}
          {change.isSuccess && (
            <Alert color="green" role="status">
              Password changed. Your other sessions were signed out.
            </Alert>
          )}
          <PasswordInput
            label="Current password"
            required
            autoComplete="current-password"
            value={current}
            onChange={(e) => setCurrent(e.currentTarget.value)}
          />
          <PasswordInput
            label="New password"
            description="At least 8 characters"
            required
            minLength={8}
            autoComplete="new-password"
            value={next}
            onChange={(e) => setNext(e.currentTarget.value)}
          />
          <Button type="submit" loading={change.isPending} style={{ alignSelf: 'start' }}>
            Change password
          </Button>
        </Stack>
      </form>
    </Stack>
  )
}
