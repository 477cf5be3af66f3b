import type {
  CreateDecisionTreeInput,
  DecisionTreeAnalyticsDto,
  DecisionTreeAnswerInput,
  DecisionTreeDto,
  DecisionTreeList,
  DecisionTreeRequirementDto,
  DecisionTreeRunDto,
  DecisionTreeVersionDto,
  StartDecisionTreeRunInput,
  TicketScriptRequirementDto,
  UpdateDecisionTreeInput,
} from '@allhands/contract'
import { useQuery } from '@tanstack/react-query'
import { request } from '../../lib/api.ts'

/** Query keys of decision trees; all start with 'decision-trees' so one invalidation refreshes them all. */
export const treeKeys = {
  all: ['decision-trees'] as const,
  list: ['decision-trees', 'list'] as const,
  tree: (id: number) => ['decision-trees', 'tree', id] as const,
  versions: (id: number) => ['decision-trees', 'versions', id] as const,
  analytics: (id: number, days: number) => ['decision-trees', 'analytics', id, days] as const,
  requirements: ['decision-trees', 'requirements'] as const,
  ticketRuns: (ticketId: number) => ['decision-trees', 'ticket-runs', ticketId] as const,
  requirement: (ticketId: number) => ['decision-trees', 'requirement', ticketId] as const,
}

export const treesApi = {
  list: () => request<DecisionTreeList>('GET', '/decision-trees'),
  get: (id: number) => request<DecisionTreeDto>('GET', `/decision-trees/${id}`),
  create: (input: CreateDecisionTreeInput) => request<DecisionTreeDto>('POST', '/decision-trees', input),
  update: (id: number, input: UpdateDecisionTreeInput) => request<DecisionTreeDto>('PATCH', `/decision-trees/${id}`, input),
  remove: (id: number) => request<{ ok: boolean }>('DELETE', `/decision-trees/${id}`),
  publish: (id: number) => request<DecisionTreeDto>('POST', `/decision-trees/${id}/publish`),
  versions: (id: number) => request<{ items: DecisionTreeVersionDto[] }>('GET', `/decision-trees/${id}/versions`),
  publishVersion: (id: number, versionId: number) => request<DecisionTreeDto>('POST', `/decision-trees/${id}/versions/${versionId}/publish`),
  analytics: (id: number, days: number) => request<DecisionTreeAnalyticsDto>('GET', `/decision-trees/${id}/analytics`, undefined, { days }),
  startRun: (id: number, input: StartDecisionTreeRunInput) => request<DecisionTreeRunDto>('POST', `/decision-trees/${id}/runs`, input),
  answer: (runId: number, input: DecisionTreeAnswerInput) => request<DecisionTreeRunDto>('POST', `/decision-tree-runs/${runId}/answers`, input),
  ticketRuns: (ticketId: number) => request<{ items: DecisionTreeRunDto[] }>('GET', `/tickets/${ticketId}/decision-tree-runs`),
  requirement: (ticketId: number) => request<TicketScriptRequirementDto>('GET', `/tickets/${ticketId}/script-requirement`),
  requirements: () => request<{ items: DecisionTreeRequirementDto[] }>('GET', '/decision-tree-requirements'),
  setRequirement: (categoryId: number, treeId: number | null) =>
    request<{ items: DecisionTreeRequirementDto[] }>('PUT', `/categories/${categoryId}/required-script`, { treeId }),
}

export const useTrees = () => useQuery({ queryKey: treeKeys.list, queryFn: treesApi.list })

export const AUDIENCE_LABEL = { public: 'Customers', agents: 'Agent script', both: 'Customers and agents' } as const
export const NODE_TYPE_LABEL = { question: 'Question', info: 'Information', input: 'Input field', action: 'Action', jump: 'Jump to tree', end: 'End' } as const
export const OUTCOME_LABEL = { resolved: 'Resolved', ticket: 'Needs follow-up', abandoned: 'Abandoned' } as const
