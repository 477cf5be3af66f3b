import { Alert, Badge, Button, Group, Loader, Stack, Text, Title } from '@mantine/core'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { fullTime } from '../../lib/format.ts'
import { queryClient } from '../../lib/queries.ts'
import { ReauthForm } from './ReauthForm.tsx'
import { RecoveryCodes } from './RecoveryCodes.tsx'
import { securityApi, securityKeys } from './security.api.ts'
import { TwoFactorEnrolment } from './TwoFactorEnrolment.tsx'

/** The person's own 2FA: enrol, regenerate recovery codes, turn off. */
export function TwoFactorSection() {
  const status = useQuery({ queryKey: securityKeys.status, queryFn: securityApi.status })
  const [action, setAction] = useState<'disable' | 'regenerate' | null>(null)
  const refresh = () => queryClient.invalidateQueries({ queryKey: securityKeys.status })
  const disable = useMutation({
    mutationFn: securityApi.disable,
    meta: { silent: true },
    onSuccess: () => {
      setAction(null)
      void refresh()
    },
  })
  const regenerate = useMutation({
    mutationFn: securityApi.regenerateRecoveryCodes,
    meta: { silent: true },
    onSuccess: () => {
      setAction(null)
      void refresh()
    },
  })
  const s = status.data
  return (
    <Stack component="section" aria-labelledby="two-factor-title">
      <Group gap="sm">
        <Title order={2} size="h4" id="two-factor-title">
          Two-factor authentication
        </Title>
        {s && <Badge color={s.enabled ? 'green' : 'gray'}>{s.enabled ? 'On' : 'Off'}</Badge>}
      </Group>
      {!s ? (
        <Loader size="sm" aria-label="Loading" />
      ) : !s.enabled ? (
        <>
          <Text size="sm" c="dimmed">
            Sign-in will ask for a code from an app on your phone as well as your password.
            {s.required && ' Your role must use it.'}
          </Text>
          <TwoFactorEnrolment onDone={() => void refresh()} />
        </>
      ) : (
        <>
          <Text size="sm">
            On since {s.enabledAt ? fullTime(s.enabledAt) : '—'}. {s.recoveryCodesRemaining} of 10 recovery codes left.
          </Text>
          {s.recoveryCodesRemaining <= 3 && (
            <Alert color="yellow" role="status">
              You are running out of recovery codes: make new ones.
            </Alert>
          )}
          {regenerate.data && <RecoveryCodes codes={regenerate.data.recoveryCodes} />}
          {action === null && (
            <Group>
              <Button variant="default" onClick={() => setAction('regenerate')}>
                New recovery codes
              </Button>
              {!s.required && (
                <Button variant="default" color="red" onClick={() => setAction('disable')}>
                  Turn off
                </Button>
              )}
            </Group>
          )}
          {action === 'regenerate' && (
            <ReauthForm
              submitLabel="Make new recovery codes"
              pending={regenerate.isPending}
              error={regenerate.error}
              onSubmit={(input) => regenerate.mutate(input)}
              onCancel={() => setAction(null)}
            />
          )}
          {action === 'disable' && (
            <ReauthForm
              submitLabel="Turn off two-factor authentication"
              color="red"
              pending={disable.isPending}
              error={disable.error}
              onSubmit={(input) => disable.mutate(input)}
              onCancel={() => setAction(null)}
            />
          )}
        </>
      )}
    </Stack>
  )
}
