import type { RealtimeEventName, ServerMessage } from '@allhands/contract'
import { expect } from 'vitest'
import WebSocket from 'ws'

type EventMessage = Extract<ServerMessage, { type: 'event' }>

/**
 * An agent's realtime socket (GET /api/v1/ws) that records what the server pushes.
 * Rejects when the server refuses the upgrade (the error names the status, e.g. 401).
 */
export async function connectAgentSocket(base: string, headers: Record<string, string>) {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/api/v1/ws`, { headers })
  const received: ServerMessage[] = []
  ws.on('message', (raw) => received.push(JSON.parse(raw.toString())))
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  const send = (m: unknown) => ws.send(JSON.stringify(m))
  /** The first message received so far, or within 5 s, that matches. */
  const waitFor = async (pred: (m: ServerMessage) => boolean) => {
    await expect.poll(() => received.some(pred), { timeout: 5000 }).toBe(true)
    return received.find(pred)!
  }
  /** The first event of that name whose payload matches. */
  const event = (name: RealtimeEventName, pred: (payload: Record<string, unknown>) => boolean = () => true) =>
    waitFor((m) => m.type === 'event' && m.name === name && pred(m.payload)) as Promise<EventMessage>
  /** Every event of that name received so far. */
  const events = (name: RealtimeEventName) => received.filter((m): m is EventMessage => m.type === 'event' && m.name === name)
  /** Subscribes to a room; resolves with the server's answer: `subscribed`, or the `error` naming the room. */
  const join = async (room: string) => {
    const from = received.length
    const answer = (m: ServerMessage) => (m.type === 'subscribed' && m.room === room) || (m.type === 'error' && m.message.includes(room))
    send({ type: 'subscribe', room })
    await expect.poll(() => received.slice(from).some(answer), { timeout: 5000 }).toBe(true)
    return received.slice(from).find(answer) as Extract<ServerMessage, { type: 'subscribed' | 'error' }>
  }
  return { ws, received, send, waitFor, event, events, join }
}
