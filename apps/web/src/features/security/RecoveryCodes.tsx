import { Alert, Button, Code, CopyButton, Group, SimpleGrid, Stack, Text } from '@mantine/core'

function download(codes: string[]) {
  const blob = new Blob([`Allhands recovery codes (each works once)\n\n${codes.join('\n')}\n`], { type: 'text/plain' })
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = 'allhands-recovery-codes.txt'
  a.click()
  URL.revokeObjectURL(url)
}

/** Freshly issued recovery codes: shown once, with copy and download. */
export function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <Alert color="yellow" title="Save your recovery codes" role="status">
      <Stack gap="sm">
        <Text size="sm">
          If you lose your phone, sign in with one of these codes. Each code works once. They are shown only now: store them in a password manager or print
          them.
        </Text>
        <SimpleGrid cols={2} spacing={4} component="ul" aria-label="Recovery codes" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {codes.map((c) => (
            <li key={c}>
              <Code fz="sm">{c}</Code>
            </li>
          ))}
        </SimpleGrid>
        <Group gap="xs">
          <CopyButton value={codes.join('\n')}>
            {({ copied, copy }) => (
              <Button size="xs" variant="default" onClick={copy}>
                {copied ? 'Copied' : 'Copy codes'}
              </Button>
            )}
          </CopyButton>
          <Button size="xs" variant="default" onClick={() => download(codes)}>
            Download codes
          </Button>
        </Group>
      </Stack>
    </Alert>
  )
}
