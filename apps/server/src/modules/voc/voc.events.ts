import { VOC_ROOM } from '@allhands/contract'
import type { DomainEvent } from '../../platform/realtime.ts'

/** One item (or the suggestions, itemId null) changed: the board, item pages and ticket/contact panels refetch. */
export const vocChanged = (itemId: number | null, scope: { ticketIds?: number[]; contactIds?: number[] } = {}): DomainEvent => ({
  name: 'voc.changed',
  room: VOC_ROOM,
  payload: { itemId, ticketIds: scope.ticketIds ?? [], contactIds: scope.contactIds ?? [] },
})
