import { Alert, Button, Code, Group, Image, Stack, Text, TextInput } from '@mantine/core'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { queryClient } from '../../lib/queries.ts'
import { RecoveryCodes } from './RecoveryCodes.tsx'
import { securityApi, securityKeys } from './security.api.ts'

/** Turning 2FA on: scan the QR code (or type the key), confirm with a current code, then save the recovery codes. */
export function TwoFactorEnrolment({ onDone }: { onDone: () => void }) {
  const [code, setCode] = useState('')
  const start = useMutation({ mutationFn: securityApi.startEnrolment, meta: { silent: true } })
  const confirm = useMutation({
    mutationFn: () => securityApi.confirmEnrolment(code.replace(/\s/g, '')),
    meta: { silent: true },
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: securityKeys.sessions }),
  })

  if (confirm.data)
    return (
      <Stack>
        <Alert color="green" role="status">
          Two-factor authentication is on. You were signed out everywhere else.
        </Alert>
        <RecoveryCodes codes={confirm.data.recoveryCodes} />
        <Group>
          <Button
            onClick={() => {
              void queryClient.invalidateQueries({ queryKey: securityKeys.status })
              onDone()
            }}
          >
            I saved my recovery codes
          </Button>
        </Group>
      </Stack>
    )

  if (!start.data)
    return (
      <Stack align="start">
        {start.error && (
          <Alert color="red" role="alert">
            {start.error.message}
          </Alert>
        )}
        <Button onClick={() => start.mutate()} loading={start.isPending}>
          Set up two-factor authentication
        </Button>
      </Stack>
    )

  return (
    <Stack>
      <Text size="sm">1. Scan this QR code with an authenticator app (1Password, Google Authenticator, Aegis…), or enter the key by hand.</Text>
      <Image src={start.data.qrCodeDataUrl} alt="QR code for your authenticator app" w={200} h={200} fit="contain" bg="white" />
      <Text size="sm">
        Key:{' '}
        <Code aria-label="Secret key" data-testid="two-factor-secret">
          {start.data.secret}
        </Code>
      </Text>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          confirm.mutate()
        }}
      >
        <Stack gap="xs">
          <Text size="sm">2. Enter the six-digit code the app shows.</Text>
          {confirm.error && (
            <Alert color="red" role="alert">
              {confirm.error.message}
            </Alert>
          )}
          <Group align="end">
            <TextInput
              label="Code from your app"
              required
              autoComplete="one-time-code"
              inputMode="numeric"
              pattern="[0-9 ]{6,8}"
              maxLength={8}
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
            />
            <Button type="submit" loading={confirm.isPending}>
              Turn on
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  )
}
