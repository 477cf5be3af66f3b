import type { AuditRecordDto, EraseContactResult, ExportDto, ExportInput, PageOf } from '@allhands/contract'
import type { InfiniteData } from '@tanstack/react-query'
import { useEffect } from 'react'
import { request } from '../../lib/api.ts'
import { queryClient } from '../../lib/queries.ts'
import { realtime, useRoom } from '../../lib/realtime.ts'

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

/** Exports still being written: progress arrives over the websocket, and lists poll slowly while there are any. */
export const isActive = (e: Pick<ExportDto, 'status'>) => e.status === 'queued' || e.status === 'running'

/** The slow poll behind the live updates, for a socket that is down or reconnecting. */
export const EXPORT_FALLBACK_POLL_MS = 15_000

type Progress = Pick<ExportDto, 'status' | 'rowCount' | 'totalEstimate'>
type Cached = PageOf<ExportDto> | InfiniteData<PageOf<ExportDto>> | undefined

function withProgress(data: Cached, id: number, progress: Progress): Cached {
  const patch = (page: PageOf<ExportDto>) => ({ ...page, items: page.items.map((e) => (e.id === id ? { ...e, ...progress } : e)) })
  if (!data) return data
  return 'pages' in data ? { ...data, pages: data.pages.map(patch) } : patch(data)
}

/**
 * Joins the `exports` room: each `export.changed` moves that export's progress bar in every cached export list at once;
 * a finished or failed export is refetched for its file name, size or error.
 */
export function useExportsLive() {
  useRoom('exports')
  useEffect(
    () =>
      realtime.onEvent((e) => {
        if (e.name !== 'export.changed') return
        const p = e.payload as { exportId: number } & Progress
        queryClient.setQueriesData<Cached>({ queryKey: exportKeys.exports }, (data) =>
          withProgress(data, p.exportId, { status: p.status, rowCount: p.rowCount, totalEstimate: p.totalEstimate }),
        )
        if (!isActive(p)) void queryClient.invalidateQueries({ queryKey: exportKeys.exports })
      }),
    [],
  )
}

/** A yyyy-mm-dd date input as epoch ms at the start of that UTC day; `nextDay` gives the exclusive end of the day. */
export const dayToMs = (day: string, nextDay = false) => (day ? Date.parse(`${day}T00:00:00Z`) + (nextDay ? 86_400_000 : 0) : undefined)
