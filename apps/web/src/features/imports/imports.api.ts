import type { ImportDto, ImportKind, ImportMapping, ImportPage, ImportPreview, ImportStatus, StartImportInput } from '@allhands/contract'
import { request } from '../../lib/api.ts'

/** Query keys of Settings → Import; all start with 'imports' so one invalidation (on `import.changed`) refreshes them. */
export const importKeys = {
  all: ['imports'] as const,
  list: ['imports', 'list'] as const,
  one: (id: number) => ['imports', 'one', id] as const,
  preview: (id: number) => ['imports', 'preview', id] as const,
}

export const importsApi = {
  list: (cursor?: string) => request<ImportPage>('GET', '/imports', undefined, { limit: 20, ...(cursor ? { cursor } : {}) }),
  get: (id: number) => request<ImportDto>('GET', `/imports/${id}`),
  upload: (kind: ImportKind, file: File, inboxId: number | null) => {
    const form = new FormData()
    form.append('kind', kind)
    if (inboxId) form.append('inboxId', String(inboxId))
    form.append('file', file)
    return request<ImportDto>('POST', '/imports', form)
  },
  preview: (id: number) => request<ImportPreview>('GET', `/imports/${id}/preview`),
  start: (id: number, input: StartImportInput) => request<ImportDto>('POST', `/imports/${id}/start`, input),
  cancel: (id: number) => request<ImportDto>('POST', `/imports/${id}/cancel`),
  resume: (id: number) => request<ImportDto>('POST', `/imports/${id}/resume`),
}

export const KIND_LABEL: Record<ImportKind, string> = {
  'csv-contacts': 'Contacts (CSV)',
  'csv-organizations': 'Organizations (CSV)',
  mbox: 'Mail archive (mbox)',
  maildir: 'Maildir (.zip, .tar or .tar.gz)',
  zendesk: 'Zendesk export (JSON)',
  freshdesk: 'Freshdesk export (JSON)',
}
export const KIND_ACCEPT: Record<ImportKind, string> = {
  'csv-contacts': '.csv,text/csv',
  'csv-organizations': '.csv,text/csv',
  mbox: '.mbox,.mbx,application/mbox',
  maildir: '.zip,.tar,.tgz,.tar.gz,application/zip,application/x-tar,application/gzip',
  zendesk: '.json,.ndjson,.jsonl,application/json',
  freshdesk: '.json,application/json',
}
export const isCsvKind = (k: ImportKind) => k === 'csv-contacts' || k === 'csv-organizations'

export const STATUS_LABEL: Record<ImportStatus, string> = {
  uploaded: 'Waiting to start',
  queued: 'Queued',
  running: 'Importing',
  completed: 'Finished',
  failed: 'Failed',
  cancelled: 'Cancelled',
}
export const STATUS_COLOR: Record<ImportStatus, string> = {
  uploaded: 'gray',
  queued: 'blue',
  running: 'blue',
  completed: 'green',
  failed: 'red',
  cancelled: 'orange',
}

/** Report keys (camelCase from the server) in words. */
export const REPORT_LABEL: Record<string, string> = {
  contacts: 'contacts created',
  organizations: 'organizations created',
  tickets: 'tickets created',
  messages: 'messages imported',
  duplicates: 'messages already imported',
  autoReplies: 'automatic replies kept in the mail log',
  bounces: 'bounces kept in the mail log',
  spam: 'spam kept in the mail log',
  matchedAgents: 'agents matched to users here',
  unmatchedAgents: 'agents without a user here (their comments keep their name)',
}

export type { ImportMapping }
