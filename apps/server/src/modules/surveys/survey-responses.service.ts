import type { SurveyQuestion } from '@allhands/contract'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { sha256 } from '../../platform/crypto.ts'
import { AppError, badRequest, conflict, unprocessable } from '../../platform/errors.ts'
import { INVITATION_TOKEN_PREFIX } from './survey-invitations.service.ts'
import { questionsOf, SURVEY_COLUMNS, type SurveyRow } from './surveys.queries.ts'

export type RawAnswers = Record<string, string | string[]>
export type SurveyTarget = { survey: SurveyRow; invitation: { id: number; contactId: number; status: string } | null }

const invalidLink = () => new AppError('not_found', 404, 'This survey link is not valid. Please use the link you received.')

/** What `/s/<key>` stands for: a personal invitation token, or the slug of a survey open to anyone with the link. */
export async function resolveSurveyKey(db: Executor, key: string): Promise<SurveyTarget> {
  if (key.startsWith(INVITATION_TOKEN_PREFIX)) {
    const invitation = await db
      .selectFrom('surveyInvitations')
      .select(['id', 'contactId', 'status', 'surveyId'])
      .where('tokenHash', '=', sha256(key))
      .executeTakeFirst()
    if (!invitation) throw invalidLink()
    const survey = await db.selectFrom('surveys').select(SURVEY_COLUMNS).where('id', '=', invitation.surveyId).executeTakeFirstOrThrow()
    return { survey, invitation }
  }
  const survey = await db.selectFrom('surveys').select(SURVEY_COLUMNS).where('slug', '=', key).executeTakeFirst()
  if (!survey?.publicLink || survey.status === 'draft') throw invalidLink()
  return { survey, invitation: null }
}

/** Checks answers against the questions: required ones present, ratings 1–5, choices among the options. */
export function validateAnswers(questions: SurveyQuestion[], answers: RawAnswers): { questionId: string; value: string }[] {
  const problems: string[] = []
  const known = new Set(questions.map((q) => q.id))
  for (const key of Object.keys(answers)) if (!known.has(key)) problems.push(`unknown question "${key}"`)
  const rows: { questionId: string; value: string }[] = []
  for (const q of questions) {
    const raw = answers[q.id]
    const values = [...new Set((Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map((v) => v.trim()).filter(Boolean))]
    if (!values.length) {
      if (q.required) problems.push(`please answer "${q.label}"`)
      continue
    }
    if (q.kind !== 'multiple' && values.length > 1) problems.push(`"${q.label}" takes one answer`)
    else if (q.kind === 'rating' && !/^[1-5]$/.test(values[0]!)) problems.push(`"${q.label}" takes a rating from 1 to 5`)
    else if ((q.kind === 'single' || q.kind === 'multiple') && values.some((v) => !q.options?.includes(v)))
      problems.push(`"${q.label}" takes one of its options`)
    else if (q.kind === 'text' && values[0]!.length > 5000) problems.push(`"${q.label}" is too long (at most 5,000 characters)`)
    else for (const value of values) rows.push({ questionId: q.id, value })
  }
  if (problems.length) throw badRequest(`Please check your answers: ${problems.join('; ')}`, problems)
  return rows
}

/**
 * Stores a public answer: once per invitation (a second attempt changes nothing), any number of times
 * through a survey's public link. Free text is stored as given and rendered escaped everywhere.
 */
export async function submitSurveyResponse(ctx: Ctx, key: string, answers: RawAnswers): Promise<{ responseId: number }> {
  const { survey, invitation } = await resolveSurveyKey(ctx.db, key)
  if (survey.status !== 'open') throw unprocessable('This survey is closed. Thank you for your interest!')
  if (invitation?.status === 'answered') throw conflict('You already answered this survey. Thank you!')
  const rows = validateAnswers(questionsOf(survey), answers)
  if (!rows.length) throw badRequest('Please answer at least one question')
  return ctx.db.transaction().execute(async (trx) => {
    const t = now()
    if (invitation) {
      const claimed = await trx
        .updateTable('surveyInvitations')
        .set({ status: 'answered', answeredAt: t })
        .where('id', '=', invitation.id)
        .where('status', '!=', 'answered')
        .executeTakeFirst()
      if (Number(claimed.numUpdatedRows) !== 1) throw conflict('You already answered this survey. Thank you!')
    }
    const response = await trx
      .insertInto('surveyResponses')
      .values({ surveyId: survey.id, contactId: invitation?.contactId ?? null, invitationId: invitation?.id ?? null, createdAt: t })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx
      .insertInto('surveyAnswers')
      .values(rows.map((r) => ({ responseId: response.id, ...r })))
      .execute()
    return { responseId: response.id }
  })
}
