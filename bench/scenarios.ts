import type { World } from '../apps/server/src/modules/demo/generate.ts'
import { type Latency, summarize } from './stats.ts'
import { ADMIN } from './target.ts'

/** An HTTP client on one keep-alive connection pool (Node's fetch), authenticated with a personal API token. */
export class Client {
  private headers: Record<string, string> = {}
  constructor(private baseUrl: string) {}

  async login(): Promise<void> {
    const res = await fetch(`${this.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    })
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`)
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ')
    await res.arrayBuffer()
    const token = await this.request('POST', '/api/v1/tokens', { name: 'bench' }, { cookie })
    this.headers = { authorization: `Bearer ${(token.body as { token: string }).token}` }
  }

  /** The Authorization header of the bench's API token, for requests made outside this client. */
  async authHeaders(): Promise<Record<string, string>> {
    return { ...this.headers }
  }

  /** One request, body read to the end; returns status, parsed body and the wall time in ms. */
  async request(
    method: string,
    url: string,
    body?: unknown,
    headers: Record<string, string> = this.headers,
  ): Promise<{ status: number; body: unknown; ms: number }> {
    const t0 = performance.now()
    const res = await fetch(`${this.baseUrl}${url}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    const ms = performance.now() - t0
    if (res.status >= 400) throw new Error(`${method} ${url} → ${res.status}: ${text.slice(0, 300)}`)
    return { status: res.status, body: text ? JSON.parse(text) : null, ms }
  }
}

export interface ScenarioOptions {
  samples: number
  warmup: number
  creates: number
  concurrency: number
}

export interface RunFigures {
  inbox: Record<string, Latency> & { overall: Latency }
  openTicket: { ticket: Latency; messages: Latency; both: Latency }
  search: Record<string, Latency> & { overall: Latency }
  createPerSecond: number
}

export function inboxFilters(world: World): Record<string, string> {
  const busiest = world.agents.find((a) => a.teamIds.includes(world.teams.Support)) ?? world.agents[0]!
  const inbox = world.inboxes.find((i) => i.teamId === world.teams.Support) ?? world.inboxes[0]!
  return {
    'view=all_open': 'view=all_open',
    'status=open&assignee': `status=open&assignee=${busiest.id}`,
    'team&status=pending': `team=${world.teams.Billing}&status=pending`,
    'inbox&status=new,open': `inbox=${inbox.id}&status=new,open`,
    'view=unassigned': 'view=unassigned',
  }
}

/** Common words (thousands of hits), phrases, rare words and a prefix, as agents type them. */
export const SEARCHES = [
  'card',
  'refund',
  'transfer pending',
  'exchange rate',
  'pin blocked',
  'apple pay',
  'salary currency',
  'disposable virtual',
  'screenshot',
  'withdr',
]

async function sample(n: number, fn: () => Promise<number>): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < n; i++) out.push(await fn())
  return out
}

/** One measurement round against a warm server; requests are sequential so each sample is one request's latency. */
export async function runScenarios(client: Client, world: World, longTicketIds: number[], opts: ScenarioOptions): Promise<RunFigures> {
  const filters = inboxFilters(world)
  const get = async (url: string) => (await client.request('GET', url)).ms
  const list = (qs: string) => get(`/api/v1/tickets?${qs}&limit=50`)
  const open = async (i: number) => {
    const id = longTicketIds[i % longTicketIds.length]
    const t0 = performance.now()
    const [a, b] = await Promise.all([get(`/api/v1/tickets/${id}`), get(`/api/v1/tickets/${id}/messages`)])
    return { ticket: a, messages: b, both: performance.now() - t0 }
  }
  const search = (i: number) => get(`/api/v1/search?q=${encodeURIComponent(SEARCHES[i % SEARCHES.length]!)}`)

  // Warm-up: JIT, statement caches and the database's page cache.
  for (let i = 0; i < opts.warmup; i++) {
    for (const qs of Object.values(filters)) await list(qs)
    await open(i)
    await search(i)
  }

  const inbox: Record<string, Latency> = {}
  const all: number[] = []
  for (const [name, qs] of Object.entries(filters)) {
    const s = await sample(opts.samples, () => list(qs))
    inbox[name] = summarize(s)
    all.push(...s)
  }
  const opens = { ticket: [] as number[], messages: [] as number[], both: [] as number[] }
  for (let i = 0; i < opts.samples; i++) {
    const r = await open(i)
    opens.ticket.push(r.ticket)
    opens.messages.push(r.messages)
    opens.both.push(r.both)
  }
  const searchByQuery: Record<string, number[]> = Object.fromEntries(SEARCHES.map((q) => [q, []]))
  const perQuery = Math.max(10, Math.ceil(opts.samples / 4))
  for (let i = 0; i < perQuery * SEARCHES.length; i++) {
    const q = SEARCHES[i % SEARCHES.length]!
    searchByQuery[q]!.push(await search(i))
  }
  const search_ = Object.fromEntries(Object.entries(searchByQuery).map(([q, s]) => [q, summarize(s)]))

  return {
    inbox: { ...inbox, overall: summarize(all) },
    openTicket: { ticket: summarize(opens.ticket), messages: summarize(opens.messages), both: summarize(opens.both) },
    search: { ...search_, overall: summarize(Object.values(searchByQuery).flat()) },
    createPerSecond: await createThroughput(client, world, opts),
  }
}

/** POST /api/v1/tickets from `concurrency` workers until `creates` tickets exist; tickets per second. */
async function createThroughput(client: Client, world: World, opts: ScenarioOptions): Promise<number> {
  let next = 0
  const stamp = Date.now().toString(36)
  const t0 = performance.now()
  const worker = async () => {
    while (next < opts.creates) {
      const i = next++
      await client.request('POST', '/api/v1/tickets', {
        subject: `Card payment declined ${stamp}-${i}`,
        body: 'Hi,\n\nMy card was declined at the supermarket this morning although I have enough money on my account. Can you check what happened?\n\nThanks',
        requester: { email: `bench-${stamp}-${i % 500}@customer.example`, name: `Bench Customer ${i % 500}` },
        teamId: world.teams.Support,
        tags: ['card-payment-declined'],
      })
    }
  }
  await Promise.all(Array.from({ length: opts.concurrency }, worker))
  return Math.round((opts.creates / (performance.now() - t0)) * 1000)
}
