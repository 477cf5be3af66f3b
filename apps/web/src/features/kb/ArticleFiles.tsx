import type { KbArticleDto, KbArticleFileDto, KbFileKind } from '@allhands/contract'
import { ActionIcon, Anchor, Badge, Button, FileButton, Group, Stack, Table, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconPaperclip, IconPhoto, IconPhotoPlus, IconTrash } from '@tabler/icons-react'
import { useMutation, useQuery } from '@tanstack/react-query'
import type { Editor } from '@tiptap/react'
import { queryClient, showError } from '../../lib/queries.ts'
import { kbApi, kbKeys } from './kb.api.ts'

const IMAGE_TYPES = 'image/png,image/jpeg,image/gif,image/webp'
const size = (n: number) => (n < 1024 * 1024 ? `${Math.max(1, Math.round(n / 1024))} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`)

/**
 * An article's uploaded images and attachments. An uploaded image goes into the body where the cursor is; the
 * help center shows it while the article is published and public, and lists attachments under the article.
 */
export function ArticleFiles({ article, editor, editable }: { article: KbArticleDto; editor: Editor | null; editable: boolean }) {
  const files = useQuery({ queryKey: kbKeys.files(article.id), queryFn: () => kbApi.files(article.id) })
  const refresh = () => queryClient.invalidateQueries({ queryKey: kbKeys.files(article.id) })
  const insertImage = (f: KbArticleFileDto) =>
    editor
      ?.chain()
      .focus()
      .insertContent({ type: 'image', attrs: { src: f.url, alt: f.filename.replace(/\.[a-z0-9]+$/i, '') } })
      .run()
  const upload = useMutation({
    mutationFn: ({ kind, file }: { kind: KbFileKind; file: File }) => kbApi.uploadFile(article.id, kind, file),
    onSuccess: (f) => {
      void refresh()
      if (f.kind === 'image') insertImage(f)
      notifications.show({ color: 'green', message: f.kind === 'image' ? `${f.filename} inserted; save to keep it in the article` : `${f.filename} attached` })
    },
    onError: showError,
  })
  const remove = useMutation({
    mutationFn: (f: KbArticleFileDto) => kbApi.removeFile(article.id, f.id),
    onSuccess: () => void refresh(),
    onError: showError,
  })
  const items = files.data?.items ?? []
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Text fw={500} size="sm">
          Images and attachments
        </Text>
        {editable && (
          <>
            <FileButton accept={IMAGE_TYPES} onChange={(file) => file && upload.mutate({ kind: 'image', file })}>
              {(props) => (
                <Button {...props} size="xs" variant="light" leftSection={<IconPhotoPlus size={14} aria-hidden />} loading={upload.isPending}>
                  Upload image
                </Button>
              )}
            </FileButton>
            <FileButton onChange={(file) => file && upload.mutate({ kind: 'attachment', file })}>
              {(props) => (
                <Button {...props} size="xs" variant="default" leftSection={<IconPaperclip size={14} aria-hidden />} loading={upload.isPending}>
                  Attach file
                </Button>
              )}
            </FileButton>
          </>
        )}
      </Group>
      {items.length === 0 ? (
        <Text size="xs" c="dimmed">
          PNG, JPEG, GIF or WebP images (up to 5 MB) appear in the text; other files (SVG included) are listed under the article as downloads.
        </Text>
      ) : (
        <Table withRowBorders={false} verticalSpacing={2} aria-label="Article files">
          <Table.Tbody>
            {items.map((f) => (
              <Table.Tr key={f.id}>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    {f.kind === 'image' ? <IconPhoto size={14} aria-hidden /> : <IconPaperclip size={14} aria-hidden />}
                    <Anchor href={f.url} target="_blank" rel="noopener" size="sm">
                      {f.filename}
                    </Anchor>
                    <Badge size="xs" variant="default">
                      {size(f.size)}
                    </Badge>
                  </Group>
                </Table.Td>
                <Table.Td w={1}>
                  {editable && (
                    <Group gap={4} wrap="nowrap">
                      {f.kind === 'image' && (
                        <Button size="compact-xs" variant="subtle" onClick={() => insertImage(f)}>
                          Insert
                        </Button>
                      )}
                      <ActionIcon variant="subtle" color="red" aria-label={`Delete ${f.filename}`} onClick={() => remove.mutate(f)} loading={remove.isPending}>
                        <IconTrash size={14} />
                      </ActionIcon>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  )
}
