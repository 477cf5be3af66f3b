import pg from 'pg'
import type { World } from '../apps/server/src/modules/demo/generate.ts'
import { TEAMS, type TeamName } from '../apps/server/src/modules/demo/demo-data.ts'
import { inboxFilters } from './scenarios.ts'
import { createTarget, type DbKind, keptTarget, seedTarget, type Target } from './target.ts'

/** What the benches need to know about a seeded database they did not seed in this run (`--reuse`, `bench:explain`). */
export interface SeededFacts {
  tickets: number
  messages: number
  contacts: number
  sizeMb: number
  /** The seeding's teams, staff and inboxes as the database holds them (no contacts: no bench phase reads them). */
  world: World
  /** The five inbox filters of the normal bench (`inboxFilters` over `world`). */
  inboxQueries: string[]
  /** The long conversations the demo generator seeds (about 50 messages each). */
  longTicketIds: number[]
}

/** Reads the bench's parameters from a seeded database: the same world, filters and tickets a fresh seeding gives. */
export async function seededFacts(databaseUrl: string): Promise<SeededFacts> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const rows = async <T>(text: string): Promise<T[]> => (await client.query(text)).rows as T[]
    const teamRows = await rows<{ id: number; name: string }>('SELECT id, name FROM teams')
    const teams = Object.fromEntries(TEAMS.map((name) => [name, teamRows.find((t) => t.name === name)?.id])) as Record<TeamName, number>
    const staff = await rows<{ id: number; name: string; role: string; team_ids: number[] }>(
      `SELECT u.id, u.name, u.role, array_agg(m.team_id ORDER BY m.team_id) AS team_ids
       FROM users u JOIN team_members m ON m.user_id = u.id GROUP BY u.id ORDER BY u.id`,
    )
    const person = (s: (typeof staff)[number]) => ({ id: s.id, name: s.name, teamIds: s.team_ids })
    const world: World = {
      agents: staff.filter((s) => s.role !== 'contributor').map(person),
      contributors: staff.filter((s) => s.role === 'contributor').map(person),
      teams,
      inboxes: (await rows<{ id: number; team_id: number | null }>('SELECT id, team_id FROM inboxes ORDER BY id')).map((i) => ({
        id: i.id,
        teamId: i.team_id,
      })),
      contacts: [],
    }
    const long = await rows<{ id: number }>('SELECT id FROM tickets ORDER BY message_count DESC, id LIMIT 20')
    const count = async (table: string) => Number((await rows<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n)
    return {
      tickets: await count('tickets'),
      messages: await count('messages'),
      contacts: await count('contacts'),
      sizeMb: Number((await rows<{ mb: string }>('SELECT pg_database_size(current_database()) / 1048576 AS mb'))[0]!.mb),
      world,
      inboxQueries: Object.values(inboxFilters(world)),
      longTicketIds: long.map((r) => r.id),
    }
  } finally {
    await client.end()
  }
}

/**
 * The database a bench measures: a new one seeded with `tickets`, or with `reuse` one an earlier --keep run seeded
 * (PostgreSQL; its data is kept). `ms`: how long the seeding took, null when reused. `name` heads the log lines.
 */
export async function prepareTarget(
  kind: DbKind,
  opts: { tickets: number; reuse?: string; name?: string },
  log: (line: string) => void,
): Promise<{ target: Target; seeded: SeededFacts & { ms: number | null } }> {
  const name = opts.name ?? kind
  if (opts.reuse) {
    log(`\n== ${name}: reusing ${opts.reuse.replace(/\/\/[^@]*@/, '//')}`)
    const facts = await seededFacts(opts.reuse)
    log(`  ${facts.tickets.toLocaleString('en')} tickets, ${facts.messages.toLocaleString('en')} messages`)
    return { target: keptTarget(opts.reuse), seeded: { ...facts, ms: null } }
  }
  log(`\n== ${name}: seeding ${opts.tickets.toLocaleString('en')} tickets`)
  const target = await createTarget(kind)
  const seeded = await seedTarget(target, opts.tickets, log)
  log(`  ${seeded.summary}`)
  return { target, seeded: { ...seeded, inboxQueries: Object.values(inboxFilters(seeded.world)) } }
}
