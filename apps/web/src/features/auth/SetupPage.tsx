import { Button, PasswordInput, Stack, TextInput } from '@mantine/core'
import { useMutation } from '@tanstack/react-query'
import { useNavigate } from '@tanstack/react-router'
import { useState } from 'react'
import { api } from '../../lib/api.ts'
import { keys, queryClient } from '../../lib/queries.ts'
import { AuthCard } from './AuthCard.tsx'

export function SetupPage() {
  const navigate = useNavigate()
  const [form, setForm] = useState({ workspaceName: '', name: '', email: '', password: '' })
  const setup = useMutation({
    mutationFn: () => api.setup(form),
    onSuccess: (me) => {
      queryClient.setQueryData(keys.me, me)
      queryClient.setQueryData(keys.setup, { needsSetup: false, workspaceName: me.workspaceName })
      void navigate({ to: '/' })
    },
  })
  const field = (k: keyof typeof form) => ({
    value: form[k],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [k]: e.currentTarget.value }),
  })
  return (
    <AuthCard title="Set up your help desk" subtitle="Create the workspace and its owner account. You can invite your team afterwards.">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          setup.mutate()
        }}
      >
        <Stack>
          <TextInput label="Workspace name" placeholder="Acme Support" required autoFocus {...field('workspaceName')} />
          <TextInput label="Your name" required {...field('name')} />
          <TextInput label="Email" type="email" required autoComplete="email" {...field('email')} />
          <PasswordInput label="Password" description="At least 8 characters" required minLength={8} autoComplete="new-password" {...field('password')} />
          <Button type="submit" loading={setup.isPending}>
            Create workspace
          </Button>
        </Stack>
      </form>
    </AuthCard>
  )
}
