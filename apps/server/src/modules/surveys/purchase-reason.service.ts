import type { PurchaseReasonDto, PurchaseReasonInput, PurchaseReasonSummaryDto, SurveyInvitationDto, SurveyQuestion } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { forbidden, notFound } from '../../platform/errors.ts'
import { enqueueJob } from '../../platform/jobs.ts'
import { writeJson } from '../../platform/json.ts'
import { canViewContacts } from '../../platform/policy.ts'
import { findOrCreateContactByEmail } from '../contacts/contacts.service.ts'
import { sendSurveyInvitationJob } from './jobs/send-survey-invitation.ts'
import { canInviteToPurchaseSurvey, canManageSurveys, canViewSurveyResults } from './surveys.policy.ts'
import { presentInvitation, presentSurveys, questionsOf, SURVEY_COLUMNS, type SurveyRow } from './surveys.queries.ts'

export const PURCHASE_SLUG = 'why-you-bought'
export const REASONS_QUESTION = 'reasons'
export const DETAILS_QUESTION = 'details'
export const DEFAULT_PURCHASE_CATEGORIES = ['The price', 'A recommendation', 'A feature we needed', 'Your support reputation', 'Other']
const LATEST = 20

const purchaseQuestions = (categories: string[]): SurveyQuestion[] => [
  { id: REASONS_QUESTION, kind: 'multiple', label: 'What made you choose us?', required: true, options: categories },
  { id: DETAILS_QUESTION, kind: 'text', label: 'Anything else you would like to tell us?', required: false },
]

/** The one "why did you buy?" survey, created on first use (open, and answerable by its public link too). */
export async function ensurePurchaseSurvey(db: Executor): Promise<SurveyRow> {
  const existing = await db.selectFrom('surveys').select(SURVEY_COLUMNS).where('kind', '=', 'purchase_reason').orderBy('id').executeTakeFirst()
  if (existing) return existing
  const t = now()
  await db
    .insertInto('surveys')
    .values({
      kind: 'purchase_reason',
      slug: PURCHASE_SLUG,
      title: 'Why did you buy?',
      intro: 'Thank you for your order! Tell us in a few seconds what made you choose us; it helps us get better.',
      status: 'open',
      publicLink: 1,
      questions: writeJson(purchaseQuestions(DEFAULT_PURCHASE_CATEGORIES)),
      createdById: null,
      createdAt: t,
      updatedAt: t,
    })
    .onConflict((oc) => oc.column('slug').doNothing())
    .execute()
  return db.selectFrom('surveys').select(SURVEY_COLUMNS).where('kind', '=', 'purchase_reason').orderBy('id').executeTakeFirstOrThrow()
}

/**
 * From a shop or billing system: invites the contact (found by id, or by email and created on first
 * contact) to the "why did you buy?" survey, once per contact and order reference.
 */
export async function inviteToPurchaseSurvey(ctx: Ctx, actor: Actor, input: PurchaseReasonInput): Promise<SurveyInvitationDto> {
  if (!canInviteToPurchaseSurvey(actor)) throw forbidden('send purchase surveys')
  const id = await ctx.db.transaction().execute(async (trx) => {
    const survey = await ensurePurchaseSurvey(trx)
    let contactId: number
    if ('id' in input.contact) {
      const contact = await trx.selectFrom('contacts').select(['id', 'mergedIntoId']).where('id', '=', input.contact.id).executeTakeFirst()
      if (!contact) throw notFound('Contact', input.contact.id)
      contactId = contact.mergedIntoId ?? contact.id
    } else contactId = await findOrCreateContactByEmail(trx, ctx.dialect, input.contact.email, input.contact.name)
    const orderRef = input.orderRef?.trim() || null
    const dedupeKey = `purchase:${contactId}:${orderRef ?? ''}`
    await trx
      .insertInto('surveyInvitations')
      .values({
        surveyId: survey.id,
        contactId,
        email: null,
        orderRef,
        dedupeKey,
        tokenHash: null,
        status: 'queued',
        skipReason: null,
        sentAt: null,
        answeredAt: null,
        createdAt: now(),
      })
      .onConflict((oc) => oc.column('dedupeKey').doNothing())
      .execute()
    const invitation = await trx.selectFrom('surveyInvitations').select('id').where('dedupeKey', '=', dedupeKey).executeTakeFirstOrThrow()
    await enqueueJob(trx, sendSurveyInvitationJob, { invitationId: invitation.id }, { idempotencyKey: `send-survey-invitation:${invitation.id}` })
    return invitation.id
  })
  return presentInvitation(ctx.db, id)
}

/** Admins choose the reasons customers pick from; answers given before keep their wording. Audited. */
export async function setPurchaseCategories(ctx: Ctx, actor: Actor, categories: string[]): Promise<PurchaseReasonSummaryDto> {
  if (!canManageSurveys(actor)) throw forbidden('change the purchase survey')
  const cleaned = [...new Set(categories.map((c) => c.trim()).filter(Boolean))]
  await ctx.db.transaction().execute(async (trx) => {
    const survey = await ensurePurchaseSurvey(trx)
    const questions = questionsOf(survey).map((q) => (q.id === REASONS_QUESTION ? { ...q, options: cleaned } : q))
    await trx
      .updateTable('surveys')
      .set({ questions: writeJson(questions), updatedAt: now() })
      .where('id', '=', survey.id)
      .execute()
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'surveys.purchase_categories_changed',
      targetType: 'survey',
      targetId: survey.id,
      data: { categories: cleaned },
    })
  })
  return purchaseReasonSummary(ctx, actor)
}

async function presentReasons(
  db: Executor,
  responses: { id: number; contactId: number | null; contactName: string | null; orderRef: string | null; createdAt: number }[],
) {
  if (!responses.length) return []
  const answers = await db
    .selectFrom('surveyAnswers')
    .select(['responseId', 'questionId', 'value'])
    .where(
      'responseId',
      'in',
      responses.map((r) => r.id),
    )
    .orderBy('id')
    .execute()
  return responses.map(
    (r): PurchaseReasonDto => ({
      responseId: r.id,
      contact: r.contactId !== null && r.contactName !== null ? { id: r.contactId, name: r.contactName } : null,
      orderRef: r.orderRef,
      reasons: answers.filter((a) => a.responseId === r.id && a.questionId === REASONS_QUESTION).map((a) => a.value),
      text: answers.find((a) => a.responseId === r.id && a.questionId === DETAILS_QUESTION)?.value ?? null,
      createdAt: r.createdAt,
    }),
  )
}

function selectPurchaseResponses(db: Executor, surveyId: number) {
  return db
    .selectFrom('surveyResponses as r')
    .leftJoin('contacts as c', 'c.id', 'r.contactId')
    .leftJoin('surveyInvitations as i', 'i.id', 'r.invitationId')
    .select(['r.id', 'r.contactId', 'c.name as contactName', 'i.orderRef', 'r.createdAt'])
    .where('r.surveyId', '=', surveyId)
    .orderBy('r.id', 'desc')
}

/** What a contact told us about why they bought, newest first (shown on the contact profile). */
export async function contactPurchaseReasons(ctx: Ctx, actor: Actor, contactId: number): Promise<PurchaseReasonDto[]> {
  if (!canViewContacts(actor)) throw forbidden('see contacts')
  const contact = await ctx.db.selectFrom('contacts').select('id').where('id', '=', contactId).executeTakeFirst()
  if (!contact) throw notFound('Contact', contactId)
  const survey = await ctx.db.selectFrom('surveys').select('id').where('kind', '=', 'purchase_reason').orderBy('id').executeTakeFirst()
  if (!survey) return []
  return presentReasons(ctx.db, await selectPurchaseResponses(ctx.db, survey.id).where('r.contactId', '=', contactId).limit(50).execute())
}

/** Reasons as chosen categories (counted) and the latest answers with their free text. */
export async function purchaseReasonSummary(ctx: Ctx, actor: Actor): Promise<PurchaseReasonSummaryDto> {
  if (!canViewSurveyResults(actor)) throw forbidden('see survey results')
  const row = await ensurePurchaseSurvey(ctx.db)
  const [survey] = await presentSurveys(ctx.db, ctx.config.publicUrl, [row])
  const counts = await ctx.db
    .selectFrom('surveyAnswers as a')
    .innerJoin('surveyResponses as r', 'r.id', 'a.responseId')
    .select(['a.value', (eb) => eb.fn.countAll<number>().as('n')])
    .where('r.surveyId', '=', row.id)
    .where('a.questionId', '=', REASONS_QUESTION)
    .groupBy('a.value')
    .execute()
  const categories = questionsOf(row).find((q) => q.id === REASONS_QUESTION)?.options ?? []
  const retired = counts.map((c) => c.value).filter((v) => !categories.includes(v))
  return {
    survey: survey!,
    responses: survey!.responseCount,
    reasons: [...categories, ...retired].map((category) => ({ category, count: Number(counts.find((c) => c.value === category)?.n ?? 0) })),
    latest: await presentReasons(ctx.db, await selectPurchaseResponses(ctx.db, row.id).limit(LATEST).execute()),
  }
}
