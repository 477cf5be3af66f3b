import type { Config } from './config.ts'
import { openDatabase, type Database } from './db/database.ts'
import { migrateToLatest } from './db/migrate.ts'
import { ensureDefaultInbox, needsSetup } from './modules/auth/auth.service.ts'
import { writeSettings } from './modules/settings/settings.service.ts'
import { insertUser } from './modules/users/users.service.ts'
import { slowQueryLog, slowTransactionLog } from './platform/slow-log.ts'

/**
 * Opens and migrates the database, then creates the owner from the environment on first start. Processes that answer
 * API requests get the statement timeout; workers and operator commands (`operator: true`) run without one.
 */
export async function prepareDatabase(config: Config, opts: { operator?: boolean } = {}): Promise<Database> {
  const timed = config.role !== 'worker' && !opts.operator
  const database = openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
    statementTimeoutMs: timed ? config.statementTimeoutMs : 0,
    onQuery: config.slowQueryMs > 0 ? slowQueryLog(config.slowQueryMs) : undefined,
    onHold: config.slowQueryMs > 0 ? slowTransactionLog(config.slowQueryMs) : undefined,
  })
  await migrateToLatest(database.db)
  if (config.adminEmail && config.adminPassword && (await needsSetup(database.db))) {
    await database.db.transaction().execute(async (trx) => {
      await insertUser(trx, { email: config.adminEmail!, name: config.adminEmail!.split('@')[0]!, role: 'owner', password: config.adminPassword! })
      await writeSettings(trx, { workspaceName: 'Allhands' })
      await ensureDefaultInbox(trx)
    })
  }
  return database
}
