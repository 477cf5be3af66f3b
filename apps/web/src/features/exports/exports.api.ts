import type { AuditRecordDto, EraseContactResult, ExportDto, ExportInput, PageOf } from '@allhands/contract'
import { request } from '../../lib/api.ts'

/** Audit search filters (GET /audit); dates are epoch ms, `to` exclusive. */
export type AuditSearch = {
  actorId?: number
  action?: string
  targetType?: string
  targetId?: number
  ip?: string
  from?: number
  to?: number
  q?: string
}

const asQuery = (f: AuditSearch) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== '')) as Record<string, string | number>

/** Audit log, exports and privacy requests (issue 10). */
export const exportsApi = {
  audit: (f: AuditSearch & { cursor?: string }) => request<PageOf<AuditRecordDto>>('GET', '/audit', undefined, { ...asQuery(f), cursor: f.cursor, limit: 50 }),
  /** A same-origin link: the browser downloads the streamed file with the session cookie. */
  auditExportUrl: (f: AuditSearch, format: 'csv' | 'json') =>
    `/api/v1/audit/export?${new URLSearchParams({ ...asQuery(f), format } as Record<string, string>)}`,
  exports: (q: { contactId?: number; cursor?: string } = {}) => request<PageOf<ExportDto>>('GET', '/exports', undefined, { ...q, limit: 25 }),
  createExport: (input: ExportInput) => request<ExportDto>('POST', '/exports', input),
  downloadUrl: (id: number) => `/api/v1/exports/${id}/download`,
  requestContactData: (contactId: number) => request<ExportDto>('POST', `/contacts/${contactId}/data-export`),
  eraseContact: (contactId: number, confirmation: string) => request<EraseContactResult>('POST', `/contacts/${contactId}/erase`, { confirmation }),
}

export const exportKeys = {
  audit: (f: AuditSearch) => ['audit', f] as const,
  exports: ['exports'] as const,
  contactExports: (contactId: number) => ['exports', 'contact', contactId] as const,
}

/** Exports still being written: lists poll while there are any (the job reports progress in rowCount). */
export const isActive = (e: ExportDto) => e.status === 'queued' || e.status === 'running'

/** A yyyy-mm-dd date input as epoch ms at the start of that UTC day; `nextDay` gives the exclusive end of the day. */
export const dayToMs = (day: string, nextDay = false) => (day ? Date.parse(`${day}T00:00:00Z`) + (nextDay ? 86_400_000 : 0) : undefined)
