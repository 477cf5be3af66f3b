import type { SurveyDto, SurveyInvitationDto, SurveyQuestion } from '@allhands/contract'
import type { Executor } from '../../platform/context.ts'
import { readJson } from '../../platform/json.ts'

export type SurveyRow = {
  id: number
  kind: string
  slug: string
  title: string
  intro: string
  status: string
  publicLink: number
  questions: unknown
  createdAt: number
  updatedAt: number
}

export const SURVEY_COLUMNS = ['id', 'kind', 'slug', 'title', 'intro', 'status', 'publicLink', 'questions', 'createdAt', 'updatedAt'] as const

export const questionsOf = (row: Pick<SurveyRow, 'questions'>): SurveyQuestion[] => readJson<SurveyQuestion[]>(row.questions, [])

export async function findSurveyRow(db: Executor, id: number): Promise<SurveyRow | undefined> {
  return db.selectFrom('surveys').select(SURVEY_COLUMNS).where('id', '=', id).executeTakeFirst()
}

/** Surveys with their response and invitation counts (counted through the per-survey indexes). */
export async function presentSurveys(db: Executor, publicUrl: string, rows: SurveyRow[]): Promise<SurveyDto[]> {
  if (!rows.length) return []
  const ids = rows.map((r) => r.id)
  const responses = await db
    .selectFrom('surveyResponses')
    .select(['surveyId', (eb) => eb.fn.countAll<number>().as('n')])
    .where('surveyId', 'in', ids)
    .groupBy('surveyId')
    .execute()
  const invitations = await db
    .selectFrom('surveyInvitations')
    .select(['surveyId', (eb) => eb.fn.countAll<number>().as('n')])
    .where('surveyId', 'in', ids)
    .groupBy('surveyId')
    .execute()
  const count = (list: { surveyId: number; n: number }[], id: number) => Number(list.find((r) => r.surveyId === id)?.n ?? 0)
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as SurveyDto['kind'],
    slug: r.slug,
    title: r.title,
    intro: r.intro,
    status: r.status as SurveyDto['status'],
    publicLink: !!r.publicLink,
    url: `${publicUrl}/s/${r.slug}`,
    questions: questionsOf(r),
    responseCount: count(responses, r.id),
    invitationCount: count(invitations, r.id),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  }))
}

export async function presentInvitation(db: Executor, id: number): Promise<SurveyInvitationDto> {
  const r = await db
    .selectFrom('surveyInvitations as i')
    .innerJoin('contacts as c', 'c.id', 'i.contactId')
    .select(['i.id', 'i.surveyId', 'i.contactId', 'c.name', 'i.email', 'i.orderRef', 'i.status', 'i.skipReason', 'i.sentAt', 'i.answeredAt', 'i.createdAt'])
    .where('i.id', '=', id)
    .executeTakeFirstOrThrow()
  return {
    id: r.id,
    surveyId: r.surveyId,
    contact: { id: r.contactId, name: r.name },
    email: r.email,
    orderRef: r.orderRef,
    status: r.status as SurveyInvitationDto['status'],
    skipReason: r.skipReason,
    sentAt: r.sentAt,
    answeredAt: r.answeredAt,
    createdAt: r.createdAt,
  }
}
