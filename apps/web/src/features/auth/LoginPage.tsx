import type { MeDto } from '@allhands/contract'
import { Alert, Anchor, Button, Divider, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useNavigate, useSearch } from '@tanstack/react-router'
import { useState } from 'react'
import { api } from '../../lib/api.ts'
import { keys, queryClient } from '../../lib/queries.ts'
import { isChallenge, SSO_START_URL, securityApi, securityKeys } from '../security/security.api.ts'
import { AuthCard } from './AuthCard.tsx'

export function LoginPage() {
  const navigate = useNavigate()
  const { next } = useSearch({ from: '/login' })
  const status = useQuery({ queryKey: keys.setup, queryFn: api.setupStatus })
  const sso = useQuery({ queryKey: securityKeys.ssoLogin, queryFn: securityApi.ssoLoginOptions })
  // Set by the server when a single sign-on is refused; read from the address so the router's search schema stays as is.
  const [ssoError] = useState(() => new URLSearchParams(window.location.search).get('ssoError'))
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [challenge, setChallenge] = useState<string | null>(null)
  const signedIn = (me: MeDto) => {
    queryClient.clear()
    queryClient.setQueryData(keys.me, me)
    void navigate({ to: next ?? '/' })
  }
  const login = useMutation({
    mutationFn: () => securityApi.signIn(email, password),
    meta: { silent: true },
    onSuccess: (res) => (isChallenge(res) ? setChallenge(res.challenge) : signedIn(res)),
  })
  const title = status.data?.workspaceName ? `Sign in to ${status.data.workspaceName}` : 'Sign in'
  if (challenge)
    return (
      <AuthCard title={title} subtitle="Two-factor authentication">
        <SecondStep
          challenge={challenge}
          onSignedIn={signedIn}
          onRestart={() => {
            setChallenge(null)
            setPassword('')
            login.reset()
          }}
        />
      </AuthCard>
    )
  const ssoEnabled = !!sso.data?.enabled
  return (
    <AuthCard title={title}>
      {ssoError && (
        <Alert color="red" role="alert" title="Single sign-on failed" mb="md">
          {ssoError}
        </Alert>
      )}
      {ssoEnabled && (
        <Stack gap="xs" mb="md">
          <Button component="a" href={SSO_START_URL} size="md" variant="filled">
            Sign in with {sso.data?.displayName}
          </Button>
          <Divider label={sso.data?.passwordLoginDisabled ? 'Owners only: sign in with a password' : 'or sign in with a password'} labelPosition="center" />
          {sso.data?.passwordLoginDisabled && (
            <Text size="xs" c="dimmed">
              Password sign-in is kept for workspace owners in case single sign-on is unavailable.
            </Text>
          )}
        </Stack>
      )}
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
          <TextInput
            label="Email"
            type="email"
            required
            autoFocus={!ssoEnabled}
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <PasswordInput label="Password" required autoComplete="current-password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
          <Button type="submit" loading={login.isPending} variant={ssoEnabled ? 'default' : 'filled'}>
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthCard>
  )
}

/** The code step of a 2FA sign-in: an authenticator code, or a recovery code instead. */
function SecondStep({ challenge, onSignedIn, onRestart }: { challenge: string; onSignedIn: (me: MeDto) => void; onRestart: () => void }) {
  const [recovery, setRecovery] = useState(false)
  const [code, setCode] = useState('')
  const verify = useMutation({
    mutationFn: () => securityApi.signInWithCode(challenge, recovery ? code.trim() : code.replace(/\s/g, '')),
    meta: { silent: true },
    onSuccess: onSignedIn,
  })
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        verify.mutate()
      }}
    >
      <Stack>
        {verify.error && (
          <Alert color="red" role="alert">
            {verify.error.message}
          </Alert>
        )}
        {recovery ? (
          <TextInput
            key="recovery"
            label="Recovery code"
            description="One of the codes you saved when you turned on two-factor authentication. Each works once."
            required
            autoFocus
            autoComplete="off"
            spellCheck={false}
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
          />
        ) : (
          <TextInput
            key="totp"
            label="Authentication code"
            description="The six-digit code from your authenticator app."
            required
            autoFocus
            autoComplete="one-time-code"
            inputMode="numeric"
            pattern="[0-9 ]{6,8}"
            maxLength={8}
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
          />
        )}
        <Button type="submit" loading={verify.isPending}>
          Verify
        </Button>
        <Group justify="space-between">
          <Anchor
            component="button"
            type="button"
            size="sm"
            onClick={() => {
              setRecovery(!recovery)
              setCode('')
              verify.reset()
            }}
          >
            {recovery ? 'Use your authenticator app' : 'Use a recovery code'}
          </Anchor>
          <Anchor component="button" type="button" size="sm" onClick={onRestart}>
            Start over
          </Anchor>
        </Group>
      </Stack>
    </form>
  )
}
