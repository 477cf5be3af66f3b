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
import { request } from '../../lib/api.ts'

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
