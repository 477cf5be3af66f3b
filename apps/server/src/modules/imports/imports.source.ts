import type { ImportRowError } from '@allhands/contract'
import type { Actor } from '../../platform/actor.ts'
import type { Ctx } from '../../platform/context.ts'
import { unprocessable } from '../../platform/errors.ts'
import { canAdminister } from '../../platform/policy.ts'
import type { ImportRow } from './imports.queries.ts'

/** A record that cannot be imported: reported with its row number, and the import goes on. */
export class RowError extends Error {
  constructor(
    readonly field: string | null,
    message: string,
  ) {
    super(message)
  }
}

/** One record of the file, numbered from 1 in file order (the resume cursor counts them). */
export type Unit<T> = { index: number; value?: T; error?: RowError }

/** What processing one record did; `report` counts what it created (contacts, tickets, messages …). */
export type Outcome = { result: 'imported' | 'updated' | 'skipped'; report?: Record<string, number> }

/** How one kind of import reads its file and imports each record. Processing must be idempotent: a resumed batch runs again. */
export interface ImportProcessor<T, S> {
  /** Records numbered up to `skipThrough` may come without their value: a reader may skip the work of decoding them. */
  read(ctx: Ctx, imp: ImportRow, skipThrough?: number): AsyncGenerator<Unit<T>>
  prepare(ctx: Ctx, imp: ImportRow): Promise<S>
  process(ctx: Ctx, imp: ImportRow, state: S, unit: { index: number; value: T }): Promise<Outcome>
}

/** The stored upload, whole (uploads are capped at IMPORT_LIMITS.uploadBytes). */
export async function readSource(ctx: Ctx, imp: Pick<ImportRow, 'blobHash'>): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of ctx.blobs.stream(imp.blobHash)) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/**
 * The admin who started the import, as the actor its changes are made by. They must still be an admin or owner:
 * an import started by someone who has since lost the role stops.
 */
export async function importActor(ctx: Ctx, imp: ImportRow): Promise<Actor> {
  const user = imp.createdById
    ? await ctx.db.selectFrom('users').select(['id', 'name', 'email', 'role', 'isActive']).where('id', '=', imp.createdById).executeTakeFirst()
    : undefined
  const actor: Actor | null = user?.isActive
    ? {
        id: user.id,
        name: user.name,
        email: user.email,
        role: user.role as Actor['role'],
        teamIds: [],
        trustLevel: 'agent',
        clearance: 'high',
        certifiedCategoryIds: [],
        onShiftUntil: null,
        shiftReviewRequired: false,
      }
    : null
  if (!actor || !canAdminister(actor)) throw unprocessable('The admin who started this import is no longer an active admin; start it again as an admin')
  return actor
}

export const rowError = (index: number, e: RowError): ImportRowError => ({ row: index, field: e.field, message: e.message.slice(0, 500) })

/** Adds counts of what a record created into the report. */
export function addToReport(report: Record<string, number>, add: Record<string, number> | undefined) {
  for (const [k, v] of Object.entries(add ?? {})) report[k] = (report[k] ?? 0) + v
}
