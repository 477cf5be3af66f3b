import type {
  PageOf,
  QuestionResult,
  SendSurveyResult,
  SurveyDto,
  SurveyInput,
  SurveyPatch,
  SurveyQuestion,
  SurveyResultsDto,
  SurveySegment,
} from '@allhands/contract'
import { sql } from 'kysely'
import type { Actor } from '../../platform/actor.ts'
import { recordAudit } from '../../platform/audit.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx, Executor } from '../../platform/context.ts'
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts'
import { badRequest, conflict, forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import { enqueueJob } from '../../platform/jobs.ts'
import { writeJson } from '../../platform/json.ts'
import { sendSurveyInvitationJob } from './jobs/send-survey-invitation.ts'
import { canManageSurveys, canViewSurveyResults } from './surveys.policy.ts'
import { findSurveyRow, presentSurveys, questionsOf, SURVEY_COLUMNS, type SurveyRow } from './surveys.queries.ts'

const DEFAULT_SEND_LIMIT = 200
const TEXTS_PER_QUESTION = 50

/** Question ids are unique; choice questions have at least two distinct options, others none. */
export function validateQuestions(questions: SurveyQuestion[]): SurveyQuestion[] {
  const problems: string[] = []
  const seen = new Set<string>()
  const cleaned = questions.map((q) => {
    if (seen.has(q.id)) problems.push(`question id "${q.id}" is used twice`)
    seen.add(q.id)
    const isChoice = q.kind === 'single' || q.kind === 'multiple'
    const options = [...new Set((q.options ?? []).map((o) => o.trim()).filter(Boolean))]
    if (isChoice && options.length < 2) problems.push(`question "${q.label}" needs at least two options`)
    return { id: q.id, kind: q.kind, label: q.label.trim(), required: q.required, ...(isChoice ? { options } : {}) }
  })
  if (problems.length) throw unprocessable(`Please check the questions: ${problems.join('; ')}`, problems)
  return cleaned
}

const slugify = (title: string) =>
  title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48) || 'survey'

async function uniqueSlug(db: Executor, wanted: string, exceptId?: number): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const candidate = i === 0 ? wanted : `${wanted}-${i + 1}`
    const taken = await db.selectFrom('surveys').select('id').where('slug', '=', candidate).executeTakeFirst()
    if (!taken || taken.id === exceptId) return candidate
  }
  return `${wanted}-${Date.now().toString(36)}`
}

async function getSurveyRow(db: Executor, id: number): Promise<SurveyRow> {
  const row = await findSurveyRow(db, id)
  if (!row) throw notFound('Survey', id)
  return row
}

export async function getSurvey(ctx: Ctx, actor: Actor, id: number): Promise<SurveyDto> {
  if (!canViewSurveyResults(actor)) throw forbidden('see surveys')
  return (await presentSurveys(ctx.db, ctx.config.publicUrl, [await getSurveyRow(ctx.db, id)]))[0]!
}

/** Custom surveys, newest first (the "why did you buy?" survey has its own screen). */
export async function listSurveys(ctx: Ctx, actor: Actor, query: { cursor?: string; limit?: number }): Promise<PageOf<SurveyDto>> {
  if (!canViewSurveyResults(actor)) throw forbidden('see surveys')
  const limit = query.limit ?? 50
  let q = ctx.db
    .selectFrom('surveys')
    .select(SURVEY_COLUMNS)
    .where('kind', '=', 'custom')
    .orderBy('id', 'desc')
    .limit(limit + 1)
  const after = decodeCursor(query.cursor, 1)
  if (after) q = q.where('id', '<', Number(after[0]))
  const rows = await q.execute()
  const page = rows.slice(0, limit)
  return { items: await presentSurveys(ctx.db, ctx.config.publicUrl, page), nextCursor: rows.length > limit ? encodeCursor([page[page.length - 1]!.id]) : null }
}

export async function createSurvey(ctx: Ctx, actor: Actor, input: SurveyInput): Promise<SurveyDto> {
  if (!canManageSurveys(actor)) throw forbidden('create surveys')
  const questions = validateQuestions(input.questions)
  const t = now()
  const id = await ctx.db.transaction().execute(async (trx) => {
    const slug = await uniqueSlug(trx, input.slug ?? slugify(input.title))
    const row = await trx
      .insertInto('surveys')
      .values({
        kind: 'custom',
        slug,
        title: input.title.trim(),
        intro: input.intro?.trim() ?? '',
        status: input.status ?? 'draft',
        publicLink: input.publicLink ? 1 : 0,
        questions: writeJson(questions),
        createdById: actor.id,
        createdAt: t,
        updatedAt: t,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(trx, { actorId: actor.id, action: 'surveys.created', targetType: 'survey', targetId: row.id, data: { title: input.title } })
    return row.id
  })
  return getSurvey(ctx, actor, id)
}

/**
 * Edits a survey. Once answered, questions may be relabelled or added but not removed or changed in kind,
 * so earlier answers keep their meaning. The "why did you buy?" survey's questions change only through
 * its categories.
 */
export async function updateSurvey(ctx: Ctx, actor: Actor, id: number, patch: SurveyPatch): Promise<SurveyDto> {
  if (!canManageSurveys(actor)) throw forbidden('change surveys')
  await ctx.db.transaction().execute(async (trx) => {
    const row = await getSurveyRow(trx, id)
    const set: Partial<SurveyRow> = { updatedAt: now() }
    if (patch.questions) {
      if (row.kind !== 'custom') throw unprocessable('Change the reasons of the "why did you buy?" survey through its categories')
      const questions = validateQuestions(patch.questions)
      const answered = await trx.selectFrom('surveyResponses').select('id').where('surveyId', '=', id).limit(1).executeTakeFirst()
      if (answered) {
        const next = new Map(questions.map((q) => [q.id, q]))
        const broken = questionsOf(row).filter((q) => next.get(q.id)?.kind !== q.kind)
        if (broken.length) throw conflict(`This survey has answers: keep questions ${broken.map((q) => `"${q.label}"`).join(', ')} and their kind`)
      }
      set.questions = writeJson(questions)
    }
    if (patch.title !== undefined) set.title = patch.title.trim()
    if (patch.intro !== undefined) set.intro = patch.intro.trim()
    if (patch.status !== undefined) set.status = patch.status
    if (patch.publicLink !== undefined) set.publicLink = patch.publicLink ? 1 : 0
    if (patch.slug !== undefined && patch.slug !== row.slug) {
      if ((await uniqueSlug(trx, patch.slug, id)) !== patch.slug) throw conflict(`The link /s/${patch.slug} is taken`)
      set.slug = patch.slug
    }
    await trx.updateTable('surveys').set(set).where('id', '=', id).execute()
    await recordAudit(trx, { actorId: actor.id, action: 'surveys.updated', targetType: 'survey', targetId: id, data: { fields: Object.keys(patch) } })
  })
  return getSurvey(ctx, actor, id)
}

/** Deletes a survey nobody answered; an answered one is closed instead, so its results stay. */
export async function deleteSurvey(ctx: Ctx, actor: Actor, id: number): Promise<void> {
  if (!canManageSurveys(actor)) throw forbidden('delete surveys')
  await ctx.db.transaction().execute(async (trx) => {
    const row = await getSurveyRow(trx, id)
    if (row.kind !== 'custom') throw unprocessable('The "why did you buy?" survey cannot be deleted')
    const answered = await trx.selectFrom('surveyResponses').select('id').where('surveyId', '=', id).limit(1).executeTakeFirst()
    if (answered) throw conflict('This survey has answers: close it instead of deleting it')
    await trx.deleteFrom('surveyInvitations').where('surveyId', '=', id).execute()
    await trx.deleteFrom('surveys').where('id', '=', id).execute()
    await recordAudit(trx, { actorId: actor.id, action: 'surveys.deleted', targetType: 'survey', targetId: id, data: { title: row.title } })
  })
}

/**
 * Invites a segment of contacts (by organization, VIP flag and/or a contact custom field), capped per
 * batch: one invitation per survey and contact, each sent by its own job.
 */
export async function sendSurvey(ctx: Ctx, actor: Actor, id: number, segment: SurveySegment): Promise<SendSurveyResult> {
  if (!canManageSurveys(actor)) throw forbidden('send surveys')
  if (!segment.organizationIds && segment.vip === undefined && !segment.customField)
    throw badRequest('Choose who receives the survey: organizations, VIP contacts or a contact field')
  return ctx.db.transaction().execute(async (trx) => {
    const survey = await getSurveyRow(trx, id)
    if (survey.status !== 'open') throw unprocessable('Open the survey before sending it')
    let q = trx
      .selectFrom('contacts')
      .select('id')
      .where('mergedIntoId', 'is', null)
      .orderBy('id')
      .limit(segment.limit ?? DEFAULT_SEND_LIMIT)
    if (segment.organizationIds) q = q.where('organizationId', 'in', segment.organizationIds)
    if (segment.vip !== undefined) q = q.where('vip', '=', segment.vip ? 1 : 0)
    if (segment.customField) {
      const path = `$.${segment.customField.key}`
      const field =
        ctx.dialect === 'postgres' ? sql<string>`custom_fields->>${segment.customField.key}` : sql<string>`cast(json_extract(custom_fields, ${path}) as text)`
      q = q.where(field, '=', segment.customField.value)
    }
    const contacts = await q.execute()
    const t = now()
    const created = contacts.length
      ? await trx
          .insertInto('surveyInvitations')
          .values(
            contacts.map((c) => ({
              surveyId: id,
              contactId: c.id,
              email: null,
              orderRef: null,
              dedupeKey: `survey:${id}:contact:${c.id}`,
              tokenHash: null,
              status: 'queued',
              skipReason: null,
              sentAt: null,
              answeredAt: null,
              createdAt: t,
            })),
          )
          .onConflict((oc) => oc.column('dedupeKey').doNothing())
          .returning('id')
          .execute()
      : []
    for (const inv of created) await enqueueJob(trx, sendSurveyInvitationJob, { invitationId: inv.id }, { idempotencyKey: `send-survey-invitation:${inv.id}` })
    await recordAudit(trx, { actorId: actor.id, action: 'surveys.sent', targetType: 'survey', targetId: id, data: { segment, queued: created.length } })
    return { matched: contacts.length, queued: created.length, alreadyInvited: contacts.length - created.length }
  })
}

/** Answer counts per question: averages of ratings, choice distributions and the latest free-text answers. */
export async function surveyResults(ctx: Ctx, actor: Actor, id: number): Promise<SurveyResultsDto> {
  if (!canViewSurveyResults(actor)) throw forbidden('see survey results')
  const row = await getSurveyRow(ctx.db, id)
  const [survey] = await presentSurveys(ctx.db, ctx.config.publicUrl, [row])
  const counts = await ctx.db
    .selectFrom('surveyAnswers as a')
    .innerJoin('surveyResponses as r', 'r.id', 'a.responseId')
    .select(['a.questionId', 'a.value', (eb) => eb.fn.countAll<number>().as('n')])
    .where('r.surveyId', '=', id)
    .groupBy(['a.questionId', 'a.value'])
    .execute()
  const answered = await ctx.db
    .selectFrom('surveyAnswers as a')
    .innerJoin('surveyResponses as r', 'r.id', 'a.responseId')
    .select(['a.questionId', (eb) => eb.fn.count<number>('a.responseId').distinct().as('n')])
    .where('r.surveyId', '=', id)
    .groupBy('a.questionId')
    .execute()
  const questions: QuestionResult[] = []
  for (const q of questionsOf(row)) {
    const mine = counts.filter((c) => c.questionId === q.id)
    const result: QuestionResult = {
      id: q.id,
      kind: q.kind,
      label: q.label,
      answered: Number(answered.find((a) => a.questionId === q.id)?.n ?? 0),
      average: null,
      distribution: [],
      texts: [],
    }
    if (q.kind === 'rating') {
      result.distribution = ['1', '2', '3', '4', '5'].map((option) => ({ option, count: Number(mine.find((c) => c.value === option)?.n ?? 0) }))
      const total = result.distribution.reduce((n, d) => n + d.count, 0)
      result.average = total ? result.distribution.reduce((s, d) => s + Number(d.option) * d.count, 0) / total : null
    } else if (q.kind === 'text') {
      result.texts = (
        await ctx.db
          .selectFrom('surveyAnswers as a')
          .innerJoin('surveyResponses as r', 'r.id', 'a.responseId')
          .select(['r.id as responseId', 'a.value', 'r.createdAt'])
          .where('r.surveyId', '=', id)
          .where('a.questionId', '=', q.id)
          .orderBy('r.id', 'desc')
          .limit(TEXTS_PER_QUESTION)
          .execute()
      ).map((t) => ({ responseId: t.responseId, value: t.value, createdAt: t.createdAt }))
    } else {
      const options = q.options ?? []
      const extra = mine.filter((c) => !options.includes(c.value)).map((c) => c.value)
      result.distribution = [...options, ...extra].map((option) => ({ option, count: Number(mine.find((c) => c.value === option)?.n ?? 0) }))
    }
    questions.push(result)
  }
  return { survey: survey!, responses: survey!.responseCount, questions }
}

const CSV_LIMIT = 50_000
/** Spreadsheet apps run cells that start with these as formulas. */
const csvCell = (value: string | number | null) => {
  const s = value === null ? '' : String(value)
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s
  return /[",\n\r;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/** Every response as one CSV row (newest first, capped), one column per question; audited. */
export async function surveyResponsesCsv(ctx: Ctx, actor: Actor, id: number): Promise<{ filename: string; csv: string }> {
  if (!canViewSurveyResults(actor)) throw forbidden('export survey responses')
  const row = await getSurveyRow(ctx.db, id)
  const questions = questionsOf(row)
  const responses = await ctx.db
    .selectFrom('surveyResponses as r')
    .leftJoin('contacts as c', 'c.id', 'r.contactId')
    .leftJoin('surveyInvitations as i', 'i.id', 'r.invitationId')
    .select(['r.id', 'r.createdAt', 'c.name as contactName', 'i.email', 'i.orderRef'])
    .where('r.surveyId', '=', id)
    .orderBy('r.id', 'desc')
    .limit(CSV_LIMIT)
    .execute()
  const answers = new Map<number, Map<string, string[]>>()
  const ids = responses.map((r) => r.id)
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = await ctx.db
      .selectFrom('surveyAnswers')
      .select(['responseId', 'questionId', 'value'])
      .where('responseId', 'in', ids.slice(i, i + 1000))
      .orderBy('id')
      .execute()
    for (const a of chunk) {
      const byQuestion = answers.get(a.responseId) ?? new Map<string, string[]>()
      byQuestion.set(a.questionId, [...(byQuestion.get(a.questionId) ?? []), a.value])
      answers.set(a.responseId, byQuestion)
    }
  }
  const header = ['response_id', 'submitted_at', 'contact', 'email', 'order_ref', ...questions.map((q) => q.label)]
  const lines = [header.map(csvCell).join(',')]
  for (const r of responses) {
    const mine = answers.get(r.id)
    lines.push(
      [
        r.id,
        new Date(r.createdAt).toISOString(),
        r.contactName ?? '',
        r.email ?? '',
        r.orderRef ?? '',
        ...questions.map((q) => (mine?.get(q.id) ?? []).join('; ')),
      ]
        .map(csvCell)
        .join(','),
    )
  }
  await recordAudit(ctx.db, { actorId: actor.id, action: 'surveys.exported', targetType: 'survey', targetId: id, data: { rows: responses.length } })
  return { filename: `${row.slug}-responses.csv`, csv: `${lines.join('\r\n')}\r\n` }
}
