import pg from 'pg'

/**
 * A PostgreSQL server run with `autovacuum = off` (this workplace's CI servers are) never cleans the rows the app's
 * queue tables churn through (the report queue, the mail log, jobs): after a few runs on a kept database every read of
 * them wades through dead rows, and the figures measure that, not the app. Production servers run autovacuum; so while
 * a bench measures, this does what it would with its default settings: every interval, VACUUM (ANALYZE) each table
 * whose dead rows passed 50 + 20 % of its live ones. With autovacuum on it does nothing.
 */
export async function autovacuumStandIn(databaseUrl: string, log: (line: string) => void, intervalMs = 30_000): Promise<{ stop(): Promise<void> }> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  const { rows } = await client.query<{ autovacuum: string }>('SHOW autovacuum')
  if (rows[0]?.autovacuum === 'on') {
    await client.end()
    return { stop: async () => {} }
  }
  log('  PostgreSQL runs with autovacuum off: the bench vacuums as autovacuum would (tables past its default threshold, every 30 s)')
  let vacuumed = 0
  let running: Promise<void> = Promise.resolve()
  const round = async () => {
    const due = await client.query<{ name: string }>(
      `SELECT format('%I.%I', schemaname, relname) AS name FROM pg_stat_user_tables WHERE n_dead_tup > 50 + 0.2 * n_live_tup ORDER BY n_dead_tup DESC`,
    )
    for (const { name } of due.rows) {
      await client.query(`VACUUM (ANALYZE) ${name}`)
      vacuumed++
    }
  }
  const timer = setInterval(() => {
    running = running.then(round).catch((err: Error) => log(`  autovacuum stand-in: ${err.message}`))
  }, intervalMs)
  return {
    async stop() {
      clearInterval(timer)
      await running
      await client.end()
      if (vacuumed) log(`  autovacuum stand-in: ${vacuumed} table vacuums`)
    },
  }
}
