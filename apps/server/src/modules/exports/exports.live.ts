import type { Ctx } from '../../platform/context.ts'
import type { RoomGuard } from '../../platform/realtime.ts'
import { canExportData } from './exports.policy.ts'

/** Open export pages join this room; only those who may see exports may. */
export const EXPORTS_ROOM = 'exports'

export const exportsRoomGuard: RoomGuard = (_ctx, actor, room) => (room === EXPORTS_ROOM ? canExportData(actor) : undefined)

/**
 * Tells open export pages where an export stands (`export.changed` with {exportId, status, rowCount, totalEstimate}),
 * read after the change was committed: they update their progress bars without polling.
 */
export async function publishExportChanged(ctx: Ctx, exportId: number): Promise<void> {
  const row = await ctx.db.selectFrom('exports').select(['status', 'rowCount', 'totalEstimate']).where('id', '=', exportId).executeTakeFirst()
  if (!row) return
  ctx.realtime.publish({
    name: 'export.changed',
    room: EXPORTS_ROOM,
    payload: { exportId, status: row.status, rowCount: Number(row.rowCount), totalEstimate: row.totalEstimate === null ? null : Number(row.totalEstimate) },
  })
}
