import type { MirrorTicket, RideAlongDraftPayload, RideAlongSentPayload } from '@allhands/contract'
import type { FastifyBaseLogger } from 'fastify'
import type { Actor } from '../../platform/actor.ts'
import { now } from '../../platform/clock.ts'
import type { Ctx } from '../../platform/context.ts'
import { canViewTicket } from '../../platform/policy.ts'
import type { DomainEvent, DraftReport } from '../../platform/realtime.ts'
import { sanitizeRichText } from '../../platform/sanitize.ts'
import { presentMessages } from '../tickets/messages.service.ts'
import { findTicketRow } from '../tickets/tickets.queries.ts'
import { rideAlongRoom } from './ride-alongs.events.ts'
import { listFollowersOf } from './ride-alongs.queries.ts'

type Viewer = Pick<Actor, 'id' | 'role' | 'teamIds'>

/** Drafts longer than this are cut before sanitizing: a mirror, not an archive. */
const MAX_DRAFT_CHARS = 20_000

/** How a ticket appears to a viewer: its id and subject only when the viewer may see the ticket. */
async function mirrorTicket(ctx: Ctx, viewer: Viewer, ticketId: number): Promise<{ visible: boolean; ticketId: number | null; subject: string | null }> {
  const ticket = await findTicketRow(ctx.db, ticketId)
  if (!ticket || !canViewTicket(viewer, ticket)) return { visible: false, ticketId: null, subject: null }
  return { visible: true, ticketId: ticket.id, subject: ticket.subject }
}

/** The tickets a person has open right now (from live presence), as the viewer may see them. */
export async function activityFor(ctx: Ctx, viewer: Viewer, userId: number): Promise<MirrorTicket[]> {
  const open = ctx.realtime.ticketsOf(userId)
  const out: MirrorTicket[] = []
  for (const p of open) out.push({ ...(await mirrorTicket(ctx, viewer, p.ticketId)), typing: p.typing })
  // Hidden tickets last, so a viewer's list does not hint at order.
  return out.sort((a, b) => Number(b.visible) - Number(a.visible))
}

/**
 * Mirrors a followed person's work to whoever rides along with them: the tickets they are in, their
 * drafts and what they send. Each follower gets only what they may see; nothing is delivered when
 * nobody rides along.
 */
export function installRideAlongMirror(ctx: Ctx, log: FastifyBaseLogger): void {
  const rt = ctx.realtime
  const publish = (rideAlongId: number, name: DomainEvent['name'], payload: Record<string, unknown>) =>
    rt.publish({ name, room: rideAlongRoom(rideAlongId), payload })
  const guarded = (what: string, work: () => Promise<void>) => {
    work().catch((err) => log.warn({ err }, `ride-along mirror: ${what} failed`))
  }

  rt.onPresenceChange((userId) =>
    guarded('presence', async () => {
      for (const { rideAlongId, follower } of await listFollowersOf(ctx.db, userId)) {
        publish(rideAlongId, 'ride_along.activity', { rideAlongId, activity: await activityFor(ctx, follower, userId) })
      }
    }),
  )

  rt.onDraft((actor: Actor, draft: DraftReport) => {
    const at = now()
    guarded('draft', async () => {
      const followers = await listFollowersOf(ctx.db, actor.id)
      if (!followers.length) return
      const html = sanitizeRichText(draft.html.slice(0, MAX_DRAFT_CHARS))
      for (const { rideAlongId, follower } of followers) {
        const t = await mirrorTicket(ctx, follower, draft.ticketId)
        const payload: RideAlongDraftPayload = { rideAlongId, ...t, mode: draft.mode, html: t.visible ? html : '', at }
        publish(rideAlongId, 'ride_along.draft', payload)
      }
    })
  })

  rt.onPublish((event) => {
    if (event.name === 'message.created' && typeof event.payload.messageId === 'number') {
      const messageId = event.payload.messageId
      guarded('message', async () => {
        const [message] = await presentMessages(ctx.db, [messageId])
        if (message?.author.type !== 'user' || message.author.id === null) return
        if (message.kind !== 'reply' && message.kind !== 'note') return
        await forwardSent(message.author.id, message.ticketId, message.kind, message.html, message.createdAt)
      })
    }
    // A held reply is "sent" from the author's point of view: mirror it once, from the author's own room event.
    if (event.name === 'review.changed' && event.userId !== undefined && event.payload.status === 'pending' && typeof event.payload.reviewId === 'number') {
      const reviewId = event.payload.reviewId
      guarded('held reply', async () => {
        const review = await ctx.db
          .selectFrom('replyReviews')
          .select(['authorId', 'ticketId', 'html', 'createdAt'])
          .where('id', '=', reviewId)
          .executeTakeFirst()
        if (review) await forwardSent(review.authorId, review.ticketId, 'held_reply', review.html, review.createdAt)
      })
    }
  })

  async function forwardSent(authorId: number, ticketId: number, kind: RideAlongSentPayload['kind'], html: string, at: number) {
    for (const { rideAlongId, follower } of await listFollowersOf(ctx.db, authorId)) {
      const t = await mirrorTicket(ctx, follower, ticketId)
      const payload: RideAlongSentPayload = { rideAlongId, ...t, kind, html: t.visible ? html : '', at }
      publish(rideAlongId, 'ride_along.sent', payload)
    }
  }
}
