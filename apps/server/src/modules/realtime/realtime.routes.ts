import type { ClientMessage, ServerMessage } from '@allhands/contract'
import { canViewTicket } from '../../platform/policy.ts'
import { actorOf, type App } from '../../platform/http.ts'
import { mayJoinFeatureRoom, type Socket } from '../../platform/realtime.ts'
import { findTicketRow } from '../tickets/tickets.queries.ts'

/** GET /api/v1/ws: one socket per browser tab; rooms are checked against the same policy as the API. */
export async function realtimeRoutes(app: App) {
  app.get('/ws', { websocket: true, schema: { hide: true } }, (ws, req) => {
    const actor = actorOf(req)
    const socket: Socket = {
      actor,
      send: (m: ServerMessage) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m))
      },
    }
    const rt = app.ctx.realtime
    rt.join(socket, `user:${actor.id}`)
    const mayJoin = async (room: string): Promise<boolean> => {
      if (room === 'inbox') return true
      const m = /^ticket:(\d{1,10})$/.exec(room)
      if (!m) return mayJoinFeatureRoom(app.ctx, actor, room)
      const ticket = await findTicketRow(app.ctx.db, Number(m[1]))
      return !!ticket && canViewTicket(actor, ticket)
    }
    const joined = new Set<string>()
    ws.on('message', async (raw: Buffer) => {
      let msg: ClientMessage
      try {
        msg = JSON.parse(raw.toString('utf8').slice(0, 10_000))
      } catch {
        return socket.send({ type: 'error', message: 'messages must be JSON' })
      }
      try {
        if (msg.type === 'ping') return socket.send({ type: 'pong' })
        if (msg.type === 'subscribe' && typeof msg.room === 'string') {
          if (!(await mayJoin(msg.room))) return socket.send({ type: 'error', message: `cannot subscribe to ${msg.room}` })
          rt.join(socket, msg.room)
          joined.add(msg.room)
          socket.send({ type: 'subscribed', room: msg.room })
          const t = /^ticket:(\d+)$/.exec(msg.room)
          if (t) socket.send({ type: 'presence', ticketId: Number(t[1]), users: rt.presenceOf(Number(t[1])) })
          return
        }
        if (msg.type === 'unsubscribe' && typeof msg.room === 'string') {
          rt.leave(socket, msg.room)
          joined.delete(msg.room)
          return
        }
        if (msg.type === 'presence' && Number.isInteger(msg.ticketId) && ['viewing', 'typing', 'left'].includes(msg.state)) {
          if (!joined.has(`ticket:${msg.ticketId}`)) return socket.send({ type: 'error', message: 'subscribe to the ticket first' })
          rt.setPresence(socket, msg.ticketId, msg.state)
          return
        }
        if (msg.type === 'draft' && Number.isInteger(msg.ticketId) && (msg.mode === 'reply' || msg.mode === 'note') && typeof msg.html === 'string') {
          if (!joined.has(`ticket:${msg.ticketId}`)) return socket.send({ type: 'error', message: 'subscribe to the ticket first' })
          rt.reportDraft(socket, { ticketId: msg.ticketId, mode: msg.mode, html: msg.html })
          return
        }
        socket.send({ type: 'error', message: 'unknown message' })
      } catch (err) {
        req.log.warn({ err }, 'websocket message failed')
      }
    })
    ws.on('close', () => rt.disconnect(socket))
  })
}
