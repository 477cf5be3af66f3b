import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import SQLite from 'better-sqlite3'
import type { Config } from '../../config.ts'
import { openDatabase } from '../../db/database.ts'
import { migrateToLatest } from '../../db/migrate.ts'
import { ArchiveError, readArchive, writeArchive } from './backup.archive.ts'
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, type BackupManifest, DATABASE_ENTRY } from './backup.manifest.ts'

type BackupConfig = Pick<Config, 'dataDir' | 'databaseUrl' | 'version'>

/** The live SQLite database's files: a WAL database is all three. */
const DATABASE_FILES = [DATABASE_ENTRY, `${DATABASE_ENTRY}-wal`, `${DATABASE_ENTRY}-shm`]
/** Tables whose row counts the manifest records, so an operator can see what an archive holds. */
const COUNTED_TABLES = ['users', 'tickets', 'messages', 'contacts', 'attachments']
/** Pages per backup step after the first: all of them (see snapshotDatabase). */
const ALL_PAGES = 0x7fffffff

const existing = (dir: string, names: string[]) => names.filter((n) => fs.existsSync(path.join(dir, n)))

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256')
  await pipeline(fs.createReadStream(file), hash)
  return hash.digest('hex')
}

/**
 * A consistent copy of the live database through SQLite's online backup API, safe while the server writes: never a
 * file copy, which would miss or tear the WAL. A step that the server's writes interrupt starts over, so after the
 * first step the rest is copied in one, under one read transaction that does not block writers in WAL mode.
 */
async function snapshotDatabase(dataDir: string, target: string): Promise<NonNullable<BackupManifest['database']>> {
  const source = path.join(dataDir, DATABASE_ENTRY)
  if (!fs.existsSync(source)) throw new Error(`There is no database at ${source}: nothing to back up (is DATA_DIR right?)`)
  const live = new SQLite(source, { fileMustExist: true })
  try {
    live.pragma('busy_timeout = 5000')
    await live.backup(target, { progress: () => ALL_PAGES })
  } finally {
    live.close()
  }
  const snapshot = new SQLite(target)
  let schema: string | null = null
  const counts: Record<string, number> = {}
  try {
    // One self-contained file in the archive; the server turns WAL back on when it opens it.
    snapshot.pragma('journal_mode = DELETE')
    const tables = new Set((snapshot.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((t) => t.name))
    for (const table of COUNTED_TABLES) {
      if (tables.has(table)) counts[table] = (snapshot.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
    }
    if (tables.has('kysely_migration')) {
      schema = (snapshot.prepare('SELECT name FROM kysely_migration ORDER BY name DESC LIMIT 1').get() as { name: string } | undefined)?.name ?? null
    }
  } finally {
    snapshot.close()
  }
  return { file: DATABASE_ENTRY, bytes: fs.statSync(target).size, sha256: await sha256File(target), schema, counts }
}

/**
 * Writes a backup archive of DATA_DIR: a consistent snapshot of the SQLite database (not on PostgreSQL, nor with
 * blobsOnly) and every blob. The blobs are listed after the snapshot is taken, and blobs are written before the rows
 * that refer to them and never deleted, so the archive holds every file its database refers to.
 */
export async function createBackup(
  config: BackupConfig,
  opts: { file: string; blobsOnly?: boolean; force?: boolean; log?: (line: string) => void },
): Promise<{ file: string; manifest: BackupManifest }> {
  const target = path.resolve(opts.file)
  if (!fs.existsSync(path.dirname(target))) throw new Error(`The directory ${path.dirname(target)} does not exist`)
  if (fs.existsSync(target) && !opts.force) throw new Error(`${target} already exists: choose another name, or pass --force to replace it`)
  const includeDatabase = !config.databaseUrl && !opts.blobsOnly
  // Staged beside the target: the snapshot can be as large as the database, and the target's disk is meant for it.
  const staging = await fs.promises.mkdtemp(path.join(path.dirname(target), '.allhands-backup-'))
  try {
    const database = includeDatabase ? await snapshotDatabase(config.dataDir, path.join(staging, DATABASE_ENTRY)) : null
    if (database) opts.log?.(`Database snapshot taken (${formatBytes(database.bytes)}).`)
    const manifest = await writeArchive({
      target,
      staging,
      blobsDir: path.join(config.dataDir, 'blobs'),
      includeDatabase,
      describe: (blobs) => ({
        format: BACKUP_FORMAT,
        formatVersion: BACKUP_FORMAT_VERSION,
        appVersion: config.version,
        dialect: config.databaseUrl ? 'postgres' : 'sqlite',
        createdAt: new Date().toISOString(),
        database,
        blobs,
      }),
    })
    return { file: target, manifest }
  } finally {
    await fs.promises.rm(staging, { recursive: true, force: true })
  }
}

export interface RestoreResult {
  file: string
  manifest: BackupManifest
  restoredDatabase: boolean
  /** Migrations the restored database needed to reach this version's schema. */
  migrations: string[]
  blobsAdded: number
  /** Where the replaced database was moved (with force), for the operator to delete once satisfied. */
  movedAside: string | null
}

/** Moves every staged blob that `blobsDir` lacks into it; content-addressed, so an existing file has the same bytes. */
async function mergeBlobs(staged: string, blobsDir: string): Promise<number> {
  if (!fs.existsSync(staged)) return 0
  let added = 0
  for (const dir of await fs.promises.readdir(staged)) {
    await fs.promises.mkdir(path.join(blobsDir, dir), { recursive: true })
    for (const hash of await fs.promises.readdir(path.join(staged, dir))) {
      const dest = path.join(blobsDir, dir, hash)
      if (fs.existsSync(dest) || fs.existsSync(path.join(blobsDir, dir, hash.slice(2, 4), hash))) continue
      await fs.promises.rename(path.join(staged, dir, hash), dest)
      added++
    }
  }
  return added
}

const timestamp = () => new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-')

/**
 * Restores an archive into DATA_DIR. Everything is read and checked into staging directories first (the database's
 * inside DATA_DIR, the blobs' inside DATA_DIR/blobs, which may be a mount of its own) and the database migrated
 * there; only then are files renamed into place, the database last. An existing database is replaced only with
 * `force`, and then moved aside rather than deleted. Blobs are added to those already there: content-addressed, they
 * never conflict, and the moved-aside database still finds its own. On PostgreSQL (or with blobsOnly) only the blobs
 * are restored: the database comes back through pg_restore.
 */
export async function restoreBackup(config: BackupConfig, opts: { file: string; force?: boolean; blobsOnly?: boolean }): Promise<RestoreResult> {
  const file = path.resolve(opts.file)
  if (!fs.existsSync(file)) throw new Error(`No backup archive at ${file}`)
  if (!fs.statSync(file).isFile()) throw new Error(`${file} is not a file`)
  const restoreDatabase = !config.databaseUrl && !opts.blobsOnly
  const dataDir = config.dataDir
  const blobsDir = path.join(dataDir, 'blobs')
  const refuseExisting = () => {
    if (!restoreDatabase || opts.force || !existing(dataDir, DATABASE_FILES).length) return
    throw new Error(
      `${dataDir} already holds a database (${DATABASE_ENTRY}). Restoring replaces it: stop the server, then run again with --force ` +
        '(the current database is moved aside into DATA_DIR/pre-restore-<time>/, not deleted).',
    )
  }
  refuseExisting()
  const hadDataDir = fs.existsSync(dataDir)
  const hadBlobsDir = fs.existsSync(blobsDir)
  await fs.promises.mkdir(dataDir, { recursive: true })
  // Staged on the file systems the files end up on, so putting them in place is a rename.
  const staging = await fs.promises.mkdtemp(path.join(dataDir, '.restore-'))
  const stagedBlobs = path.join(blobsDir, `.restore-${path.basename(staging).slice('.restore-'.length)}`)
  let done = false
  try {
    let manifest: BackupManifest
    try {
      manifest = await readArchive(file, { databaseDir: staging, blobsDir: stagedBlobs })
    } catch (err) {
      if (err instanceof ArchiveError) throw new Error(`${file} is not a usable Allhands backup: ${err.message}. Nothing in ${dataDir} was changed.`)
      throw err
    }
    if (restoreDatabase && !manifest.database) {
      throw new Error(
        `${file} holds no database (it was made on PostgreSQL or with --blobs-only). Pass --blobs-only to restore its attachments alone; nothing in ${dataDir} was changed.`,
      )
    }
    let migrations: string[] = []
    if (restoreDatabase) {
      const staged = openDatabase({ databaseUrl: null, dataDir: staging })
      try {
        migrations = await migrateToLatest(staged.db)
      } catch (err) {
        throw new Error(`The restored database could not be brought up to date (${(err as Error).message}); nothing in ${dataDir} was changed.`)
      } finally {
        await staged.close()
      }
    }
    refuseExisting()
    let movedAside: string | null = null
    const replaced = restoreDatabase ? existing(dataDir, DATABASE_FILES) : []
    if (replaced.length) {
      movedAside = path.join(dataDir, `pre-restore-${timestamp()}`)
      await fs.promises.mkdir(movedAside)
      for (const name of replaced) await fs.promises.rename(path.join(dataDir, name), path.join(movedAside, name))
    }
    const blobsAdded = await mergeBlobs(stagedBlobs, blobsDir)
    // The database appears last: until then a server started on DATA_DIR finds none rather than half a restore.
    if (restoreDatabase) {
      for (const name of existing(staging, DATABASE_FILES)) await fs.promises.rename(path.join(staging, name), path.join(dataDir, name))
    }
    done = true
    return { file, manifest, restoredDatabase: restoreDatabase, migrations, blobsAdded, movedAside }
  } finally {
    await fs.promises.rm(staging, { recursive: true, force: true })
    await fs.promises.rm(stagedBlobs, { recursive: true, force: true })
    // A refused archive leaves DATA_DIR as it found it, down to the directories this run created.
    if (!done && !hadBlobsDir) await fs.promises.rmdir(blobsDir).catch(() => {})
    if (!done && !hadDataDir) await fs.promises.rmdir(dataDir).catch(() => {})
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let value = n / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`
}
