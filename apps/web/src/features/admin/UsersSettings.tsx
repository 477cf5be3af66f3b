import type { RiskLevel, Role, TrustLevel, UserDto } from '@allhands/contract'
import { Alert, Badge, Button, Code, CopyButton, Group, List, Modal, PasswordInput, Select, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../../lib/api.ts'
import { keys, queryClient, useCurrentUser, useUsers } from '../../lib/queries.ts'
import { RevokeUserSessionsButton } from '../security/RevokeUserSessionsButton.tsx' // issue 10 security

const ROLE_OPTIONS: { value: Role; label: string }[] = [
  { value: 'owner', label: 'Owner' },
  { value: 'admin', label: 'Admin' },
  { value: 'agent', label: 'Agent' },
  { value: 'contributor', label: 'Contributor' },
]

const TRUST_OPTIONS: { value: TrustLevel; label: string; help: string }[] = [
  { value: 'observer', label: 'Observer', help: 'reads tickets and adds notes; never replies to customers' },
  { value: 'reviewed', label: 'In review', help: 'every customer reply is held until an agent approves it' },
  { value: 'trusted', label: 'Trusted', help: 'low-risk replies in certified categories go out directly; others are reviewed' },
  { value: 'agent', label: 'Full agent', help: 'replies go out directly; support staff at this level review others' },
]
const CLEARANCE_OPTIONS: { value: RiskLevel; label: string }[] = [
  { value: 'low', label: 'Low risk' },
  { value: 'medium', label: 'Up to medium' },
  { value: 'high', label: 'Up to high' },
]

export function UsersSettings() {
  const me = useCurrentUser()
  const users = useUsers()
  const invites = useQuery({ queryKey: keys.invites, queryFn: api.invites })
  const [dialog, setDialog] = useState<'create' | 'invite' | null>(null)
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.users })
  const update = useMutation({
    mutationFn: ({ id, ...patch }: { id: number } & Parameters<typeof api.updateUser>[1]) => api.updateUser(id, patch),
    onSuccess: refresh,
  })
  const roleOptions = ROLE_OPTIONS.filter((r) => me.role === 'owner' || r.value !== 'owner')
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} size="h4">
          Users
        </Title>
        <Group>
          <Button variant="default" onClick={() => setDialog('invite')}>
            Invite by link
          </Button>
          <Button onClick={() => setDialog('create')}>Create user</Button>
        </Group>
      </Group>
      <Table aria-label="Users">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Email</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Trust</Table.Th>
            <Table.Th>Clearance</Table.Th>
            <Table.Th>Active</Table.Th>
            <Table.Th>Sessions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.data?.map((u: UserDto) => (
            <Table.Tr key={u.id}>
              <Table.Td>{u.name}</Table.Td>
              <Table.Td>{u.email}</Table.Td>
              <Table.Td>
                <Select
                  size="xs"
                  w={140}
                  aria-label={`Role of ${u.name}`}
                  data={u.role === 'owner' && me.role !== 'owner' ? ROLE_OPTIONS : roleOptions}
                  value={u.role}
                  allowDeselect={false}
                  disabled={u.id === me.id || (u.role === 'owner' && me.role !== 'owner')}
                  onChange={(role) => role && update.mutate({ id: u.id, role: role as Role })}
                />
              </Table.Td>
              <Table.Td>
                <Select
                  size="xs"
                  w={130}
                  aria-label={`Trust level of ${u.name}`}
                  data={TRUST_OPTIONS}
                  value={u.trustLevel}
                  allowDeselect={false}
                  disabled={u.id === me.id}
                  onChange={(v) => v && v !== u.trustLevel && update.mutate({ id: u.id, trustLevel: v as TrustLevel })}
                />
              </Table.Td>
              <Table.Td>
                <Select
                  size="xs"
                  w={130}
                  aria-label={`Highest ticket risk ${u.name} may handle`}
                  data={CLEARANCE_OPTIONS}
                  value={u.clearance}
                  allowDeselect={false}
                  disabled={u.id === me.id}
                  onChange={(v) => v && v !== u.clearance && update.mutate({ id: u.id, clearance: v as RiskLevel })}
                />
              </Table.Td>
              <Table.Td>
                <Switch
                  aria-label={`${u.name} is active`}
                  checked={u.isActive}
                  disabled={u.id === me.id}
                  onChange={(e) => update.mutate({ id: u.id, isActive: e.currentTarget.checked })}
                />
              </Table.Td>
              {/* issue 10 security: sign a person out everywhere */}
              <Table.Td>{u.id !== me.id && <RevokeUserSessionsButton user={u} />}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Alert color="gray" variant="light" title="Trust and clearance">
        <Text size="sm">Trust decides whether someone's customer replies are held for review:</Text>
        <List size="sm" spacing={2} mt={4}>
          {TRUST_OPTIONS.map((t) => (
            <List.Item key={t.value}>
              <b>{t.label}</b>: {t.help}.
            </List.Item>
          ))}
        </List>
        <Text size="sm" mt={4}>
          Clearance is the highest ticket risk a contributor may reply to (on shift). People in review are promoted to trusted automatically by the review
          policies; demote anyone here. Every change is written to the audit log.
        </Text>
      </Alert>
      {!!invites.data?.length && (
        <>
          <Title order={3} size="h5">
            Invitations
          </Title>
          <Table>
            <Table.Tbody>
              {invites.data.map((i) => (
                <Table.Tr key={i.id}>
                  <Table.Td>{i.email}</Table.Td>
                  <Table.Td>{i.role}</Table.Td>
                  <Table.Td>
                    {i.acceptedAt ? (
                      <Badge color="green">Accepted</Badge>
                    ) : i.expiresAt < Date.now() ? (
                      <Badge color="gray">Expired</Badge>
                    ) : (
                      <Badge>Pending</Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
      {dialog === 'create' && <CreateUserDialog roles={roleOptions} onClose={() => setDialog(null)} />}
      {dialog === 'invite' && <InviteDialog roles={roleOptions} onClose={() => setDialog(null)} />}
    </Stack>
  )
}

function CreateUserDialog({ roles, onClose }: { roles: typeof ROLE_OPTIONS; onClose: () => void }) {
  const [form, setForm] = useState({ name: '', email: '', password: '', role: 'agent' as Role })
  const create = useMutation({
    mutationFn: () => api.createUser(form),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: keys.users })
      onClose()
    },
  })
  return (
    <Modal opened onClose={onClose} title="Create user">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          create.mutate()
        }}
      >
        <Stack>
          <TextInput label="Name" required value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} data-autofocus />
          <TextInput label="Email" type="email" required value={form.email} onChange={(e) => setForm({ ...form, email: e.currentTarget.value })} />
          <PasswordInput
            label="Initial password"
            required
            minLength={8}
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.currentTarget.value })}
          />
          <Select label="Role" data={roles} value={form.role} allowDeselect={false} onChange={(v) => v && setForm({ ...form, role: v as Role })} />
          <Button type="submit" loading={create.isPending}>
            Create
          </Button>
        </Stack>
      </form>
    </Modal>
  )
}

function InviteDialog({ roles, onClose }: { roles: typeof ROLE_OPTIONS; onClose: () => void }) {
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Role>('agent')
  const invite = useMutation({ mutationFn: () => api.invite(email, role), onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.invites }) })
  const url = invite.data?.url ? new URL(invite.data.url, location.origin).toString() : null
  return (
    <Modal opened onClose={onClose} title="Invite by link">
      {url ? (
        <Stack>
          <Alert color="green">Send this link to {invite.data?.email}. It works once.</Alert>
          <Code block>{url}</Code>
          <CopyButton value={url}>{({ copied, copy }) => <Button onClick={copy}>{copied ? 'Copied' : 'Copy link'}</Button>}</CopyButton>
        </Stack>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            invite.mutate()
          }}
        >
          <Stack>
            <TextInput label="Email" type="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} data-autofocus />
            <Select label="Role" data={roles} value={role} allowDeselect={false} onChange={(v) => v && setRole(v as Role)} />
            <Button type="submit" loading={invite.isPending}>
              Create invitation link
            </Button>
          </Stack>
        </form>
      )}
    </Modal>
  )
}
