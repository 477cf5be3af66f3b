import { randomBytes } from 'node:crypto'
import pg from 'pg'

/** Runs one statement on a PostgreSQL server's maintenance database (`adminUrl`, e.g. `…/postgres`). */
async function adminQuery(adminUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

export interface ScratchDatabase {
  name: string
  url: string
  /** Drops the database, closing whatever is still connected to it. */
  drop(): Promise<void>
}

/**
 * A throwaway database `<prefix>_<random>` on the server of `adminUrl` (tests, the bench): empty, or a copy of
 * `template`.
 */
export async function createScratchDatabase(adminUrl: string, prefix: string, opts: { template?: string } = {}): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`
  await adminQuery(adminUrl, opts.template ? `CREATE DATABASE ${name} TEMPLATE ${opts.template}` : `CREATE DATABASE ${name}`)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return { name, url: url.toString(), drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) }
}
