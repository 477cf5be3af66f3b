import type { PresenceEntry, RealtimeEventName, ServerMessage } from '@allhands/contract'
import type { Actor } from './actor.ts'
import { type ClusterBus, singleNodeBus } from './cluster-bus.ts'
import type { Ctx } from './context.ts'
import { ReplicatedState } from './replicated-state.ts'

/** Something that happened, fanned out to the sockets allowed to see it. */
export interface DomainEvent {
  name: RealtimeEventName
  /** Set for ticket-scoped events: delivered to `ticket:<id>` and, filtered by visibility, to `inbox`. */
  ticket?: { id: number; teamId: number | null; assigneeId?: number | null }
  /** Set for personal events: delivered to `user:<id>` only. */
  userId?: number
  /** Set for events of a feature room (e.g. `reviews`): delivered to whoever joined it (guards decide who may). */
  room?: string
  payload: Record<string, unknown>
}

export interface Socket {
  actor: Actor
  send(message: ServerMessage): void
}

type Visibility = (actor: Actor, ticket: { teamId: number | null }) => boolean

/** A draft someone is writing, as a client reported it (validated by the socket route, not yet sanitized). */
export type DraftReport = { ticketId: number; mode: 'reply' | 'note'; html: string }

/**
 * Rooms and presence. The sockets of this node are served here; with a cluster bus (Redis), every published event
 * also reaches the other nodes' sockets, and each node's ticket presence is mirrored to its peers.
 */
export class Realtime {
  private rooms = new Map<string, Set<Socket>>()
  /** This node's presence: ticket → user → entry and the sockets that hold it. */
  private presence = new Map<number, Map<number, { entry: PresenceEntry; sockets: Set<Socket> }>>()
  /** Every node's presence per ticket, as announced (this node's own entries are in `presence`). */
  private readonly peersPresence: ReplicatedState<PresenceEntry[]>

  private presenceListeners = new Set<(userId: number) => void>()
  private draftListeners = new Set<(actor: Actor, draft: DraftReport) => void>()
  private publishListeners = new Set<(event: DomainEvent) => void>()
  private deliverListeners = new Set<(event: DomainEvent) => void>()

  constructor(
    private readonly canView: Visibility,
    private readonly bus: ClusterBus = singleNodeBus(),
  ) {
    this.peersPresence = new ReplicatedState(bus, 'presence', (ticketId) => this.broadcastPresence(Number(ticketId)))
    bus.subscribe('events', (event: DomainEvent) => this.deliver(event))
  }

  /** Hears every change of a person's ticket presence (opened, typing, left), e.g. to mirror it to a ride-along. */
  onPresenceChange(listener: (userId: number) => void): () => void {
    this.presenceListeners.add(listener)
    return () => void this.presenceListeners.delete(listener)
  }

  /** Hears drafts that clients report; nothing is delivered to anyone unless a listener forwards it. */
  onDraft(listener: (actor: Actor, draft: DraftReport) => void): () => void {
    this.draftListeners.add(listener)
    return () => void this.draftListeners.delete(listener)
  }

  /**
   * Hears every event published on this node, once, after it was delivered (listeners derive their own, filtered
   * events or do work with side effects: in a cluster only the node where the change happened hears it).
   */
  onPublish(listener: (event: DomainEvent) => void): () => void {
    this.publishListeners.add(listener)
    return () => void this.publishListeners.delete(listener)
  }

  /** Hears every event this node delivers, published here or on another node: for work about this node's own sockets. */
  onDeliver(listener: (event: DomainEvent) => void): () => void {
    this.deliverListeners.add(listener)
    return () => void this.deliverListeners.delete(listener)
  }

  reportDraft(socket: Socket, draft: DraftReport): void {
    for (const l of this.draftListeners) l(socket.actor, draft)
  }

  /** The tickets a person has open in any tab (on any node), with whether they are typing there. */
  ticketsOf(userId: number): { ticketId: number; typing: boolean }[] {
    const out: { ticketId: number; typing: boolean }[] = []
    for (const ticketId of this.openTicketIds()) {
      const p = this.presenceOf(ticketId).find((e) => e.userId === userId)
      if (p) out.push({ ticketId, typing: p.typing })
    }
    return out
  }

  /** Every ticket someone has open right now (on any node), with who is in it. */
  openTickets(): { ticketId: number; users: PresenceEntry[] }[] {
    return [...this.openTicketIds()].map((ticketId) => ({ ticketId, users: this.presenceOf(ticketId) }))
  }

  private openTicketIds(): Set<number> {
    const ids = new Set(this.presence.keys())
    for (const key of this.peersPresence.remoteKeys()) ids.add(Number(key))
    return ids
  }

  join(socket: Socket, room: string): void {
    const members = this.rooms.get(room) ?? new Set<Socket>()
    this.rooms.set(room, members)
    members.add(socket)
  }

  leave(socket: Socket, room: string): void {
    const members = this.rooms.get(room)
    members?.delete(socket)
    if (members?.size === 0) this.rooms.delete(room)
  }

  disconnect(socket: Socket): void {
    for (const room of [...this.rooms.keys()]) this.leave(socket, room)
    for (const ticketId of [...this.presence.keys()]) this.setPresence(socket, ticketId, 'left')
  }

  /** Delivers the event to this node's sockets, then to the other nodes' (through the bus) and the publish listeners. */
  publish(event: DomainEvent): void {
    this.deliver(event)
    this.bus.publish('events', event)
    for (const l of this.publishListeners) l(event)
  }

  /** Stops mirroring this node's presence to its peers (at shutdown). */
  close(): void {
    this.peersPresence.close()
  }

  private deliver(event: DomainEvent): void {
    const send = (room: string, filter?: (s: Socket) => boolean) => {
      for (const s of this.rooms.get(room) ?? []) if (!filter || filter(s)) s.send({ type: 'event', name: event.name, room, payload: event.payload })
    }
    if (event.ticket) {
      const ticket = event.ticket
      send(`ticket:${ticket.id}`)
      send('inbox', (s) => this.canView(s.actor, ticket))
    }
    if (event.userId) send(`user:${event.userId}`)
    if (event.room) send(event.room)
    for (const l of this.deliverListeners) l(event)
  }

  /** Records who is viewing or typing in a ticket and tells everyone in that ticket's room. */
  setPresence(socket: Socket, ticketId: number, state: 'viewing' | 'typing' | 'left'): void {
    const users = this.presence.get(ticketId) ?? new Map()
    const current = users?.get(socket.actor.id)
    if (state === 'left') {
      if (!current) return
      current.sockets.delete(socket)
      if (current.sockets.size === 0) users.delete(socket.actor.id)
      if (users.size === 0) this.presence.delete(ticketId)
    } else {
      this.presence.set(ticketId, users)
      const entry = current ?? { entry: { userId: socket.actor.id, name: socket.actor.name, typing: false }, sockets: new Set<Socket>() }
      entry.sockets.add(socket)
      const typing = state === 'typing'
      if (current && current.entry.typing === typing) return
      entry.entry = { ...entry.entry, typing }
      users.set(socket.actor.id, entry)
    }
    const here = this.localPresenceOf(ticketId)
    this.peersPresence.set(String(ticketId), here.length ? here : undefined)
    this.broadcastPresence(ticketId)
    for (const l of this.presenceListeners) l(socket.actor.id)
  }

  /** Who has the ticket open on any node; someone in it on two nodes counts once (typing if typing anywhere). */
  presenceOf(ticketId: number): PresenceEntry[] {
    const here = this.localPresenceOf(ticketId)
    const remote = this.peersPresence.remoteValues(String(ticketId))
    if (!remote.length) return here
    const merged = new Map(here.map((e) => [e.userId, e]))
    for (const entry of remote.flat()) {
      const seen = merged.get(entry.userId)
      if (!seen || (entry.typing && !seen.typing)) merged.set(entry.userId, entry)
    }
    return [...merged.values()]
  }

  private localPresenceOf(ticketId: number): PresenceEntry[] {
    return [...(this.presence.get(ticketId)?.values() ?? [])].map((p) => p.entry)
  }

  private broadcastPresence(ticketId: number): void {
    const message: ServerMessage = { type: 'presence', ticketId, users: this.presenceOf(ticketId) }
    for (const s of this.rooms.get(`ticket:${ticketId}`) ?? []) s.send(message)
  }
}

/**
 * Who may join a feature room: modules register a guard for their room names at startup. A guard
 * answers undefined for rooms it does not own; the socket route refuses rooms nobody claims.
 */
export type RoomGuard = (ctx: Ctx, actor: Actor, room: string) => Promise<boolean | undefined> | boolean | undefined
const roomGuards: RoomGuard[] = []
export const registerRoomGuard = (guard: RoomGuard) => {
  if (!roomGuards.includes(guard)) roomGuards.push(guard)
}
export async function mayJoinFeatureRoom(ctx: Ctx, actor: Actor, room: string): Promise<boolean> {
  for (const guard of roomGuards) {
    const answer = await guard(ctx, actor, room)
    if (answer !== undefined) return answer
  }
  return false
}
