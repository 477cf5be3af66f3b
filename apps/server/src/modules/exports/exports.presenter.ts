import type { ExportDto } from '@allhands/contract'
import { readJson } from '../../platform/json.ts'

export type ExportRecord = {
  id: number
  kind: string
  format: string
  filters: unknown
  contactId: number | null
  status: string
  rowCount: number
  totalEstimate: number | null
  size: number | string
  error: string | null
  requestedById: number
  requesterName: string | null
  createdAt: number | string
  finishedAt: number | string | null
}

export const exportFileName = (e: { id: number; kind: string; format: string; contactId: number | null }) =>
  e.kind === 'contact_data' ? `allhands-contact-${e.contactId}-data-${e.id}.json` : `allhands-${e.kind}-${e.id}.${e.format}`

export function presentExport(e: ExportRecord): ExportDto {
  return {
    id: e.id,
    kind: e.kind as ExportDto['kind'],
    format: e.format as ExportDto['format'],
    filters: readJson<Record<string, unknown>>(e.filters, {}),
    contactId: e.contactId,
    status: e.status as ExportDto['status'],
    rowCount: Number(e.rowCount),
    totalEstimate: e.totalEstimate === null ? null : Number(e.totalEstimate),
    size: Number(e.size),
    error: e.error,
    requestedBy: e.requesterName !== null ? { id: e.requestedById, name: e.requesterName } : null,
    createdAt: Number(e.createdAt),
    finishedAt: e.finishedAt === null ? null : Number(e.finishedAt),
    fileName: exportFileName(e),
  }
}
