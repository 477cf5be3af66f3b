import { type Static, Type } from 'typebox'
import { CursorQuery, Id, Nullable, Timestamp } from './common.ts'

/**
 * Imports (issue 10): contacts and organizations from CSV, tickets with their messages from mbox/maildir archives
 * and from Zendesk- or Freshdesk-style JSON exports. Admins upload a file, map CSV columns, start a background job
 * and watch its progress (`import.changed` in the `imports` room). Re-running an import does not duplicate anything.
 */
export const IMPORT_KINDS = ['csv-contacts', 'csv-organizations', 'mbox', 'maildir', 'zendesk', 'freshdesk'] as const
export type ImportKind = (typeof IMPORT_KINDS)[number]

/**
 * uploaded: stored, waiting for its mapping and a start; queued/running: the job has it; completed: every record was
 * read (some may have failed: see the report); failed: the file could not be read at all; cancelled: stopped by an
 * admin (resumable from where it stopped).
 */
export const IMPORT_STATUSES = ['uploaded', 'queued', 'running', 'completed', 'failed', 'cancelled'] as const
export type ImportStatus = (typeof IMPORT_STATUSES)[number]

export const IMPORT_LIMITS = {
  /** The largest file one can upload. */
  uploadBytes: 50 * 1024 * 1024,
  /** Per-row errors kept on an import (the count goes on). */
  errors: 500,
  /** Rows shown by the CSV preview. */
  previewRows: 10,
} as const

/** The fields a CSV column can be mapped to. `custom:<key>` maps to a custom field of the contact/organization. */
export const CSV_CONTACT_FIELDS = ['name', 'email', 'emails', 'phone', 'organization', 'notes', 'vip'] as const
export const CSV_ORGANIZATION_FIELDS = ['name', 'domain', 'notes', 'tier'] as const

export const ImportMapping = Type.Record(Type.String({ minLength: 1, maxLength: 200 }), Type.String({ maxLength: 60 }), {
  description: 'CSV column header → field (`name`, `email`, … or `custom:<key>`); an empty string or a missing column is ignored',
})
export type ImportMapping = Static<typeof ImportMapping>

export const ImportRowError = Type.Object({
  row: Type.Integer({ description: 'CSV: the data row (1 = the first row after the header); mbox/maildir: the message number; JSON: the record number' }),
  field: Nullable(Type.String()),
  message: Type.String(),
})
export type ImportRowError = Static<typeof ImportRowError>

export const ImportCounters = Type.Object({
  total: Nullable(Type.Integer({ description: 'Records in the file, once known' })),
  processed: Type.Integer(),
  imported: Type.Integer({ description: 'Records that created something new' }),
  updated: Type.Integer({ description: 'Records that updated what an earlier import or an agent created' }),
  skipped: Type.Integer({ description: 'Records already imported (re-runs) or with nothing to import' }),
  failed: Type.Integer(),
})
export type ImportCounters = Static<typeof ImportCounters>

export const ImportDto = Type.Object({
  id: Id,
  kind: Type.Enum(IMPORT_KINDS),
  status: Type.Enum(IMPORT_STATUSES),
  filename: Type.String(),
  size: Type.Integer(),
  inboxId: Nullable(Id),
  mapping: ImportMapping,
  counters: ImportCounters,
  /** What was created, by kind of record (contacts, organizations, tickets, messages, …). */
  report: Type.Record(Type.String(), Type.Integer()),
  errors: Type.Array(ImportRowError),
  errorCount: Type.Integer({ description: 'Every row error, also those past the kept list' }),
  error: Nullable(Type.String({ description: 'Why the import stopped, when the whole file could not be read' })),
  createdBy: Nullable(Type.Object({ id: Id, name: Type.String() })),
  createdAt: Timestamp,
  startedAt: Nullable(Timestamp),
  finishedAt: Nullable(Timestamp),
})
export type ImportDto = Static<typeof ImportDto>

export const ImportPage = Type.Object({ items: Type.Array(ImportDto), nextCursor: Nullable(Type.String()) })
export type ImportPage = Static<typeof ImportPage>
export const ImportListQuery = Type.Object({ ...CursorQuery })
export type ImportListQuery = Static<typeof ImportListQuery>

export const ImportFieldOption = Type.Object({ value: Type.String(), label: Type.String(), required: Type.Boolean() })
export const ImportPreview = Type.Object({
  headers: Type.Array(Type.String()),
  rows: Type.Array(Type.Array(Type.String())),
  suggestedMapping: ImportMapping,
  fields: Type.Array(ImportFieldOption),
})
export type ImportPreview = Static<typeof ImportPreview>

export const StartImportInput = Type.Object({
  mapping: Type.Optional(ImportMapping),
  inboxId: Type.Optional(Id),
})
export type StartImportInput = Static<typeof StartImportInput>
