import { type Static, Type } from 'typebox'
import { CursorQuery, Id, Nullable, Page, Timestamp } from './common.ts'

/**
 * Community forum (issue 9): categories of question threads (topics), answers, votes, an accepted answer, follows,
 * member profiles with reputation, a moderation queue and the bridges to tickets, the knowledge base and voice of
 * the customer. Customers use the public pages at /community (magic-link sign-in); staff use this API.
 */
/** `deleted`: removed by its author (a soft delete; moderators still see it and can show it again). */
export const COMMUNITY_POST_STATUSES = ['visible', 'held', 'hidden', 'deleted'] as const
export type CommunityPostStatus = (typeof COMMUNITY_POST_STATUSES)[number]
const PostStatus = Type.Union([Type.Literal('visible'), Type.Literal('held'), Type.Literal('hidden'), Type.Literal('deleted')])
/** A topic's status is its question's, or `merged` once it was merged into another topic (`mergedIntoId`). */
const TopicStatus = Type.Union([PostStatus, Type.Literal('merged')])
export const COMMUNITY_SORTS = ['latest', 'unanswered', 'top'] as const
export type CommunitySort = (typeof COMMUNITY_SORTS)[number]

const Name = Type.String({ minLength: 1, maxLength: 120 })
const Description = Type.String({ maxLength: 1000 })
/** Rich text: sanitized with the e-mail allow-list before it is stored. */
export const CommunityBody = Type.String({ minLength: 1, maxLength: 50_000 })
export const CommunityTitle = Type.String({ minLength: 5, maxLength: 200 })

export const CommunityCategoryDto = Type.Object({
  id: Id,
  name: Type.String(),
  description: Type.String(),
  position: Type.Integer(),
  topicCount: Type.Integer(),
})
export type CommunityCategoryDto = Static<typeof CommunityCategoryDto>
export const CommunityCategoryList = Type.Object({ items: Type.Array(CommunityCategoryDto) })
export type CommunityCategoryList = Static<typeof CommunityCategoryList>
export const CommunityCategoryInput = Type.Object(
  { name: Name, description: Type.Optional(Description), position: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })) },
  { additionalProperties: false },
)
export type CommunityCategoryInput = Static<typeof CommunityCategoryInput>
export const CommunityCategoryPatch = Type.Partial(CommunityCategoryInput, { additionalProperties: false })
export type CommunityCategoryPatch = Static<typeof CommunityCategoryPatch>

/** Who wrote a post: a customer member (with reputation) or a member of staff (shown with a staff badge). */
export const CommunityAuthorDto = Type.Object({
  kind: Type.Union([Type.Literal('member'), Type.Literal('staff')]),
  id: Id,
  name: Type.String(),
  reputation: Nullable(Type.Integer()),
})
export type CommunityAuthorDto = Static<typeof CommunityAuthorDto>

export const CommunityPostDto = Type.Object({
  id: Id,
  topicId: Id,
  kind: Type.Union([Type.Literal('question'), Type.Literal('answer')]),
  author: Nullable(CommunityAuthorDto),
  bodyHtml: Type.String(),
  status: PostStatus,
  heldReason: Nullable(Type.String()),
  score: Type.Integer(),
  flagCount: Type.Integer(),
  isAccepted: Type.Boolean(),
  /** When the text was last changed after posting (by its author or by staff). */
  editedAt: Nullable(Timestamp),
  createdAt: Timestamp,
})
export type CommunityPostDto = Static<typeof CommunityPostDto>

export const CommunityTopicSummary = Type.Object({
  id: Id,
  title: Type.String(),
  categoryId: Id,
  status: TopicStatus,
  isLocked: Type.Boolean(),
  isPinned: Type.Boolean(),
  answerCount: Type.Integer(),
  score: Type.Integer(),
  acceptedPostId: Nullable(Id),
  author: Nullable(CommunityAuthorDto),
  mergedIntoId: Nullable(Id),
  ticketId: Nullable(Id),
  kbArticleId: Nullable(Id),
  vocItemId: Nullable(Id),
  /** Public page of the topic. */
  url: Type.String(),
  lastActivityAt: Timestamp,
  createdAt: Timestamp,
})
export type CommunityTopicSummary = Static<typeof CommunityTopicSummary>
export const CommunityTopicDto = Type.Object({ ...CommunityTopicSummary.properties, posts: Type.Array(CommunityPostDto), following: Type.Boolean() })
export type CommunityTopicDto = Static<typeof CommunityTopicDto>
export const CommunityTopicPage = Page(CommunityTopicSummary)
export type CommunityTopicPage = Static<typeof CommunityTopicPage>

export const CommunityTopicListQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([PostStatus, Type.Literal('all')])),
    categoryId: Type.Optional(Id),
    sort: Type.Optional(Type.Union([Type.Literal('latest'), Type.Literal('unanswered'), Type.Literal('top')])),
    /** Text filter: the public search's ranked, typo-tolerant query (one page, best match first). */
    q: Type.Optional(Type.String({ maxLength: 200 })),
    ...CursorQuery,
  },
  { additionalProperties: false },
)
export type CommunityTopicListQuery = Static<typeof CommunityTopicListQuery>

export const CommunityTopicPatch = Type.Object(
  {
    isLocked: Type.Optional(Type.Boolean()),
    isPinned: Type.Optional(Type.Boolean()),
    categoryId: Type.Optional(Id),
    /** Hide (soft delete) or show the whole topic again. */
    status: Type.Optional(Type.Union([Type.Literal('visible'), Type.Literal('hidden')])),
  },
  { additionalProperties: false },
)
export type CommunityTopicPatch = Static<typeof CommunityTopicPatch>
export const CommunityMergeInput = Type.Object({ intoTopicId: Id }, { additionalProperties: false })
export type CommunityMergeInput = Static<typeof CommunityMergeInput>
export const CommunityAnswerInput = Type.Object({ bodyHtml: CommunityBody }, { additionalProperties: false })
export type CommunityAnswerInput = Static<typeof CommunityAnswerInput>
/** A staff edit of any post (audited); `title` renames the topic and is only for questions. */
export const CommunityPostEdit = Type.Object({ bodyHtml: CommunityBody, title: Type.Optional(CommunityTitle) }, { additionalProperties: false })
export type CommunityPostEdit = Static<typeof CommunityPostEdit>
export const CommunityVoteInput = Type.Object({ value: Type.Union([Type.Literal(1), Type.Literal(-1)]) }, { additionalProperties: false })
export type CommunityVoteInput = Static<typeof CommunityVoteInput>
export const CommunityFollowInput = Type.Object({ follow: Type.Boolean() }, { additionalProperties: false })
export type CommunityFollowInput = Static<typeof CommunityFollowInput>
export const CommunityVocLinkInput = Type.Object({ itemId: Id }, { additionalProperties: false })
export type CommunityVocLinkInput = Static<typeof CommunityVocLinkInput>

export const CommunityQueueItem = Type.Object({
  post: CommunityPostDto,
  topic: Type.Object({ id: Id, title: Type.String(), url: Type.String() }),
})
export type CommunityQueueItem = Static<typeof CommunityQueueItem>
export const CommunityQueue = Type.Object({ items: Type.Array(CommunityQueueItem) })
export type CommunityQueue = Static<typeof CommunityQueue>

export const CommunityMemberDto = Type.Object({
  id: Id,
  displayName: Type.String(),
  email: Type.String(),
  contactId: Nullable(Id),
  reputation: Type.Integer(),
  postCount: Type.Integer(),
  bannedAt: Nullable(Timestamp),
  banReason: Nullable(Type.String()),
  createdAt: Timestamp,
})
export type CommunityMemberDto = Static<typeof CommunityMemberDto>
export const CommunityBanInput = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false })
export type CommunityBanInput = Static<typeof CommunityBanInput>

/** Spam rules and moderation thresholds; admins edit them in Settings → Community. */
export const CommunitySettingsDto = Type.Object(
  {
    /** A new member's first post waits in the moderation queue until a moderator approves it. */
    holdFirstPosts: Type.Boolean(),
    /** More links than this in one post… */
    maxLinks: Type.Integer({ minimum: 0, maximum: 100 }),
    /** …is refused outright or held for moderation. */
    linkAction: Type.Union([Type.Literal('refuse'), Type.Literal('hold')]),
    /** Posts (questions and answers) one member may write per hour. */
    maxPostsPerHour: Type.Integer({ minimum: 1, maximum: 1000 }),
    /** Flags from different people that hold a post for moderation. */
    flagsToHold: Type.Integer({ minimum: 1, maximum: 100 }),
    /** Posts containing one of these words (case-insensitive) are held for moderation. */
    blockedWords: Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 200 }),
  },
  { additionalProperties: false },
)
export type CommunitySettingsDto = Static<typeof CommunitySettingsDto>
