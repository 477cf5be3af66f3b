import { type Static, Type } from 'typebox'
import { CursorQuery, Id, Nullable, Page, Timestamp } from './common.ts'
import { UserRef } from './people.ts'

/**
 * Knowledge base (issue 9): categories → sections → articles, one article row per language (translations share a
 * group), drafts and review before publish, version history, public help center at /help and its JSON API.
 */
export const KB_ARTICLE_STATUSES = ['draft', 'in_review', 'published', 'archived'] as const
export type KbArticleStatus = (typeof KB_ARTICLE_STATUSES)[number]
export const KB_VISIBILITIES = ['public', 'internal'] as const
export type KbVisibility = (typeof KB_VISIBILITIES)[number]

export const KbLang = Type.String({ pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$', maxLength: 12, description: 'BCP 47 language tag, e.g. "en" or "pt-BR"' })
const KbStatusSchema = Type.Union([Type.Literal('draft'), Type.Literal('in_review'), Type.Literal('published'), Type.Literal('archived')])
const KbVisibilitySchema = Type.Union([Type.Literal('public'), Type.Literal('internal')])
const KbName = Type.String({ minLength: 1, maxLength: 200 })
const KbDescription = Type.String({ maxLength: 2000 })

export const KbSectionDto = Type.Object({ id: Id, categoryId: Id, name: Type.String(), description: Type.String(), position: Type.Integer() })
export type KbSectionDto = Static<typeof KbSectionDto>
export const KbCategoryDto = Type.Object({
  id: Id,
  name: Type.String(),
  description: Type.String(),
  position: Type.Integer(),
  sections: Type.Array(KbSectionDto),
})
export type KbCategoryDto = Static<typeof KbCategoryDto>
export const KbCategoryTree = Type.Object({ items: Type.Array(KbCategoryDto) })
export type KbCategoryTree = Static<typeof KbCategoryTree>

export const KbCategoryInput = Type.Object(
  { name: KbName, description: Type.Optional(KbDescription), position: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })) },
  { additionalProperties: false },
)
export type KbCategoryInput = Static<typeof KbCategoryInput>
export const KbCategoryPatch = Type.Partial(KbCategoryInput, { additionalProperties: false })
export type KbCategoryPatch = Static<typeof KbCategoryPatch>
export const KbSectionInput = Type.Object(
  { categoryId: Id, name: KbName, description: Type.Optional(KbDescription), position: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })) },
  { additionalProperties: false },
)
export type KbSectionInput = Static<typeof KbSectionInput>
export const KbSectionPatch = Type.Partial(KbSectionInput, { additionalProperties: false })
export type KbSectionPatch = Static<typeof KbSectionPatch>

export const KbTranslationRef = Type.Object({ id: Id, lang: Type.String(), title: Type.String(), status: KbStatusSchema })
export const KbArticleSummary = Type.Object({
  id: Id,
  lang: Type.String(),
  title: Type.String(),
  slug: Type.String(),
  status: KbStatusSchema,
  visibility: KbVisibilitySchema,
  sectionId: Nullable(Id),
  version: Type.Integer(),
  helpfulCount: Type.Integer(),
  unhelpfulCount: Type.Integer(),
  updatedAt: Timestamp,
  /** Where the article lives in the public help center (only reachable there when published and public). */
  url: Type.String(),
})
export type KbArticleSummary = Static<typeof KbArticleSummary>
export const KbArticleDto = Type.Object({
  ...KbArticleSummary.properties,
  translationGroup: Id,
  bodyHtml: Type.String({ description: 'Sanitized HTML' }),
  author: Nullable(UserRef),
  submittedBy: Nullable(UserRef),
  reviewNote: Nullable(Type.String()),
  publishedAt: Nullable(Timestamp),
  createdAt: Timestamp,
  translations: Type.Array(KbTranslationRef, { description: 'The other languages of this article' }),
  /** What the caller may do with it. */
  canEdit: Type.Boolean(),
  canPublish: Type.Boolean(),
})
export type KbArticleDto = Static<typeof KbArticleDto>
export const KbArticleList = Page(KbArticleSummary)
export type KbArticleList = Static<typeof KbArticleList>
export const KbArticleListQuery = Type.Object({
  status: Type.Optional(KbStatusSchema),
  lang: Type.Optional(KbLang),
  sectionId: Type.Optional(Id),
  ...CursorQuery,
})
export type KbArticleListQuery = Static<typeof KbArticleListQuery>

const KbTitle = Type.String({ minLength: 1, maxLength: 300 })
const KbBody = Type.String({ maxLength: 500000, description: 'Rich text HTML; sanitized with the e-mail allow-list when saved' })
export const CreateKbArticleInput = Type.Object(
  {
    title: KbTitle,
    bodyHtml: KbBody,
    lang: Type.Optional(KbLang),
    sectionId: Type.Optional(Nullable(Id)),
    visibility: Type.Optional(KbVisibilitySchema),
    translationOf: Type.Optional(Id),
    note: Type.Optional(Type.String({ maxLength: 500, description: 'What changed, kept with the version' })),
  },
  { additionalProperties: false },
)
export type CreateKbArticleInput = Static<typeof CreateKbArticleInput>
export const UpdateKbArticleInput = Type.Object(
  {
    title: Type.Optional(KbTitle),
    bodyHtml: Type.Optional(KbBody),
    sectionId: Type.Optional(Nullable(Id)),
    visibility: Type.Optional(KbVisibilitySchema),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
)
export type UpdateKbArticleInput = Static<typeof UpdateKbArticleInput>
export const KbReviewInput = Type.Object({ note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false })
export type KbReviewInput = Static<typeof KbReviewInput>

export const KbVersionDto = Type.Object({ version: Type.Integer(), title: Type.String(), note: Type.String(), author: Nullable(UserRef), createdAt: Timestamp })
export type KbVersionDto = Static<typeof KbVersionDto>
export const KbVersionList = Type.Object({ items: Type.Array(KbVersionDto) })
export const KbVersionParams = Type.Object({ id: Id, version: Type.Integer({ minimum: 1 }) })
export const KbDiffQuery = Type.Object({ from: Type.Integer({ minimum: 1 }), to: Type.Integer({ minimum: 1 }) })
export const KbDiffPart = Type.Object({ value: Type.String(), added: Type.Boolean(), removed: Type.Boolean() })
export const KbDiffDto = Type.Object({
  from: Type.Integer(),
  to: Type.Integer(),
  title: Type.Array(KbDiffPart),
  body: Type.Array(KbDiffPart, { description: 'Line diff of the plain text of both versions' }),
})
export type KbDiffDto = Static<typeof KbDiffDto>
export type KbDiffPart = Static<typeof KbDiffPart>

export const KbSearchQuery = Type.Object({
  q: Type.String({ maxLength: 200 }),
  lang: Type.Optional(KbLang),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
})
export type KbSearchQuery = Static<typeof KbSearchQuery>
export const KbSearchHit = Type.Object({
  id: Id,
  lang: Type.String(),
  title: Type.String(),
  snippet: Type.String({ description: 'Plain text' }),
  visibility: KbVisibilitySchema,
  url: Type.String(),
})
export type KbSearchHit = Static<typeof KbSearchHit>
export const KbSearchResult = Type.Object({
  items: Type.Array(KbSearchHit),
  /** The query as corrected for typos when the words as typed found nothing. */
  correctedQuery: Nullable(Type.String()),
})
export type KbSearchResult = Static<typeof KbSearchResult>
export const KbSuggestQuery = Type.Object({ ticketId: Id })
export const KbInsertDto = Type.Object({ id: Id, title: Type.String(), url: Type.String({ description: 'Absolute public URL' }), bodyHtml: Type.String() })
export type KbInsertDto = Static<typeof KbInsertDto>

export const KbGapsDto = Type.Object({
  noResults: Type.Array(Type.Object({ query: Type.String(), lang: Type.String(), count: Type.Integer(), lastAt: Timestamp })),
  unhelpful: Type.Array(
    Type.Object({
      article: KbArticleSummary,
      comments: Type.Array(Type.Object({ comment: Type.String(), createdAt: Timestamp })),
    }),
  ),
})
export type KbGapsDto = Static<typeof KbGapsDto>
export const KbGapsQuery = Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })) })

export const KbSettingsDto = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 120 }),
  logoUrl: Nullable(Type.String({ maxLength: 2000, pattern: '^(https://|/api/v1/attachments/[0-9]+$)' })),
  primaryColor: Type.String({ pattern: '^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$' }),
  accentColor: Type.String({ pattern: '^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$' }),
  languages: Type.Array(KbLang, { minItems: 1, maxItems: 30 }),
})
export type KbSettingsDto = Static<typeof KbSettingsDto>

export const KbPublicArticleQuery = Type.Object({ lang: Type.Optional(KbLang), sectionId: Type.Optional(Id) })
export const KbPublicArticleDto = Type.Object({
  id: Id,
  lang: Type.String(),
  title: Type.String(),
  bodyHtml: Type.String(),
  sectionId: Nullable(Id),
  url: Type.String(),
  updatedAt: Timestamp,
  translations: Type.Array(Type.Object({ id: Id, lang: Type.String(), url: Type.String() })),
  related: Type.Array(Type.Object({ id: Id, title: Type.String(), url: Type.String() })),
})
export type KbPublicArticleDto = Static<typeof KbPublicArticleDto>
export const KbPublicArticleList = Type.Object({
  items: Type.Array(Type.Object({ id: Id, lang: Type.String(), title: Type.String(), sectionId: Nullable(Id), url: Type.String() })),
})
export const KbVoteInput = Type.Object({ helpful: Type.Boolean(), comment: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false })
export type KbVoteInput = Static<typeof KbVoteInput>

/**
 * Files uploaded into an article: `image` (PNG, JPEG, GIF or WebP, shown inline in the body) or `attachment` (any
 * file, listed under the article and always downloaded). `url` is the public help-center address
 * `/help/files/:id/:filename`, readable by anyone while the article is published and public, by staff otherwise.
 */
export const KB_FILE_KINDS = ['image', 'attachment'] as const
export type KbFileKind = (typeof KB_FILE_KINDS)[number]
export const KbArticleFileDto = Type.Object({
  id: Id,
  articleId: Id,
  kind: Type.Union([Type.Literal('image'), Type.Literal('attachment')]),
  filename: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
  url: Type.String(),
  createdAt: Timestamp,
})
export type KbArticleFileDto = Static<typeof KbArticleFileDto>
export const KbArticleFileList = Type.Object({ items: Type.Array(KbArticleFileDto) })
export type KbArticleFileList = Static<typeof KbArticleFileList>
export const KbArticleFileParams = Type.Object({ id: Id, fileId: Id })
export const KbFileUploadQuery = Type.Object({ kind: Type.Union([Type.Literal('image'), Type.Literal('attachment')]) })
