import type { DecisionTreeDto } from '@allhands/contract'
import { Badge, Button, Loader, Table, Text } from '@mantine/core'
import { useMutation, useQuery } from '@tanstack/react-query'
import { fullTime } from '../../lib/format.ts'
import { queryClient } from '../../lib/queries.ts'
import { treeKeys, treesApi } from './decision-trees.api.ts'

/** Published versions, newest first; publishing an older one rolls back (it is checked again first). */
export function VersionsPanel({ tree, onPublished }: { tree: DecisionTreeDto; onPublished: (t: DecisionTreeDto) => void }) {
  const versions = useQuery({ queryKey: treeKeys.versions(tree.id), queryFn: () => treesApi.versions(tree.id) })
  const republish = useMutation({
    mutationFn: (versionId: number) => treesApi.publishVersion(tree.id, versionId),
    onSuccess: (t) => {
      onPublished(t)
      void queryClient.invalidateQueries({ queryKey: treeKeys.versions(tree.id) })
    },
  })
  if (versions.isLoading) return <Loader size="sm" aria-label="Loading versions" />
  const items = versions.data?.items ?? []
  if (!items.length) return <Text c="dimmed">Nothing published yet. Publish the draft to freeze its first version.</Text>
  return (
    <Table>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Version</Table.Th>
          <Table.Th>Published by</Table.Th>
          <Table.Th>When</Table.Th>
          <Table.Th>Nodes</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((v) => (
          <Table.Tr key={v.id}>
            <Table.Td>
              v{v.version} {v.isPublished && <Badge color="green">Live</Badge>}
            </Table.Td>
            <Table.Td>{v.createdBy?.name ?? '—'}</Table.Td>
            <Table.Td>{fullTime(v.createdAt)}</Table.Td>
            <Table.Td>{v.definition.nodes.length}</Table.Td>
            <Table.Td>
              {!v.isPublished && (
                <Button size="xs" variant="light" loading={republish.isPending && republish.variables === v.id} onClick={() => republish.mutate(v.id)}>
                  Roll back to v{v.version}
                </Button>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}
