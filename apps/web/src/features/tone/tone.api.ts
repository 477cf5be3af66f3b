import type { ToneCheckInput, ToneCheckResult, ToneRulesDto, ToneRulesInput } from '@allhands/contract'
import { request } from '../../lib/api.ts'

export const toneApi = {
  check: (input: ToneCheckInput) => request<ToneCheckResult>('POST', '/tone-check', input),
  rules: () => request<ToneRulesDto>('GET', '/tone-rules'),
  updateRules: (input: ToneRulesInput) => request<ToneRulesDto>('PUT', '/tone-rules', input),
}

export const toneKeys = { rules: ['tone-rules'] as const }
