import { ROLES, type Role } from '@allhands/contract'
import { Alert, Button, Checkbox, Group, Loader, Stack, Text, Title } from '@mantine/core'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { queryClient } from '../../lib/queries.ts'
import { securityApi, securityKeys } from './security.api.ts'

const ROLE_LABEL: Record<Role, string> = { owner: 'Owners', admin: 'Admins', agent: 'Agents', contributor: 'Contributors' }

/** Settings → Security (admins): which roles must use two-factor authentication. */
export function SecuritySettings() {
  const settings = useQuery({ queryKey: securityKeys.settings, queryFn: securityApi.settings })
  const [roles, setRoles] = useState<Role[]>([])
  useEffect(() => {
    if (settings.data) setRoles(settings.data.twoFactorRequiredRoles)
  }, [settings.data])
  const save = useMutation({
    mutationFn: () => securityApi.updateSettings(roles),
    onSuccess: (data) => queryClient.setQueryData(securityKeys.settings, data),
  })
  return (
    <Stack maw={560}>
      <Title order={2} size="h4">
        Security
      </Title>
      {!settings.data ? (
        <Loader size="sm" aria-label="Loading" />
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            save.mutate()
          }}
        >
          <Stack>
            <Checkbox.Group
              label="Roles that must use two-factor authentication"
              description="People of these roles who have not turned it on can only set it up after signing in, until they do. Changes apply from their next sign-in."
              value={roles}
              onChange={(v) => setRoles(v as Role[])}
            >
              <Stack gap="xs" mt="xs">
                {ROLES.map((r) => (
                  <Checkbox key={r} value={r} label={ROLE_LABEL[r]} />
                ))}
              </Stack>
            </Checkbox.Group>
            {save.isSuccess && (
              <Text size="sm" role="status" c="green">
                Saved.
              </Text>
            )}
            <Group>
              <Button type="submit" loading={save.isPending}>
                Save
              </Button>
            </Group>
            <Alert color="gray" variant="light">
              Changes to this policy are recorded in the audit log. Personal API tokens are not affected by it.
            </Alert>
          </Stack>
        </form>
      )}
    </Stack>
  )
}
