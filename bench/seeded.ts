import pg from 'pg'

/** What the benches need to know about a seeded database they did not seed in this run (`--reuse`, `bench:explain`). */
export interface SeededFacts {
  tickets: number
  messages: number
  contacts: number
  /** The five inbox filters of the normal bench (see `inboxFilters` in scenarios.ts), found from the data. */
  inboxQueries: string[]
  /** The long conversations the demo generator seeds (about 50 messages each). */
  longTicketIds: number[]
}

/** Reads the bench's parameters from a seeded database, the way `inboxFilters` picks them from the seeding's world. */
export async function seededFacts(databaseUrl: string): Promise<SeededFacts> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const one = async <T>(text: string, params: unknown[] = []): Promise<T> => (await client.query(text, params)).rows[0] as T
    const team = async (name: string) => (await one<{ id: number } | undefined>('SELECT id FROM teams WHERE name = $1', [name]))?.id
    const support = await team('Support')
    const billing = (await team('Billing')) ?? support
    const busiest = await one<{ id: number }>(
      `SELECT t.assignee_id AS id FROM tickets t JOIN team_members m ON m.user_id = t.assignee_id AND m.team_id = $1
       WHERE t.status = 'open' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
      [support],
    )
    const inbox = await one<{ id: number }>('SELECT id FROM inboxes WHERE team_id = $1 OR $1 IS NULL ORDER BY id LIMIT 1', [support ?? null])
    const long = await client.query<{ id: number }>('SELECT id FROM tickets ORDER BY message_count DESC, id LIMIT 20')
    const count = async (table: string) => Number((await one<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).n)
    return {
      tickets: await count('tickets'),
      messages: await count('messages'),
      contacts: await count('contacts'),
      inboxQueries: [
        'view=all_open',
        `status=open&assignee=${busiest.id}`,
        `team=${billing}&status=pending`,
        `inbox=${inbox.id}&status=new,open`,
        'view=unassigned',
      ],
      longTicketIds: long.rows.map((r) => r.id),
    }
  } finally {
    await client.end()
  }
}
