import type { AutomationDryRunInput, AutomationDryRunResult, AutomationDto, AutomationInput, AutomationList, UpdateAutomationInput } from '@allhands/contract'
import { request } from '../../lib/api.ts'

/** Query keys of Settings → Automations. */
export const automationKeys = {
  all: ['automations'] as const,
  list: ['automations', 'list'] as const,
}

export const automationsApi = {
  list: () => request<AutomationList>('GET', '/automations'),
  create: (input: AutomationInput) => request<AutomationDto>('POST', '/automations', input),
  update: (id: number, input: UpdateAutomationInput) => request<AutomationDto>('PATCH', `/automations/${id}`, input),
  remove: (id: number) => request<{ ok: boolean }>('DELETE', `/automations/${id}`),
  reorder: (ids: number[]) => request<AutomationList>('POST', '/automations/reorder', { ids }),
  dryRun: (input: AutomationDryRunInput) => request<AutomationDryRunResult>('POST', '/automations/dry-run', input),
}
