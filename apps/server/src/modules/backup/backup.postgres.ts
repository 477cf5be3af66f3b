import path from 'node:path'

/**
 * On PostgreSQL the database is backed up by PostgreSQL's own tools: `allhands backup` archives the blobs and prints
 * the exact pg_dump / pg_restore commands for the configured DATABASE_URL.
 */

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

/** The pg_dump file that goes with an archive: `backup.tar.gz` → `backup.pgdump`, beside it. */
export function dumpFileFor(archive: string): string {
  const abs = path.resolve(archive)
  return `${abs.replace(/\.(tar\.gz|tgz)$/i, '')}.pgdump`
}

/** The URL without its password (never printed); libpq then reads PGPASSWORD or ~/.pgpass. */
function printableUrl(databaseUrl: string): { url: string; hadPassword: boolean } {
  const url = new URL(databaseUrl)
  const hadPassword = url.password !== ''
  url.password = ''
  return { url: url.toString(), hadPassword }
}

const passwordNote = (hadPassword: boolean) =>
  hadPassword ? ['', 'The password in DATABASE_URL is not printed: set PGPASSWORD (or use ~/.pgpass) in the shell that runs these.'] : []

/** What to run to dump the database, in the order that keeps the blob archive a superset of what the dump refers to. */
export function pgDumpGuidance(databaseUrl: string, archive: string): string[] {
  const { url, hadPassword } = printableUrl(databaseUrl)
  return [
    'DATABASE_URL is set: the database is PostgreSQL, which `allhands backup` does not copy. Dump it with pg_dump:',
    '',
    `  pg_dump --format=custom --file=${shellQuote(dumpFileFor(archive))} --dbname=${shellQuote(url)}`,
    '',
    'Run pg_dump first and `allhands backup` right after it: attachments are never deleted, so an archive made after',
    'the dump holds every file the dump refers to. For point-in-time recovery, use WAL archiving (docs/SCALING.md).',
    ...passwordNote(hadPassword),
  ]
}

/** What to run to load a dump back, then bring its schema up to date. */
export function pgRestoreGuidance(databaseUrl: string, archive: string): string[] {
  const { url, hadPassword } = printableUrl(databaseUrl)
  return [
    'DATABASE_URL is set: `allhands restore` puts back the attachments only. Stop every Allhands process, then',
    'restore the PostgreSQL database from its dump (--clean replaces what the dump contains) and migrate it:',
    '',
    `  pg_restore --clean --if-exists --no-owner --single-transaction --exit-on-error --dbname=${shellQuote(url)} ${shellQuote(dumpFileFor(archive))}`,
    '  allhands migrate',
    ...passwordNote(hadPassword),
  ]
}
