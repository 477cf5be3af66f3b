import { now } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import { readJson } from '../../platform/json.ts'

const iso = (t: number | string | null | undefined) => (t === null || t === undefined ? null : new Date(Number(t)).toISOString())

/**
 * Everything the help desk holds about one contact, for a privacy (subject access) request: profile, identities,
 * organization, the tickets they opened with every customer-visible message (internal notes are staff working
 * papers and stay out), the list of attachments (name, type, size, SHA-256 and the API path to fetch each file),
 * satisfaction ratings, survey answers, and live-chat visits, page views and conversations. Contacts merged into
 * this one are included with their identities.
 */
export async function buildContactDataDocument(ctx: Ctx, contactId: number): Promise<Record<string, unknown>> {
  const db = ctx.db
  const contact = await db.selectFrom('contacts').selectAll().where('id', '=', contactId).executeTakeFirst()
  if (!contact) return { contact: null, note: `Contact ${contactId} no longer exists` }
  const merged = await db.selectFrom('contacts').select(['id', 'name', 'createdAt']).where('mergedIntoId', '=', contactId).orderBy('id').execute()
  const contactIds = [contactId, ...merged.map((m) => m.id)]
  const identities = await db
    .selectFrom('contactIdentities')
    .select(['contactId', 'kind', 'value', 'createdAt', 'bouncingAt', 'bounceReason'])
    .where('contactId', 'in', contactIds)
    .orderBy('id')
    .execute()
  const organization = contact.organizationId
    ? await db.selectFrom('organizations').select(['id', 'name', 'domain']).where('id', '=', contact.organizationId).executeTakeFirst()
    : undefined

  const tickets = await db
    .selectFrom('tickets')
    .select(['id', 'subject', 'status', 'priority', 'createdAt', 'updatedAt', 'solvedAt', 'mergedIntoId'])
    .where('requesterId', 'in', contactIds)
    .orderBy('id')
    .execute()
  const ticketIds = tickets.map((t) => t.id)
  const messages = ticketIds.length
    ? await db
        .selectFrom('messages')
        .select(['id', 'ticketId', 'kind', 'direction', 'authorContactId', 'text', 'html', 'createdAt'])
        .where('ticketId', 'in', ticketIds)
        .where('kind', '!=', 'note')
        .orderBy('ticketId')
        .orderBy('id')
        .execute()
    : []
  // Messages they wrote on other people's tickets (a CC'd reply) belong to them too (found by the author index).
  const onTheirTickets = new Set(ticketIds)
  const elsewhere = (
    await db
      .selectFrom('messages')
      .select(['id', 'ticketId', 'kind', 'direction', 'authorContactId', 'text', 'html', 'createdAt'])
      .where('authorContactId', 'in', contactIds)
      .orderBy('id')
      .execute()
  ).filter((m) => !onTheirTickets.has(m.ticketId))
  const allMessages = [...messages, ...elsewhere]
  const messageIds = allMessages.map((m) => m.id)
  const attachments = messageIds.length
    ? await db
        .selectFrom('attachments')
        .select(['id', 'messageId', 'filename', 'contentType', 'size', 'blobHash', 'createdAt'])
        .where('messageId', 'in', messageIds)
        .orderBy('id')
        .execute()
    : []
  const tags = ticketIds.length ? await db.selectFrom('ticketTags').select(['ticketId', 'tag']).where('ticketId', 'in', ticketIds).execute() : []

  const presentMessage = (m: (typeof allMessages)[number]) => ({
    id: m.id,
    ticketId: m.ticketId,
    direction: m.direction,
    kind: m.kind,
    writtenByContact: m.authorContactId !== null && contactIds.includes(m.authorContactId),
    text: m.text,
    html: m.html,
    createdAt: iso(m.createdAt),
    attachments: attachments
      .filter((a) => a.messageId === m.id)
      .map((a) => ({
        id: a.id,
        filename: a.filename,
        contentType: a.contentType,
        size: a.size,
        sha256: a.blobHash,
        downloadPath: `/api/v1/attachments/${a.id}`,
      })),
  })

  const csat = await db
    .selectFrom('csatRequests')
    .select(['ticketId', 'email', 'status', 'scale', 'sentAt', 'ratedAt', 'score', 'comment'])
    .where('contactId', 'in', contactIds)
    .orderBy('id')
    .execute()
  const responses = await db
    .selectFrom('surveyResponses')
    .innerJoin('surveys', 'surveys.id', 'surveyResponses.surveyId')
    .select(['surveyResponses.id', 'surveys.title', 'surveyResponses.createdAt'])
    .where('surveyResponses.contactId', 'in', contactIds)
    .orderBy('surveyResponses.id')
    .execute()
  const answers = responses.length
    ? await db
        .selectFrom('surveyAnswers')
        .select(['responseId', 'questionId', 'value'])
        .where(
          'responseId',
          'in',
          responses.map((r) => r.id),
        )
        .execute()
    : []
  const visitors = await db
    .selectFrom('chatVisitors')
    .select(['id', 'claimedName', 'claimedEmail', 'externalId', 'visitCount', 'timezone', 'language', 'createdAt', 'lastSeenAt'])
    .where('contactId', 'in', contactIds)
    .orderBy('id')
    .execute()
  const visitorIds = visitors.map((v) => v.id)
  const pageViews = visitorIds.length
    ? await db
        .selectFrom('chatPageViews')
        .select(['visitorId', 'url', 'title', 'referrer', 'createdAt', 'leftAt'])
        .where('visitorId', 'in', visitorIds)
        .orderBy('id')
        .execute()
    : []
  const chats = visitorIds.length
    ? await db
        .selectFrom('chatConversations')
        .select(['ticketId', 'visitorId', 'status', 'startedAt', 'endedAt', 'rating', 'ratingComment'])
        .where('visitorId', 'in', visitorIds)
        .orderBy('startedAt')
        .execute()
    : []

  return {
    exportedAt: iso(now()),
    format: 'allhands.contact-data.v1',
    contact: {
      id: contact.id,
      name: contact.name,
      notes: contact.notes,
      customFields: readJson(contact.customFields, {}),
      vip: !!contact.vip,
      createdAt: iso(contact.createdAt),
      updatedAt: iso(contact.updatedAt),
    },
    mergedContacts: merged.map((m) => ({ id: m.id, name: m.name, createdAt: iso(m.createdAt) })),
    identities: identities.map((i) => ({
      contactId: i.contactId,
      kind: i.kind,
      value: i.value,
      createdAt: iso(i.createdAt),
      bouncingAt: iso(i.bouncingAt),
      bounceReason: i.bounceReason,
    })),
    organization: organization ?? null,
    tickets: tickets.map((t) => ({
      id: t.id,
      subject: t.subject,
      status: t.status,
      priority: t.priority,
      tags: tags.filter((x) => x.ticketId === t.id).map((x) => x.tag),
      mergedIntoId: t.mergedIntoId,
      createdAt: iso(t.createdAt),
      updatedAt: iso(t.updatedAt),
      solvedAt: iso(t.solvedAt),
      messages: messages.filter((m) => m.ticketId === t.id).map(presentMessage),
    })),
    messagesOnOtherTickets: elsewhere.map(presentMessage),
    satisfactionRatings: csat.map((c) => ({ ...c, sentAt: iso(c.sentAt), ratedAt: iso(c.ratedAt) })),
    surveyResponses: responses.map((r) => ({
      survey: r.title,
      createdAt: iso(r.createdAt),
      answers: answers.filter((a) => a.responseId === r.id).map((a) => ({ questionId: a.questionId, value: a.value })),
    })),
    chat: {
      visitors: visitors.map((v) => ({ ...v, createdAt: iso(v.createdAt), lastSeenAt: iso(v.lastSeenAt) })),
      pageViews: pageViews.map((p) => ({ ...p, createdAt: iso(p.createdAt), leftAt: iso(p.leftAt) })),
      conversations: chats.map((c) => ({
        ...c,
        startedAt: iso(c.startedAt),
        endedAt: iso(c.endedAt),
        transcript: messages.filter((m) => m.ticketId === c.ticketId).map((m) => ({ direction: m.direction, text: m.text, createdAt: iso(m.createdAt) })),
      })),
    },
  }
}
