import type {
  CreateRotationInput,
  CreateShiftInput,
  CurrentShiftDto,
  MyShiftsDto,
  OfferSwapInput,
  RotationDto,
  RotationSummaryDto,
  ShiftDto,
  ShiftListQuery,
  ShiftSwapDto,
  SwapAction,
  UpdateRotationInput,
} from '@allhands/contract'
import { useEffect } from 'react'
import { request } from '../../lib/api.ts'
import { queryClient } from '../../lib/queries.ts'
import { realtime, useRoom } from '../../lib/realtime.ts'

/** Query keys of the rotations feature (invalidated together on `shift.changed` / `rotation.changed`). */
export const rotationKeys = {
  all: ['rotations'] as const,
  list: ['rotations', 'list'] as const,
  summary: (id: number) => ['rotations', 'summary', id] as const,
  shifts: (q: ShiftListQuery) => ['rotations', 'shifts', q] as const,
  mine: ['rotations', 'mine'] as const,
  current: ['rotations', 'current'] as const,
  swaps: ['rotations', 'swaps'] as const,
}

export const rotationsApi = {
  rotations: () => request<RotationDto[]>('GET', '/rotations'),
  createRotation: (input: CreateRotationInput) => request<RotationDto>('POST', '/rotations', input),
  updateRotation: (id: number, input: UpdateRotationInput) => request<RotationDto>('PATCH', `/rotations/${id}`, input),
  deleteRotation: (id: number) => request<{ ok: boolean }>('DELETE', `/rotations/${id}`),
  summary: (id: number) => request<RotationSummaryDto>('GET', `/rotations/${id}/summary`),
  shifts: (q: ShiftListQuery) => request<ShiftDto[]>('GET', '/shifts', undefined, q),
  mine: () => request<MyShiftsDto>('GET', '/shifts/mine'),
  current: () => request<CurrentShiftDto>('GET', '/shifts/current'),
  createShift: (input: CreateShiftInput) => request<ShiftDto>('POST', '/shifts', input),
  deleteShift: (id: number) => request<{ ok: boolean }>('DELETE', `/shifts/${id}`),
  startShift: (id: number) => request<ShiftDto>('POST', `/shifts/${id}/start`),
  endShift: (id: number) => request<ShiftDto>('POST', `/shifts/${id}/end`),
  offerSwap: (shiftId: number, input: OfferSwapInput) => request<ShiftSwapDto>('POST', `/shifts/${shiftId}/swaps`, input),
  swaps: () => request<ShiftSwapDto[]>('GET', '/shift-swaps'),
  actOnSwap: (id: number, action: SwapAction) => request<ShiftSwapDto>('POST', `/shift-swaps/${id}/${action}`),
}

/** Keeps every rotations query fresh: joins the calendar room and refetches on shift or rotation changes. */
export function useRotationsLive() {
  useRoom('rotations')
  useEffect(
    () =>
      realtime.onEvent((e) => {
        if (e.name === 'shift.changed' || e.name === 'rotation.changed') void queryClient.invalidateQueries({ queryKey: rotationKeys.all })
      }),
    [],
  )
  useEffect(() => realtime.onReconnect(() => void queryClient.invalidateQueries({ queryKey: rotationKeys.all })), [])
}

export const refreshRotations = () => queryClient.invalidateQueries({ queryKey: rotationKeys.all })

/** "Tue 3 Dec, 09:00–13:00" in the viewer's zone. */
export function shiftTimeLabel(s: { startsAt: number; endsAt: number }): string {
  const start = new Date(s.startsAt)
  const end = new Date(s.endsAt)
  const day = start.toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short' })
  const time = (d: Date) => d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
  const sameDay = start.toDateString() === end.toDateString() || end.getTime() - start.getTime() <= 24 * 3600_000
  return sameDay
    ? `${day}, ${time(start)}–${time(end)}`
    : `${day} ${time(start)} – ${end.toLocaleDateString([], { weekday: 'short', day: 'numeric', month: 'short' })} ${time(end)}`
}

export const ATTENDANCE_LABEL: Record<string, { label: string; color: string }> = {
  upcoming: { label: 'Upcoming', color: 'gray' },
  on_duty: { label: 'On duty', color: 'green' },
  attended: { label: 'Attended', color: 'teal' },
  late: { label: 'Late', color: 'yellow' },
  ended_early: { label: 'Ended early', color: 'orange' },
  missed: { label: 'Missed', color: 'red' },
}
