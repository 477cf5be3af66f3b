import { parseArgs } from 'node:util'
import type { Config } from '../../config.ts'
import type { BackupManifest } from './backup.manifest.ts'
import { pgDumpGuidance, pgRestoreGuidance } from './backup.postgres.ts'
import { createBackup, formatBytes, restoreBackup } from './backup.service.ts'

const USAGE = {
  backup: 'Usage: allhands backup FILE.tar.gz [--blobs-only] [--force]',
  restore: 'Usage: allhands restore FILE.tar.gz [--force] [--blobs-only]',
}

function describeDatabase(db: NonNullable<BackupManifest['database']>): string {
  const counts = Object.entries(db.counts)
    .map(([table, n]) => `${n} ${table}`)
    .join(', ')
  return `database ${formatBytes(db.bytes)} (${counts})`
}

const describeBlobs = (blobs: BackupManifest['blobs']) => `${blobs.count} stored files (attachments and raw emails, ${formatBytes(blobs.bytes)})`

/** `allhands backup` / `allhands restore`: parses the arguments, runs the use case, prints what happened; returns the exit code. */
export async function runBackupCommand(command: 'backup' | 'restore', config: Config, args: string[], print = console.log): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { force: { type: 'boolean', default: false }, 'blobs-only': { type: 'boolean', default: false } },
  })
  const [file, ...extra] = positionals
  if (!file || extra.length) throw new Error(USAGE[command])
  const blobsOnly = values['blobs-only']
  if (command === 'backup') {
    if (config.databaseUrl) print([...pgDumpGuidance(config.databaseUrl, file), '', 'Archiving the attachments (DATA_DIR/blobs)…'].join('\n'))
    const { file: written, manifest } = await createBackup(config, { file, blobsOnly, force: values.force, log: print })
    const parts = [manifest.database ? describeDatabase(manifest.database) : null, describeBlobs(manifest.blobs)].filter(Boolean)
    print(`Wrote ${written}: ${parts.join('; ')}.`)
    return 0
  }
  const result = await restoreBackup(config, { file, force: values.force, blobsOnly })
  const { manifest } = result
  print(`Read ${result.file} (made ${manifest.createdAt} by Allhands ${manifest.appVersion} on ${manifest.dialect}); every checksum matches.`)
  if (manifest.appVersion !== config.version) print(`Note: this is Allhands ${config.version}; the archive comes from ${manifest.appVersion}.`)
  if (result.movedAside) print(`The previous database was moved to ${result.movedAside}; delete it once the restore is checked.`)
  if (result.restoredDatabase && manifest.database) {
    print(`Restored the ${describeDatabase(manifest.database)} into ${config.dataDir}.`)
    print(result.migrations.length ? `Migrated it to this version's schema (${result.migrations.length} migrations).` : 'Its schema is up to date.')
  } else if (manifest.database) {
    const why = config.databaseUrl ? 'DATABASE_URL points to PostgreSQL, and Allhands does not load a SQLite database into it' : '--blobs-only'
    print(`Skipped the archive's SQLite database (${why}).`)
  }
  const already = manifest.blobs.count - result.blobsAdded
  print(`Restored ${describeBlobs(manifest.blobs)} into ${config.dataDir}/blobs${already ? ` (${already} were already there)` : ''}.`)
  if (config.databaseUrl && manifest.dialect === 'postgres') print(['', ...pgRestoreGuidance(config.databaseUrl, file)].join('\n'))
  return 0
}
