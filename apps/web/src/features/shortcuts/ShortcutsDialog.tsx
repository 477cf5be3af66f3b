import { Group, Kbd, Modal, Table, Text } from '@mantine/core'
import { SHORTCUTS } from '../../lib/shortcuts.ts'

export function ShortcutsDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Keyboard shortcuts" size="lg">
      <Text size="sm" c="dimmed" mb="sm">
        Shortcuts work whenever you are not typing in a field or the editor.
      </Text>
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Keys</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>Where</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {SHORTCUTS.map((s) => (
            <Table.Tr key={s.description}>
              <Table.Td>
                <Group gap={4}>
                  {s.keys.map((k) => (
                    <Kbd key={k}>{k}</Kbd>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>{s.description}</Table.Td>
              <Table.Td>
                <Text size="sm" c="dimmed">
                  {s.scope}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  )
}
