import type { KbArticleDto } from '@allhands/contract'
import { Button, Group, Select, Stack, Table, Text } from '@mantine/core'
import { useMutation } from '@tanstack/react-query'
import { useNavigate } from '@tanstack/react-router'
import { useState } from 'react'
import { RouterAnchor } from '../../lib/links.tsx'
import { queryClient, showError } from '../../lib/queries.ts'
import { kbApi, kbKeys } from './kb.api.ts'
import { StatusBadge } from './KnowledgeBasePage.tsx'

/** The article in other languages; a new translation starts as a draft copy of this one, in the same section. */
export function Translations({ article, languages }: { article: KbArticleDto; languages: string[] }) {
  const navigate = useNavigate()
  const taken = new Set([article.lang, ...article.translations.map((t) => t.lang)])
  const free = languages.filter((l) => !taken.has(l))
  const [lang, setLang] = useState<string | null>(null)
  const add = useMutation({
    mutationFn: (l: string) =>
      kbApi.create({ title: article.title, bodyHtml: article.bodyHtml, lang: l, translationOf: article.id, visibility: article.visibility }),
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: kbKeys.all })
      void navigate({ to: '/kb/articles/$articleId', params: { articleId: String(created.id) } })
    },
    onError: showError,
  })
  return (
    <Stack>
      {article.translations.length ? (
        <Table aria-label="Translations">
          <Table.Tbody>
            {article.translations.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td w={80}>{t.lang}</Table.Td>
                <Table.Td>
                  <RouterAnchor to="/kb/articles/$articleId" params={{ articleId: String(t.id) }}>
                    {t.title}
                  </RouterAnchor>
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={t.status} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Text c="dimmed">No translations yet.</Text>
      )}
      {free.length > 0 ? (
        <Group align="end">
          <Select label="Translate into" data={free} value={lang} onChange={setLang} w={160} />
          <Button variant="default" disabled={!lang} loading={add.isPending} onClick={() => lang && add.mutate(lang)}>
            Start translation
          </Button>
        </Group>
      ) : (
        <Text size="sm" c="dimmed">
          Every help-center language has a version. Admins add languages under Settings → Help center.
        </Text>
      )}
    </Stack>
  )
}
