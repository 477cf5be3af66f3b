import { type Static, Type } from 'typebox'
import { CursorQuery, Id, Nullable, Timestamp } from './common.ts'
import { TICKET_STATUSES, TicketStatusSchema } from './tickets.ts'

/**
 * Audit log search and export, data exports (tickets, contacts) and privacy requests (one contact's data export and
 * erasure) — issue 10. See docs/AUDIT.md, docs/EXPORT.md and docs/PRIVACY.md.
 */

/** One audit entry: who did what to which object, from where. */
export const AuditRecordDto = Type.Object({
  id: Id,
  actor: Nullable(Type.Object({ id: Id, name: Type.String() })),
  action: Type.String(),
  targetType: Type.String(),
  targetId: Nullable(Id),
  data: Type.Record(Type.String(), Type.Unknown()),
  ip: Nullable(Type.String()),
  userAgent: Nullable(Type.String()),
  createdAt: Timestamp,
})
export type AuditRecordDto = Static<typeof AuditRecordDto>

/** Filters of GET /audit and GET /audit/export; dates are epoch ms, `from` inclusive and `to` exclusive. */
export const AuditFilters = {
  actorId: Type.Optional(Id),
  action: Type.Optional(Type.String({ maxLength: 80, description: 'Matches actions starting with this text (e.g. `user.` or `export.created`).' })),
  targetType: Type.Optional(Type.String({ maxLength: 40 })),
  targetId: Type.Optional(Id),
  ip: Type.Optional(Type.String({ maxLength: 64 })),
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
  q: Type.Optional(Type.String({ maxLength: 100, description: 'Free text over action, target type and the entry data.' })),
}
export const AuditQuery = Type.Object({ ...AuditFilters, ...CursorQuery })
export type AuditQuery = Static<typeof AuditQuery>
export const AuditExportQuery = Type.Object({ ...AuditFilters, format: Type.Union([Type.Literal('csv'), Type.Literal('json')]) })
export type AuditExportQuery = Static<typeof AuditExportQuery>

export const EXPORT_KINDS = ['tickets', 'contacts', 'contact_data'] as const
export type ExportKind = (typeof EXPORT_KINDS)[number]
export const EXPORT_FORMATS = ['csv', 'json'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]
/** deleted: a contact's data export removed when the contact was erased. */
export const EXPORT_STATUSES = ['queued', 'running', 'done', 'failed', 'deleted'] as const
export type ExportStatus = (typeof EXPORT_STATUSES)[number]

export const TicketExportFilters = Type.Object(
  {
    status: Type.Optional(Type.Array(TicketStatusSchema, { maxItems: TICKET_STATUSES.length })),
    inboxId: Type.Optional(Id),
    createdFrom: Type.Optional(Timestamp),
    createdTo: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
)
export type TicketExportFilters = Static<typeof TicketExportFilters>
export const ContactExportFilters = Type.Object(
  { organizationId: Type.Optional(Id), createdFrom: Type.Optional(Timestamp), createdTo: Type.Optional(Timestamp) },
  { additionalProperties: false },
)
export type ContactExportFilters = Static<typeof ContactExportFilters>

export const ExportInput = Type.Union([
  Type.Object(
    { kind: Type.Literal('tickets'), format: Type.Union([Type.Literal('csv'), Type.Literal('json')]), filters: Type.Optional(TicketExportFilters) },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal('contacts'), format: Type.Union([Type.Literal('csv'), Type.Literal('json')]), filters: Type.Optional(ContactExportFilters) },
    { additionalProperties: false },
  ),
])
export type ExportInput = Static<typeof ExportInput>

export const ExportDto = Type.Object({
  id: Id,
  kind: Type.Enum(EXPORT_KINDS),
  format: Type.Enum(EXPORT_FORMATS),
  filters: Type.Record(Type.String(), Type.Unknown()),
  contactId: Nullable(Id),
  status: Type.Enum(EXPORT_STATUSES),
  rowCount: Type.Integer(),
  /** Rows the export expects to write (counted when it starts); null until then. */
  totalEstimate: Nullable(Type.Integer()),
  size: Type.Integer(),
  error: Nullable(Type.String()),
  requestedBy: Nullable(Type.Object({ id: Id, name: Type.String() })),
  createdAt: Timestamp,
  finishedAt: Nullable(Timestamp),
  fileName: Type.String(),
})
export type ExportDto = Static<typeof ExportDto>
export const ExportListQuery = Type.Object({ contactId: Type.Optional(Id), ...CursorQuery })

/** Erasing a contact is irreversible: the caller types `ERASE <contact id>`. */
export const EraseContactInput = Type.Object({ confirmation: Type.String({ maxLength: 40 }) }, { additionalProperties: false })
export type EraseContactInput = Static<typeof EraseContactInput>
export const EraseContactResult = Type.Object({
  contactId: Id,
  messagesErased: Type.Integer(),
  attachmentsDeleted: Type.Integer(),
  ticketsKept: Type.Integer(),
})
export type EraseContactResult = Static<typeof EraseContactResult>
export const eraseConfirmation = (contactId: number) => `ERASE ${contactId}`
