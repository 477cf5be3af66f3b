import { Button, Center, Stack, Text, Title } from '@mantine/core'
import { Link } from '@tanstack/react-router'

export function NotFound() {
  return (
    <Center component="main" mih="60vh">
      <Stack align="center">
        <Title order={1} size="h2">
          Page not found
        </Title>
        <Text c="dimmed">The address does not match any page of the help desk.</Text>
        <Button component={Link} to="/">
          Go to the inbox
        </Button>
      </Stack>
    </Center>
  )
}
