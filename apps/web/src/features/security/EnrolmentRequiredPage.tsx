import { Anchor, Stack, Text } from '@mantine/core'
import { useNavigate } from '@tanstack/react-router'
import { api } from '../../lib/api.ts'
import { queryClient } from '../../lib/queries.ts'
import { AuthCard } from '../auth/AuthCard.tsx'
import { TwoFactorEnrolment } from './TwoFactorEnrolment.tsx'

/** Where a person whose role requires 2FA lands after signing in until they turn it on. */
export function EnrolmentRequiredPage() {
  const navigate = useNavigate()
  return (
    <AuthCard title="Set up two-factor authentication" subtitle="Your workspace requires it for your role before you can continue.">
      <Stack>
        <TwoFactorEnrolment
          onDone={() => {
            queryClient.clear()
            void navigate({ to: '/' })
          }}
        />
        <Text size="sm" c="dimmed">
          Not now?{' '}
          <Anchor
            component="button"
            type="button"
            size="sm"
            onClick={async () => {
              await api.logout()
              queryClient.clear()
              void navigate({ to: '/login' })
            }}
          >
            Sign out
          </Anchor>
        </Text>
      </Stack>
    </AuthCard>
  )
}
