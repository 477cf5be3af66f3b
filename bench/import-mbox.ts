/**
 * Import rate from an mbox: `node --import tsx bench/import-mbox.ts [--messages N] [--runs 3]`.
 * Generates a realistic mbox (customer threads of one to five messages, replies quoting the previous one, threaded by
 * In-Reply-To/References, a few `>From ` lines), uploads it to a fresh SQLite database, and to a fresh PostgreSQL
 * database when DATABASE_URL is set (a scratch database is created next to it and dropped), runs the import job and
 * prints tickets/s and messages/s, the median of the runs.
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { buildApp } from '../apps/server/src/app.ts'
import { loadConfig } from '../apps/server/src/config.ts'
import { openDatabase } from '../apps/server/src/db/database.ts'
import { migrateToLatest } from '../apps/server/src/db/migrate.ts'
import { createScratchDatabase } from '../apps/server/src/db/pg-scratch.ts'
import { ensureDefaultInbox } from '../apps/server/src/modules/auth/auth.service.ts'
import { runImport } from '../apps/server/src/modules/imports/imports.run.ts'
import { insertUser } from '../apps/server/src/modules/users/users.service.ts'

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}
const MESSAGES = arg('messages', 2000)
const RUNS = arg('runs', 3)

const FIRST = ['Ada', 'Ben', 'Chloé', 'Dmitri', 'Eva', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kemi', 'Lars', 'Mei', 'Noor', 'Omar', 'Priya']
const LAST = ['Lovelace', 'Okafor', 'Dubois', 'Ivanov', 'Schmidt', 'Haddad', 'Hopper', 'Tanaka', 'García', 'Berg', 'Adeyemi', 'Nilsen', 'Chen', 'Khan']
const TOPICS = [
  ['My card was declined', 'My card was declined at the checkout twice today, although there is enough money on the account.'],
  ['Refund not received', 'I returned the order two weeks ago and the refund has still not arrived. The tracking says it was delivered.'],
  ['Cannot log in', 'Since the update I cannot log in. The page reloads after I enter my password and nothing happens.'],
  ['Invoice with wrong address', 'The invoice for March shows our old address. Could you send a corrected one for our accountant?'],
  ['Export to CSV is empty', 'When I export the report to CSV the file only has the header row, even though the table shows data.'],
  ['Change of plan', 'We would like to move from the monthly to the yearly plan. What happens to the days already paid?'],
]
const FOLLOW = [
  'Thanks for the quick answer. I tried that but it still does not work.',
  'Any news on this? It is getting urgent for us.',
  'From what I can see the problem started on Monday.',
  'That fixed it, thank you very much!',
  'I attached a screenshot last time, did you receive it?',
]

/** The mbox text and how many threads (tickets) it holds. */
function generateMbox(total: number): { mbox: Buffer; threads: number } {
  const parts: string[] = []
  let n = 0
  let threads = 0
  let t = Date.UTC(2024, 0, 1)
  while (n < total) {
    threads++
    const first = FIRST[threads % FIRST.length]!
    const last = LAST[(threads * 7) % LAST.length]!
    const from = `${first} ${last} <${first
      .toLowerCase()
      .normalize('NFD')
      .replace(/[^a-z]/g, '')}.${threads}@customer${threads % 97}.example>`
    const [subject, body] = TOPICS[threads % TOPICS.length]!
    const length = Math.min(1 + (threads % 5), total - n)
    const ids: string[] = []
    let previous = body
    for (let i = 0; i < length; i++) {
      t += 37_000
      const id = `<${threads}.${i}.${randomBytes(4).toString('hex')}@customer.example>`
      const date = new Date(t).toUTCString().replace('GMT', '+0000')
      const text =
        i === 0
          ? body
          : `${FOLLOW[(threads + i) % FOLLOW.length]}\n\nOn ${date}, ${from} wrote:\n${previous
              .split('\n')
              .map((l) => `> ${l}`)
              .join('\n')}`
      const escaped = text.replace(/^(>*From )/gm, '>$1')
      parts.push(
        [
          `From ${from.replace(/.*<|>/g, '')} ${new Date(t).toUTCString()}`,
          `From: ${from}`,
          'To: Support <support@bench.allhands.test>',
          `Subject: ${i === 0 ? subject : `Re: ${subject}`}`,
          `Date: ${date}`,
          `Message-ID: ${id}`,
          ...(ids.length ? [`In-Reply-To: ${ids[ids.length - 1]}`, `References: ${ids.join(' ')}`] : []),
          'MIME-Version: 1.0',
          'Content-Type: text/plain; charset=utf-8',
          '',
          escaped,
          '',
        ].join('\n'),
      )
      ids.push(id)
      previous = text
      n++
    }
  }
  return { mbox: Buffer.from(parts.join('\n')), threads }
}

async function runOnce(mbox: Buffer, databaseUrl: string | null) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'allhands-bench-import-'))
  const scratch = databaseUrl ? await createScratchDatabase(databaseUrl, 'allhands_bench_import') : null
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...(scratch ? { DATABASE_URL: scratch.url } : {}) })
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 4 })
  try {
    await migrateToLatest(database.db)
    const app = await buildApp(config, database, { logger: false })
    await app.ready()
    await ensureDefaultInbox(app.ctx.db)
    const password = 'correct horse battery'
    await insertUser(app.ctx.db, { email: 'bench-admin@allhands.test', name: 'Bench Admin', role: 'admin', password })
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'bench-admin@allhands.test', password } })
    const cookie = `allhands_session=${login.cookies.find((c) => c.name === 'allhands_session')!.value}`
    const inbox = await app.inject({
      method: 'POST',
      url: '/api/v1/inboxes',
      headers: { cookie },
      payload: { name: 'Archive', type: 'email', email: { addresses: ['support@bench.allhands.test'] } },
    })
    const boundary = '----bench-import'
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nmbox\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.mbox"\r\nContent-Type: application/mbox\r\n\r\n`),
      mbox,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ])
    const up = await app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    })
    if (up.statusCode !== 201) throw new Error(`upload failed: ${up.body}`)
    const id = up.json().id as number
    await app.inject({ method: 'POST', url: `/api/v1/imports/${id}/start`, headers: { cookie }, payload: { inboxId: inbox.json().id } })
    const t0 = performance.now()
    await runImport(app.ctx, id, { sliceMs: Number.POSITIVE_INFINITY })
    const seconds = (performance.now() - t0) / 1000
    const done = (await app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: { cookie } })).json()
    await app.close()
    return { seconds, report: done.report as Record<string, number>, counters: done.counters, status: done.status as string }
  } finally {
    await database.close()
    await scratch?.drop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const { mbox, threads } = generateMbox(MESSAGES)
console.log(`mbox: ${MESSAGES} messages in ${threads} threads, ${(mbox.length / 1024 / 1024).toFixed(1)} MB; ${RUNS} runs each`)
const targets: [string, string | null][] = [
  ['sqlite', null],
  ...(process.env.DATABASE_URL ? ([['postgres', process.env.DATABASE_URL]] as [string, string][]) : []),
]
for (const [label, url] of targets) {
  const runs = []
  for (let i = 0; i < RUNS; i++) runs.push(await runOnce(mbox, url))
  const last = runs[runs.length - 1]!
  if (last.status !== 'completed' || last.counters.failed) throw new Error(`${label}: the import did not finish cleanly: ${JSON.stringify(last)}`)
  const tickets = last.report.tickets ?? 0
  const messages = last.report.messages ?? 0
  console.log(
    `${label}: ${tickets} tickets, ${messages} messages · ${median(runs.map((r) => tickets / r.seconds)).toFixed(0)} tickets/s, ${median(runs.map((r) => messages / r.seconds)).toFixed(0)} messages/s (median of ${RUNS}; runs ${runs.map((r) => `${r.seconds.toFixed(1)} s`).join(', ')})`,
  )
}
