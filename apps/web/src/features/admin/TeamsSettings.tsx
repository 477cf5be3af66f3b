import type { TeamDto } from '@allhands/contract'
import { ActionIcon, Button, Group, MultiSelect, Paper, Stack, Text, TextInput, Title } from '@mantine/core'
import { IconTrash } from '@tabler/icons-react'
import { useMutation } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { api } from '../../lib/api.ts'
import { keys, queryClient, useTeams, useUsers } from '../../lib/queries.ts'

const refresh = () => {
  void queryClient.invalidateQueries({ queryKey: keys.teams })
  void queryClient.invalidateQueries({ queryKey: keys.users })
}

export function TeamsSettings() {
  const teams = useTeams()
  const [name, setName] = useState('')
  const create = useMutation({
    mutationFn: () => api.createTeam(name.trim()),
    onSuccess: () => {
      setName('')
      refresh()
    },
  })
  return (
    <Stack>
      <Title order={2} size="h4">
        Teams
      </Title>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (name.trim()) create.mutate()
        }}
      >
        <Group align="end">
          <TextInput label="New team name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
            Create team
          </Button>
        </Group>
      </form>
      {teams.data?.length === 0 && <Text c="dimmed">No teams yet. Teams group agents and decide which tickets contributors can see.</Text>}
      {teams.data?.map((t) => (
        <TeamCard key={t.id} team={t} />
      ))}
    </Stack>
  )
}

function TeamCard({ team }: { team: TeamDto }) {
  const users = useUsers()
  const [name, setName] = useState(team.name)
  useEffect(() => setName(team.name), [team.name])
  const rename = useMutation({ mutationFn: () => api.renameTeam(team.id, name.trim()), onSuccess: refresh })
  const members = useMutation({ mutationFn: (ids: number[]) => api.setTeamMembers(team.id, ids), onSuccess: refresh })
  const remove = useMutation({ mutationFn: () => api.deleteTeam(team.id), onSuccess: refresh })
  return (
    <Paper withBorder p="md">
      <Group align="end" wrap="nowrap">
        <TextInput
          label="Team name"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          onBlur={() => name.trim() && name.trim() !== team.name && rename.mutate()}
        />
        <MultiSelect
          label="Members"
          style={{ flex: 1 }}
          searchable
          data={(users.data ?? []).map((u) => ({ value: String(u.id), label: u.name }))}
          value={team.memberIds.map(String)}
          onChange={(v) => members.mutate(v.map(Number))}
        />
        <ActionIcon
          color="red"
          variant="subtle"
          size="lg"
          aria-label={`Delete team ${team.name}`}
          onClick={() => confirm(`Delete team ${team.name}?`) && remove.mutate()}
        >
          <IconTrash size={18} />
        </ActionIcon>
      </Group>
    </Paper>
  )
}
