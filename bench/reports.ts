import { prepareDatabase } from '../apps/server/src/bootstrap.ts'
import { loadConfig } from '../apps/server/src/config.ts'
import type { World } from '../apps/server/src/modules/demo/generate.ts'
import { rebuildReports } from '../apps/server/src/modules/reports/index.ts'
import type { Client } from './scenarios.ts'
import { type Latency, summarize } from './stats.ts'
import type { Target } from './target.ts'

/** Reports: a full rebuild of facts and rollups, then the latency of each report route with realistic filters. */
export interface ReportsFigures {
  /** Null when the run reused a kept database (the seeding run measured it; a rebuild there leaves a million dead rows behind). */
  rebuild: { ms: number; tickets: number; cycles: number; rollupRows: number } | null
  routes: Record<string, Latency>
  overall: Latency
}

export async function measureRebuild(target: Target, log: (line: string) => void): Promise<ReportsFigures['rebuild']> {
  const database = await prepareDatabase(loadConfig({ ...target.env, LOG_LEVEL: 'warn' }), { operator: true })
  try {
    let last = 0
    return await rebuildReports(database.db, {
      log: (line) => {
        if (performance.now() - last < 10_000 && !line.includes('done')) return
        last = performance.now()
        log(`  ${line}`)
      },
    })
  } finally {
    await database.close()
  }
}

const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10)

/** Each report route as the Reports page calls it: last 30, 90 and 365 days, all tickets or one inbox/team. */
export function reportQueries(world: World): Record<string, string> {
  const inbox = world.inboxes[0]!.id
  const team = Object.values(world.teams)[0]!
  const last = (days: number) => `from=${day(days - 1)}&to=${day(0)}`
  return {
    'summary 30 d': `/api/v1/reports/summary?${last(30)}`,
    'summary 365 d, inbox': `/api/v1/reports/summary?${last(365)}&scope=inbox:${inbox}`,
    'timeseries 90 d by day': `/api/v1/reports/timeseries?${last(90)}&interval=day`,
    'timeseries 365 d by week, team': `/api/v1/reports/timeseries?${last(365)}&interval=week&scope=team:${team}`,
    'cohorts 90 d': `/api/v1/reports/cohorts?${last(90)}&split=cohort`,
    'cohorts 365 d by risk': `/api/v1/reports/cohorts?${last(365)}&split=cohort&stratify=risk`,
    'cohorts 365 d trust by category': `/api/v1/reports/cohorts?${last(365)}&split=trust&stratify=category`,
    'breakdown 90 d by person': `/api/v1/reports/breakdown?${last(90)}&by=person`,
    'breakdown 365 d by tag': `/api/v1/reports/breakdown?${last(365)}&by=tag&sort=csat`,
    'breakdown 365 d by team, CSV': `/api/v1/reports/breakdown?${last(365)}&by=team&format=csv`,
    'live dashboard': '/api/v1/reports/live',
  }
}

/** One GET, body read to the end (JSON or CSV); the wall time in ms. */
async function timedGet(baseUrl: string, headers: Record<string, string>, url: string): Promise<number> {
  const t0 = performance.now()
  const res = await fetch(`${baseUrl}${url}`, { headers })
  const body = await res.text()
  if (res.status !== 200) throw new Error(`GET ${url} → ${res.status}: ${body.slice(0, 300)}`)
  return performance.now() - t0
}

export async function measureReportRoutes(client: Client, baseUrl: string, world: World, samples: number): Promise<Omit<ReportsFigures, 'rebuild'>> {
  const headers = await client.authHeaders()
  const queries = reportQueries(world)
  // Warm-up; the first request also drains whatever the ticket-create scenario left in the report queue.
  for (const url of Object.values(queries)) for (let i = 0; i < 5; i++) await timedGet(baseUrl, headers, url)
  const routes: Record<string, Latency> = {}
  const all: number[] = []
  for (const [name, url] of Object.entries(queries)) {
    const s: number[] = []
    for (let i = 0; i < samples; i++) s.push(await timedGet(baseUrl, headers, url))
    routes[name] = summarize(s)
    all.push(...s)
  }
  return { routes, overall: summarize(all) }
}
