import { Alert, Anchor, Button, Group, PasswordInput, Stack, TextInput } from '@mantine/core'
import { useState } from 'react'

/** Asks for a current code (or the password instead) before a security change. */
export function ReauthForm(props: {
  submitLabel: string
  color?: string
  pending: boolean
  error: Error | null
  onSubmit: (input: { code?: string; password?: string }) => void
  onCancel: () => void
}) {
  const [usePassword, setUsePassword] = useState(false)
  const [value, setValue] = useState('')
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        props.onSubmit(usePassword ? { password: value } : { code: value.trim() })
      }}
    >
      <Stack gap="xs">
        {props.error && (
          <Alert color="red" role="alert">
            {props.error.message}
          </Alert>
        )}
        {usePassword ? (
          <PasswordInput label="Your password" required autoComplete="current-password" value={value} onChange={(e) => setValue(e.currentTarget.value)} />
        ) : (
          <TextInput
            label="Code from your app or a recovery code"
            required
            autoComplete="one-time-code"
            value={value}
            onChange={(e) => setValue(e.currentTarget.value)}
          />
        )}
        <Anchor
          component="button"
          type="button"
          size="sm"
          onClick={() => {
            setUsePassword(!usePassword)
            setValue('')
          }}
        >
          {usePassword ? 'Use a code instead' : 'Use your password instead'}
        </Anchor>
        <Group>
          <Button type="submit" color={props.color} loading={props.pending}>
            {props.submitLabel}
          </Button>
          <Button variant="default" onClick={props.onCancel}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
