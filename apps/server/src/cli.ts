import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { ROLES, type Role } from '@allhands/contract'
import { ConfigError, loadConfig } from './config.ts'

const HELP = `Usage: allhands <command>

Commands:
  migrate                                   bring the database schema up to date
  user create --email E --password P [--name N] [--role owner|admin|agent|contributor]
                                            create a user (default role: agent)
  seed demo                                 fill the workspace with demo data
  reports rebuild                           recompute every report fact and rollup from the tickets
  bench [--tickets N] [--db sqlite|postgres|both]   run the benchmarks (same as npm run bench)
  backup FILE.tar.gz [--blobs-only] [--force]   archive the SQLite database and attachments while the server runs
                                            (PostgreSQL: attachments only, and prints the pg_dump command)
  restore FILE.tar.gz [--force] [--blobs-only]  check an archive, then restore it into DATA_DIR and migrate
                                            (refuses to replace an existing database without --force)

Reads DATABASE_URL and DATA_DIR like the server (see .env.example).`

async function main(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv
  if (!command || command === 'help' || command === '--help') {
    console.log(HELP)
    return 0
  }
  if (command === 'bench') {
    const root = path.resolve(import.meta.dirname, '../../..')
    return spawnSync('npm', ['run', 'bench', '--', ...argv.slice(1)], { cwd: root, stdio: 'inherit' }).status ?? 1
  }
  const config = loadConfig()
  // issue 8 backup commands: before the database is opened (restore must find DATA_DIR as it was)
  if (command === 'backup' || command === 'restore') {
    const { runBackupCommand } = await import('./modules/backup/index.ts')
    return runBackupCommand(command, config, argv.slice(1))
  }
  // Each command imports only what it runs: a CLI call (backup, user create) starts in a fraction of the time the whole
  // app's module graph takes to load.
  const { prepareDatabase } = await import('./bootstrap.ts')
  const database = await prepareDatabase(config, { operator: true })
  try {
    if (command === 'migrate') {
      console.log(`Database is up to date (${database.dialect}).`)
      return 0
    }
    if (command === 'user' && sub === 'create') {
      const { values } = parseArgs({
        args: rest,
        options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', default: 'agent' } },
      })
      if (!values.email || !values.password) throw new Error('--email and --password are required')
      if (!ROLES.includes(values.role as Role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`)
      if (values.password.length < 8) throw new Error('--password must be at least 8 characters')
      const { ensureDefaultInbox } = await import('./modules/auth/auth.service.ts')
      const { insertUser } = await import('./modules/users/users.service.ts')
      await ensureDefaultInbox(database.db)
      const id = await insertUser(database.db, {
        email: values.email,
        password: values.password,
        name: values.name ?? values.email.split('@')[0]!,
        role: values.role as Role,
      })
      console.log(`Created ${values.role} ${values.email} (id ${id}).`)
      return 0
    }
    // issue 6 reports commands
    if (command === 'reports' && sub === 'rebuild') {
      const { rebuildReports } = await import('./modules/reports/index.ts')
      await rebuildReports(database.db, { log: (line) => console.log(line) })
      return 0
    }
    if (command === 'seed' && sub === 'demo') {
      const { seedDemo } = await import('./modules/demo/seed-demo.ts')
      const summary = await seedDemo(database, { onlyIfEmpty: false })
      console.log(summary)
      return 0
    }
    console.error(`Unknown command: ${argv.join(' ')}\n\n${HELP}`)
    return 2
  } finally {
    await database.close()
  }
}

try {
  process.exitCode = await main(process.argv.slice(2))
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `allhands: ${err instanceof Error ? err.message : String(err)}`)
  process.exitCode = 1
}
