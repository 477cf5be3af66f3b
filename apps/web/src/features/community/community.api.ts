import type {
  CommunityCategoryDto,
  CommunityCategoryInput,
  CommunityCategoryList,
  CommunityCategoryPatch,
  CommunityMemberDto,
  CommunityPostDto,
  CommunityPostEdit,
  CommunityQueue,
  CommunitySettingsDto,
  CommunityTopicDto,
  CommunityTopicListQuery,
  CommunityTopicPage,
  CommunityTopicPatch,
} from '@allhands/contract'
import { request } from '../../lib/api.ts'

export const communityApi = {
  categories: () => request<CommunityCategoryList>('GET', '/community/categories'),
  createCategory: (input: CommunityCategoryInput) => request<CommunityCategoryDto>('POST', '/community/categories', input),
  updateCategory: (id: number, input: CommunityCategoryPatch) => request<CommunityCategoryDto>('PATCH', `/community/categories/${id}`, input),
  deleteCategory: (id: number) => request<{ ok: boolean }>('DELETE', `/community/categories/${id}`),
  topics: (q: CommunityTopicListQuery) => request<CommunityTopicPage>('GET', '/community/topics', undefined, q),
  topic: (id: number) => request<CommunityTopicDto>('GET', `/community/topics/${id}`),
  updateTopic: (id: number, patch: CommunityTopicPatch) => request<CommunityTopicDto>('PATCH', `/community/topics/${id}`, patch),
  merge: (id: number, intoTopicId: number) => request<CommunityTopicDto>('POST', `/community/topics/${id}/merge`, { intoTopicId }),
  answer: (id: number, bodyHtml: string) => request<CommunityPostDto>('POST', `/community/topics/${id}/answers`, { bodyHtml }),
  follow: (id: number, follow: boolean) => request<CommunityTopicDto>('POST', `/community/topics/${id}/follow`, { follow }),
  toTicket: (id: number) => request<CommunityTopicDto>('POST', `/community/topics/${id}/ticket`),
  toKbDraft: (id: number) => request<CommunityTopicDto>('POST', `/community/topics/${id}/kb-draft`),
  linkVoc: (id: number, itemId: number) => request<CommunityTopicDto>('POST', `/community/topics/${id}/voc-link`, { itemId }),
  editPost: (postId: number, input: CommunityPostEdit) => request<CommunityTopicDto>('PATCH', `/community/posts/${postId}`, input),
  accept: (postId: number) => request<CommunityTopicDto>('POST', `/community/posts/${postId}/accept`),
  queue: () => request<CommunityQueue>('GET', '/community/moderation'),
  approve: (postId: number) => request<CommunityTopicDto>('POST', `/community/posts/${postId}/approve`),
  reject: (postId: number) => request<CommunityTopicDto>('POST', `/community/posts/${postId}/reject`),
  member: (id: number) => request<CommunityMemberDto>('GET', `/community/members/${id}`),
  ban: (id: number, reason: string) => request<CommunityMemberDto>('POST', `/community/members/${id}/ban`, { reason }),
  unban: (id: number) => request<CommunityMemberDto>('POST', `/community/members/${id}/unban`),
  settings: () => request<CommunitySettingsDto>('GET', '/community/settings'),
  saveSettings: (input: CommunitySettingsDto) => request<CommunitySettingsDto>('PUT', '/community/settings', input),
}

export const communityKeys = {
  all: ['community'] as const,
  categories: ['community', 'categories'] as const,
  topics: (filter: object) => ['community', 'topics', filter] as const,
  topic: (id: number) => ['community', 'topic', id] as const,
  queue: ['community', 'queue'] as const,
  member: (id: number) => ['community', 'member', id] as const,
  settings: ['community', 'settings'] as const,
}

export const HELD_REASONS: Record<string, string> = {
  first_post: 'First post of a new member',
  flagged: 'Flagged by the community',
  too_many_links: 'Too many links',
  blocked_word: 'Contains a blocked word',
}
