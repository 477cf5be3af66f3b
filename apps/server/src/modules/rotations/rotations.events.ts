import type { DomainEvent } from '../../platform/realtime.ts'

/** Everyone may join this room: the calendar of who is on duty is visible to all signed-in people. */
export const ROTATIONS_ROOM = 'rotations'

export const rotationEvent = (rotationId: number): DomainEvent => ({ name: 'rotation.changed', room: ROTATIONS_ROOM, payload: { rotationId } })

/** A shift changed: the calendar room, and each person concerned (their "my shifts" and current shift). */
export const shiftEvents = (shiftId: number | null, userIds: number[], extra: Record<string, unknown> = {}): DomainEvent[] => [
  { name: 'shift.changed', room: ROTATIONS_ROOM, payload: { shiftId, ...extra } },
  ...[...new Set(userIds)].map((userId): DomainEvent => ({ name: 'shift.changed', userId, payload: { shiftId, ...extra } })),
]
