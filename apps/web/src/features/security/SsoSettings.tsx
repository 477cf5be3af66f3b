import type { SsoSettingsDto, SsoSettingsInput } from '@allhands/contract'
import { Alert, Badge, Button, Code, Group, Loader, PasswordInput, Select, Stack, Switch, TagsInput, Text, TextInput, Title } from '@mantine/core'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { queryClient } from '../../lib/queries.ts'
import { securityApi, securityKeys } from './security.api.ts'

type Form = Omit<SsoSettingsInput, 'clientSecret'> & { clientSecret: string }
const fromDto = ({ clientSecretSet: _set, redirectUri: _uri, ...rest }: SsoSettingsDto): Form => ({ ...rest, clientSecret: '' })

/** Settings → Single sign-on (admins): the OpenID Connect provider, who may sign in and how accounts are made. */
export function SsoSettings() {
  const settings = useQuery({ queryKey: securityKeys.sso, queryFn: securityApi.ssoSettings })
  const [form, setForm] = useState<Form | null>(null)
  useEffect(() => {
    if (settings.data) setForm(fromDto(settings.data))
  }, [settings.data])
  const save = useMutation({
    mutationFn: (f: Form) => {
      const { clientSecret, ...rest } = f
      // An empty secret field keeps the stored secret; the server never sends it back.
      return securityApi.updateSsoSettings(clientSecret ? { ...rest, clientSecret } : rest)
    },
    onSuccess: (data) => {
      queryClient.setQueryData(securityKeys.sso, data)
      void queryClient.invalidateQueries({ queryKey: securityKeys.ssoLogin })
    },
  })
  const test = useMutation({ mutationFn: (issuerUrl: string) => securityApi.testSso(issuerUrl) })
  if (!settings.data || !form) return <Loader size="sm" aria-label="Loading single sign-on settings" />
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm({ ...form, [key]: value })
  return (
    <form
      aria-label="Single sign-on"
      onSubmit={(e) => {
        e.preventDefault()
        save.mutate(form)
      }}
    >
      <Stack maw={640}>
        <Group justify="space-between">
          <Title order={2} size="h4">
            Single sign-on (OpenID Connect)
          </Title>
          <Badge color={settings.data.enabled ? 'green' : 'gray'} variant="light">
            {settings.data.enabled ? 'On' : 'Off'}
          </Badge>
        </Group>
        <Text size="sm" c="dimmed">
          Register Allhands with your identity provider (Okta, Entra ID, Google, Keycloak…) as a web application with this redirect URI:{' '}
          <Code>{settings.data.redirectUri}</Code>
        </Text>
        <Switch label="Offer single sign-on on the login page" checked={form.enabled} onChange={(e) => set('enabled', e.currentTarget.checked)} />
        <TextInput
          label="Button name"
          description='Shown as "Sign in with …"'
          required
          value={form.displayName}
          onChange={(e) => set('displayName', e.currentTarget.value)}
        />
        <Group align="end" wrap="nowrap">
          <TextInput
            style={{ flex: 1 }}
            label="Issuer URL"
            description="Its discovery document is read from <issuer>/.well-known/openid-configuration"
            placeholder="https://login.example.com"
            value={form.issuerUrl}
            onChange={(e) => set('issuerUrl', e.currentTarget.value)}
          />
          <Button variant="default" disabled={!form.issuerUrl.trim()} loading={test.isPending} onClick={() => test.mutate(form.issuerUrl.trim())}>
            Test connection
          </Button>
        </Group>
        {test.data && (
          <Alert color={test.data.ok ? 'green' : 'red'} role="status" title={test.data.ok ? 'Connection works' : 'Connection failed'}>
            {test.data.message}
            {test.data.authorizationEndpoint && <Text size="xs">Authorization endpoint: {test.data.authorizationEndpoint}</Text>}
          </Alert>
        )}
        {test.error && (
          <Alert color="red" role="alert">
            {test.error.message}
          </Alert>
        )}
        <TextInput label="Client ID" value={form.clientId} onChange={(e) => set('clientId', e.currentTarget.value)} />
        <PasswordInput
          label="Client secret"
          description={settings.data.clientSecretSet ? 'A secret is set. Leave empty to keep it.' : 'Not set (a public client with PKCE).'}
          placeholder={settings.data.clientSecretSet ? '•••••••• (set)' : ''}
          autoComplete="new-password"
          value={form.clientSecret}
          onChange={(e) => set('clientSecret', e.currentTarget.value)}
        />
        <TextInput
          label="Scopes"
          description="Space-separated; must include openid"
          value={form.scopes}
          onChange={(e) => set('scopes', e.currentTarget.value)}
        />
        <TagsInput
          label="Allowed email domains"
          description="Only verified addresses in these domains may sign in. Empty: any domain the provider vouches for."
          placeholder="example.com"
          value={form.allowedDomains}
          onChange={(v) => set('allowedDomains', v)}
        />
        <Switch
          label="Create accounts on first sign-in (just-in-time provisioning)"
          checked={form.jitProvisioning}
          onChange={(e) => set('jitProvisioning', e.currentTarget.checked)}
        />
        <Select
          label="Role of new accounts"
          disabled={!form.jitProvisioning}
          data={[
            { value: 'contributor', label: 'Contributor' },
            { value: 'agent', label: 'Agent' },
            { value: 'admin', label: 'Admin' },
          ]}
          value={form.jitRole}
          onChange={(v) => v && set('jitRole', v as Form['jitRole'])}
          allowDeselect={false}
        />
        <Switch
          label="Turn off password sign-in for everyone but owners"
          description="Owners keep their password as a way in if the identity provider is down."
          checked={form.passwordLoginDisabled}
          onChange={(e) => set('passwordLoginDisabled', e.currentTarget.checked)}
        />
        {save.error && (
          <Alert color="red" role="alert">
            {save.error.message}
          </Alert>
        )}
        {save.isSuccess && (
          <Text size="sm" role="status" c="green">
            Single sign-on settings saved.
          </Text>
        )}
        <Group>
          <Button type="submit" loading={save.isPending}>
            Save single sign-on
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          People who sign in through the provider are not asked for an Allhands two-factor code: the provider's own sign-in (and its MFA) counts.
        </Text>
      </Stack>
    </form>
  )
}
