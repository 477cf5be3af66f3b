import type { Actor } from '../../platform/actor.ts'
import { canAdminister, canReviewReplies } from '../../platform/policy.ts'

/**
 * Who may do what in the knowledge base. Reading (internal articles included) and writing drafts is open to everyone
 * signed in: contributors know their product areas. Publishing is the review step: agents with full trust (the
 * people who may review replies) and admins publish, edit live articles and manage the structure; contributors
 * submit drafts for their review.
 */
export const canReadKb = (_a: Actor) => true
export const canPublishKb = (a: Actor) => canAdminister(a) || canReviewReplies(a)
export const canWriteKbDraft = (a: Actor) => a.role === 'contributor' || canPublishKb(a) || a.role === 'agent'
export const canManageKbStructure = (a: Actor) => canPublishKb(a)
export const canViewKbGaps = (a: Actor) => canPublishKb(a)
export const canEditKbSettings = (a: Actor) => canAdminister(a)

export type KbArticleScope = { status: string; authorId: number | null; deletedAt: number | null }

/** Publishers edit any article; others only their own drafts (a live article changes through a publisher). */
export const canEditKbArticle = (a: Actor, art: KbArticleScope) =>
  art.deletedAt === null && (canPublishKb(a) || (canWriteKbDraft(a) && art.authorId === a.id && (art.status === 'draft' || art.status === 'in_review')))
export const canSubmitKbArticle = (a: Actor, art: KbArticleScope) => canEditKbArticle(a, art) && art.status === 'draft'
export const canDeleteKbArticle = (a: Actor, art: KbArticleScope) => canPublishKb(a) || (art.authorId === a.id && art.status === 'draft')
