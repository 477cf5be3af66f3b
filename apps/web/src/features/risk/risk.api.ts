import type {
  CategoryDto,
  CategoryInput,
  CategoryPatch,
  ContactDto,
  OrganizationDto,
  PageOf,
  RiskLevel,
  RiskRuleDto,
  RiskRuleInput,
  RiskRuleMatchDto,
  RiskRulePatch,
} from '@allhands/contract'
import { useQuery } from '@tanstack/react-query'
import { request } from '../../lib/api.ts'

/** Query keys of categories and risk rules (local to this feature). */
export const riskKeys = {
  categories: ['categories'] as const,
  rules: ['risk-rules'] as const,
  matches: (ruleId: number) => ['risk-rules', ruleId, 'matches'] as const,
}

export const riskApi = {
  categories: () => request<CategoryDto[]>('GET', '/categories'),
  createCategory: (input: CategoryInput) => request<CategoryDto>('POST', '/categories', input),
  updateCategory: (id: number, patch: CategoryPatch) => request<CategoryDto>('PATCH', `/categories/${id}`, patch),
  deleteCategory: (id: number) => request<{ ok: boolean }>('DELETE', `/categories/${id}`),
  rules: () => request<RiskRuleDto[]>('GET', '/risk-rules'),
  createRule: (input: RiskRuleInput) => request<RiskRuleDto>('POST', '/risk-rules', input),
  updateRule: (id: number, patch: RiskRulePatch) => request<RiskRuleDto>('PATCH', `/risk-rules/${id}`, patch),
  deleteRule: (id: number) => request<{ ok: boolean }>('DELETE', `/risk-rules/${id}`),
  reorderRules: (ids: number[]) => request<RiskRuleDto[]>('PUT', '/risk-rules/order', { ids }),
  setContactVip: (contactId: number, vip: boolean) => request<ContactDto>('PATCH', `/contacts/${contactId}`, { vip }),
  setOrganizationTier: (organizationId: number, tier: string | null) => request<OrganizationDto>('PATCH', `/organizations/${organizationId}`, { tier }),
  matches: (ruleId: number, cursor?: string) => request<PageOf<RiskRuleMatchDto>>('GET', `/risk-rules/${ruleId}/matches`, undefined, { cursor, limit: 25 }),
}

export const useCategories = () => useQuery({ queryKey: riskKeys.categories, queryFn: riskApi.categories, staleTime: 60_000 })

export const RISK_COLOR: Record<RiskLevel, string> = { low: 'teal', medium: 'orange', high: 'red' }
export const RISK_LABEL: Record<RiskLevel, string> = { low: 'Low risk', medium: 'Medium risk', high: 'High risk' }
