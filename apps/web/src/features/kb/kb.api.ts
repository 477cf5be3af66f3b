import type {
  CreateKbArticleInput,
  KbArticleDto,
  KbArticleFileDto,
  KbArticleFileList,
  KbFileKind,
  KbArticleList,
  KbArticleStatus,
  KbCategoryDto,
  KbCategoryInput,
  KbCategoryPatch,
  KbCategoryTree,
  KbDiffDto,
  KbGapsDto,
  KbInsertDto,
  KbSearchResult,
  KbSectionDto,
  KbSectionInput,
  KbSectionPatch,
  KbSettingsDto,
  KbVersionDto,
  UpdateKbArticleInput,
} from '@allhands/contract'
import { request } from '../../lib/api.ts'

export const kbApi = {
  categories: () => request<KbCategoryTree>('GET', '/kb/categories'),
  createCategory: (input: KbCategoryInput) => request<KbCategoryDto>('POST', '/kb/categories', input),
  updateCategory: (id: number, input: KbCategoryPatch) => request<KbCategoryDto>('PATCH', `/kb/categories/${id}`, input),
  deleteCategory: (id: number) => request<{ ok: boolean }>('DELETE', `/kb/categories/${id}`),
  createSection: (input: KbSectionInput) => request<KbSectionDto>('POST', '/kb/sections', input),
  updateSection: (id: number, input: KbSectionPatch) => request<KbSectionDto>('PATCH', `/kb/sections/${id}`, input),
  deleteSection: (id: number) => request<{ ok: boolean }>('DELETE', `/kb/sections/${id}`),
  articles: (q: { status?: KbArticleStatus; sectionId?: number; lang?: string; cursor?: string }) =>
    request<KbArticleList>('GET', '/kb/articles', undefined, q),
  article: (id: number) => request<KbArticleDto>('GET', `/kb/articles/${id}`),
  create: (input: CreateKbArticleInput) => request<KbArticleDto>('POST', '/kb/articles', input),
  update: (id: number, input: UpdateKbArticleInput) => request<KbArticleDto>('PATCH', `/kb/articles/${id}`, input),
  remove: (id: number) => request<{ ok: boolean }>('DELETE', `/kb/articles/${id}`),
  submit: (id: number) => request<KbArticleDto>('POST', `/kb/articles/${id}/submit`),
  publish: (id: number, note?: string) => request<KbArticleDto>('POST', `/kb/articles/${id}/publish`, note ? { note } : {}),
  reject: (id: number, note?: string) => request<KbArticleDto>('POST', `/kb/articles/${id}/reject`, note ? { note } : {}),
  archive: (id: number) => request<KbArticleDto>('POST', `/kb/articles/${id}/archive`),
  versions: (id: number) => request<{ items: KbVersionDto[] }>('GET', `/kb/articles/${id}/versions`),
  diff: (id: number, from: number, to: number) => request<KbDiffDto>('GET', `/kb/articles/${id}/diff`, undefined, { from, to }),
  restore: (id: number, version: number) => request<KbArticleDto>('POST', `/kb/articles/${id}/versions/${version}/restore`),
  insert: (id: number) => request<KbInsertDto>('GET', `/kb/articles/${id}/insert`),
  search: (q: string, lang?: string) => request<KbSearchResult>('GET', '/kb/search', undefined, { q, lang }),
  suggestions: (ticketId: number) => request<KbSearchResult>('GET', '/kb/suggestions', undefined, { ticketId }),
  gaps: (days?: number) => request<KbGapsDto>('GET', '/kb/gaps', undefined, { days }),
  settings: () => request<KbSettingsDto>('GET', '/kb/settings'),
  saveSettings: (input: KbSettingsDto) => request<KbSettingsDto>('PUT', '/kb/settings', input),
  files: (id: number) => request<KbArticleFileList>('GET', `/kb/articles/${id}/files`),
  uploadFile: (id: number, kind: KbFileKind, file: File) => {
    const form = new FormData()
    form.append('file', file)
    return request<KbArticleFileDto>('POST', `/kb/articles/${id}/files`, form, { kind })
  },
  removeFile: (id: number, fileId: number) => request<{ ok: boolean }>('DELETE', `/kb/articles/${id}/files/${fileId}`),
}

export const kbKeys = {
  all: ['kb'] as const,
  categories: ['kb', 'categories'] as const,
  articles: (filter: object) => ['kb', 'articles', filter] as const,
  article: (id: number) => ['kb', 'article', id] as const,
  files: (id: number) => ['kb', 'files', id] as const,
  versions: (id: number) => ['kb', 'versions', id] as const,
  gaps: ['kb', 'gaps'] as const,
  settings: ['kb', 'settings'] as const,
  suggestions: (ticketId: number) => ['kb', 'suggestions', ticketId] as const,
}

export const STATUS_LABELS: Record<KbArticleStatus, { label: string; color: string }> = {
  draft: { label: 'Draft', color: 'gray' },
  in_review: { label: 'In review', color: 'yellow' },
  published: { label: 'Published', color: 'green' },
  archived: { label: 'Archived', color: 'dark' },
}

/** Publishers: admins and agents with full trust (the server decides; this only hides buttons). */
export const canPublish = (user: { role: string; trustLevel?: string }) =>
  user.role === 'owner' || user.role === 'admin' || (user.role === 'agent' && (user.trustLevel ?? 'agent') === 'agent')
