import type { Actor } from '../../platform/actor.ts'
import { canAdminister } from '../../platform/policy.ts'

/** A customer member's row as the rules need it. */
export type MemberScope = { id: number; bannedAt: number | null; approvedCount: number }

/**
 * Who writes in the community: a customer member signed in by magic link, or a signed-in person of staff (their posts
 * carry the staff badge). Staff who moderate are the support team (owner, admin, agent).
 */
export type Poster =
  | { kind: 'member'; member: MemberScope & { displayName: string; email: string; contactId: number | null } }
  | { kind: 'staff'; actor: Actor }

export const posterKey = (p: Poster) => (p.kind === 'member' ? `m:${p.member.id}` : `u:${p.actor.id}`)

export const canModerateCommunity = (a: Pick<Actor, 'role'>) => a.role === 'owner' || a.role === 'admin' || a.role === 'agent'
export const canManageCommunitySettings = (a: Actor) => canAdminister(a)
export const isModerator = (p: Poster) => p.kind === 'staff' && canModerateCommunity(p.actor)

type TopicScope = { status: string; isLocked: number; authorMemberId: number | null; authorUserId: number | null; mergedIntoId: number | null }
type PostScope = { authorMemberId: number | null; authorUserId: number | null; status: string }

export const isAuthorOf = (p: Poster, x: { authorMemberId: number | null; authorUserId: number | null }) =>
  p.kind === 'member' ? x.authorMemberId === p.member.id : x.authorUserId === p.actor.id

/** Why this person may not post now, or null: banned members never post; a locked or held topic takes no answers. */
export function postRefusal(p: Poster, topic?: TopicScope): string | null {
  if (p.kind === 'member' && p.member.bannedAt !== null) return 'You are banned from the community'
  if (!topic) return null
  if (topic.mergedIntoId !== null) return 'This topic was merged into another one'
  if (topic.isLocked) return 'This topic is locked: it takes no new answers'
  if (topic.status !== 'visible') return 'This topic is not open for answers'
  return null
}

/** One vote per person per post, never on one's own post, and only on posts everyone can see. */
export function voteRefusal(p: Poster, post: PostScope): string | null {
  if (p.kind === 'member' && p.member.bannedAt !== null) return 'You are banned from the community'
  if (post.status !== 'visible') return 'This post is not public'
  if (isAuthorOf(p, post)) return 'You cannot vote on your own post'
  return null
}

/** The asker or a moderator accepts an answer. */
export const canAcceptAnswer = (p: Poster, topic: TopicScope) =>
  isModerator(p) || (isAuthorOf(p, topic) && !(p.kind === 'member' && p.member.bannedAt !== null))

/** A member's post is exempt from the first-post hold once one of theirs was approved; staff posts never wait. */
export const needsFirstPostReview = (p: Poster, holdFirstPosts: boolean) => p.kind === 'member' && holdFirstPosts && p.member.approvedCount === 0

/** Why this person may not change (edit or delete) this post on the public pages, or null: its author only, while it is not removed. */
export function changeRefusal(p: Poster, post: PostScope): string | null {
  if (p.kind === 'member' && p.member.bannedAt !== null) return 'you are banned from the community'
  if (!isAuthorOf(p, post)) return 'only its author can change a post'
  if (post.status === 'hidden' || post.status === 'deleted') return 'this post was removed'
  return null
}

/** Authors delete their own posts, except the accepted answer and a question that has answers (409 with the reason). */
export function deleteConflict(post: { id: number; kind: string }, topic: { acceptedPostId: number | null }, answers: number): string | null {
  if (post.kind === 'answer' && topic.acceptedPostId === post.id)
    return 'An accepted answer cannot be deleted by its author: people come to the topic for it. You can still edit it.'
  if (post.kind === 'question' && answers > 0)
    return `This question has ${answers === 1 ? 'an answer' : `${answers} answers`}, so it stays for the people who answered. You can still edit it.`
  return null
}
