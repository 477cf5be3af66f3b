/**
 * Public help-center speed at N articles:
 *
 *   node --import tsx bench/kb.ts [--articles 10000] [--requests 300]
 *
 * Seeds N published articles (10 categories × 10 sections, ~250 words each, a few internal ones) into a fresh SQLite
 * database, and into a fresh PostgreSQL database too when DATABASE_URL points at a server (used as the admin
 * connection; the bench database is dropped at the end). Then it builds the app and sends the requests through the
 * whole Fastify pipeline (app.inject: routing, rate limits, rendering, ETag) from rotating client addresses so the
 * public rate limits do not interfere, and reads the server time from the Server-Timing header. Prints p50/p95/max.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { type Kysely, sql } from 'kysely'
import { buildApp } from '../apps/server/src/app.ts'
import { loadConfig } from '../apps/server/src/config.ts'
import { openDatabase } from '../apps/server/src/db/database.ts'
import { migrateToLatest } from '../apps/server/src/db/migrate.ts'
import { createScratchDatabase } from '../apps/server/src/db/pg-scratch.ts'
import type { DB } from '../apps/server/src/db/schema.ts'
import { Rng } from '../apps/server/src/modules/demo/random.ts'
import { insertKbArticle, insertKbCategory, insertKbSection } from '../apps/server/src/modules/kb/index.ts'
import { type Latency, summarize } from './stats.ts'

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}
const ARTICLES = arg('articles', 10_000)
const REQUESTS = arg('requests', 300)

const COMMON =
  'account card payment transfer password reset login security limit fee refund invoice statement balance app phone email address verify identity freeze cancel order delivery pin contactless abroad currency exchange rate salary deposit withdrawal cash machine notification settings profile export download tax business team member permission subscription plan upgrade downgrade trial billing receipt dispute chargeback merchant online shop travel insurance savings interest loan credit overdraft direct debit standing order beneficiary iban swift bank branch support chat ticket privacy data consent cookie device tablet browser update version error message timeout network offline sync backup restore'.split(
    ' ',
  )
const FILLER = 'the a to and of in you your is for on with this that can it be are we when if not or will from at by then after before'.split(' ')

/** Synthetic product words so that 10k articles have a realistic, large vocabulary. */
function vocabulary(rng: Rng): string[] {
  const syll = ['ka', 'lo', 'mi', 'ter', 'van', 'sul', 'dor', 'pex', 'rin', 'tas', 'bel', 'cor', 'nu', 'fi', 'gra', 'hol']
  const words = new Set<string>()
  while (words.size < 4000) words.add(Array.from({ length: rng.int(2, 4) }, () => rng.pick(syll)).join(''))
  return [...words]
}

function sentence(rng: Rng, vocab: string[], n: number) {
  const words = Array.from({ length: n }, () => (rng.chance(0.45) ? rng.pick(FILLER) : rng.chance(0.6) ? rng.pick(COMMON) : rng.pick(vocab)))
  return `${words.join(' ')}.`.replace(/^./, (c) => c.toUpperCase())
}

async function seed(db: Kysely<DB>, dialect: 'sqlite' | 'postgres', count: number) {
  const rng = new Rng(9)
  const vocab = vocabulary(rng)
  const at = Date.now() - 86_400_000
  const sections: number[] = []
  for (let c = 0; c < 10; c++) {
    const categoryId = await insertKbCategory(db, `Category ${c + 1}`, '', c, at)
    for (let s = 0; s < 10; s++) sections.push(await insertKbSection(db, categoryId, `Section ${c + 1}.${s + 1}`, s, at))
  }
  const titles: { id: number; title: string }[] = []
  const started = performance.now()
  // One transaction per batch: a commit per article would measure the disk, not the help center.
  for (let done = 0; done < count; ) {
    const batchEnd = Math.min(count, done + 250)
    await db.transaction().execute(async (trx) => {
      for (let i = done; i < batchEnd; i++) {
        const title = `${rng.pick(COMMON)} ${rng.pick(vocab)} ${rng.pick(COMMON)} ${rng.pick(vocab)}`.replace(/^./, (c) => c.toUpperCase())
        const body = Array.from({ length: 5 }, () => `<p>${Array.from({ length: 4 }, () => sentence(rng, vocab, rng.int(8, 16))).join(' ')}</p>`).join('')
        const id = await insertKbArticle(trx, dialect, {
          title,
          bodyHtml: body,
          sectionId: rng.pick(sections),
          visibility: rng.chance(0.05) ? 'internal' : 'public',
          at: at + i,
          position: i,
        })
        titles.push({ id, title })
      }
    })
    done = batchEnd
    if (done % 2000 === 0) process.stdout.write(`  seeded ${done}/${count} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`)
  }
  return { titles, vocab }
}

function typo(word: string, rng: Rng) {
  if (word.length < 5) return word
  const i = rng.int(1, word.length - 2)
  return word.slice(0, i) + word.slice(i + 1)
}

async function run(label: string, databaseUrl: string | null): Promise<Record<string, Latency>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'allhands-bench-kb-'))
  const config = loadConfig({ DATA_DIR: dataDir, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), LOG_LEVEL: 'silent' })
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 4 })
  await migrateToLatest(database.db)
  console.log(`${label}: seeding ${ARTICLES} articles…`)
  const t0 = performance.now()
  const { titles, vocab } = await seed(database.db, database.dialect, ARTICLES)
  if (database.dialect === 'postgres') await sql`ANALYZE`.execute(database.db)
  console.log(`${label}: seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  const app = await buildApp(config, database, { logger: false })
  await app.ready()
  const rng = new Rng(4)
  let client = 0
  const time = async (url: string) => {
    client++
    const res = await app.inject({ method: 'GET', url, remoteAddress: `10.${(client >> 16) & 255}.${(client >> 8) & 255}.${client & 255}` })
    if (res.statusCode !== 200) throw new Error(`${url} → ${res.statusCode} ${res.body.slice(0, 200)}`)
    return Number(/dur=([\d.]+)/.exec(String(res.headers['server-timing']))?.[1])
  }
  const measure = async (make: () => string) => {
    for (let i = 0; i < 20; i++) await time(make()) // warm-up
    const samples: number[] = []
    for (let i = 0; i < REQUESTS; i++) samples.push(await time(make()))
    return summarize(samples)
  }
  const published = async () => {
    for (;;) {
      const t = rng.pick(titles)
      const row = await database.db.selectFrom('kbArticles').select(['visibility', 'slug']).where('id', '=', t.id).executeTakeFirstOrThrow()
      if (row.visibility === 'public') return `/help/en/articles/${t.id}-${row.slug}`
    }
  }
  const articleUrls = await Promise.all(Array.from({ length: REQUESTS + 20 }, () => published()))
  let a = 0
  const results: Record<string, Latency> = {
    'article page': await measure(() => articleUrls[a++ % articleUrls.length]!),
    'home page': await measure(() => '/help/en'),
    'search, 1 common word': await measure(() => `/help/search?lang=en&q=${rng.pick(COMMON)}`),
    'search, 2 words': await measure(() => `/help/search?lang=en&q=${encodeURIComponent(`${rng.pick(COMMON)} ${rng.pick(vocab)}`)}`),
    'search, typo (corrected)': await measure(() => `/help/search?lang=en&q=${typo(rng.pick(vocab.filter((w) => w.length >= 7)), rng)}`),
    'search, no result': await measure(() => `/help/search?lang=en&q=zzqx${rng.int(0, 1e6)}`),
    'public JSON search': await measure(() => `/api/v1/kb/public/search?lang=en&q=${rng.pick(COMMON)}`),
  }
  await app.close()
  await database.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
  return results
}

const table: { db: string; path: string; l: Latency }[] = []
for (const [k, l] of Object.entries(await run('sqlite', null))) table.push({ db: 'sqlite', path: k, l })
const adminUrl = process.env.DATABASE_URL
if (adminUrl?.startsWith('postgres')) {
  const scratch = await createScratchDatabase(adminUrl, 'allhands_bench_kb')
  try {
    for (const [k, l] of Object.entries(await run('postgres', scratch.url))) table.push({ db: 'postgres', path: k, l })
  } finally {
    await scratch.drop()
  }
}
console.log(`\nHelp center server time (Server-Timing), ${ARTICLES} articles, ${REQUESTS} requests per row\n`)
console.log(`${'database'.padEnd(10)}${'path'.padEnd(28)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}${'max ms'.padStart(9)}`)
for (const r of table)
  console.log(`${r.db.padEnd(10)}${r.path.padEnd(28)}${r.l.p50.toFixed(1).padStart(9)}${r.l.p95.toFixed(1).padStart(9)}${r.l.max.toFixed(1).padStart(9)}`)
