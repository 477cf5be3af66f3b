import { Divider, Stack } from '@mantine/core'
import { ChangePasswordForm } from './ChangePasswordForm.tsx'
import { SessionsList } from './SessionsList.tsx'
import { TwoFactorSection } from './TwoFactorSection.tsx'

/** Account → Security: the signed-in person's 2FA, sessions and password. */
export function AccountSecuritySettings() {
  return (
    <Stack gap="xl">
      <TwoFactorSection />
      <Divider />
      <SessionsList />
      <Divider />
      <ChangePasswordForm />
    </Stack>
  )
}
