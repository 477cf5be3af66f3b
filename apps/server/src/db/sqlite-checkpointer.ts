import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/**
 * The worker: its own connection to the database file, which copies committed pages from the write-ahead log into
 * the database (a PASSIVE checkpoint: it never waits for or blocks readers and the writer) every `intervalMs`, and a
 * last time when told to stop. CommonJS source, so the server bundle needs no second entry point.
 */
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.file, { fileMustExist: true })
db.pragma('busy_timeout = 5000')
db.pragma('cache_size = -1024')
const checkpoint = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)') } catch {}
}
const timer = setInterval(checkpoint, workerData.intervalMs)
parentPort.on('message', (m) => {
  if (m !== 'stop') return
  clearInterval(timer)
  checkpoint()
  db.close()
  parentPort.close()
})
`

const INTERVAL_MS = 1000
/** 64 MB of 4-KB pages. */
const WAL_BACKSTOP_PAGES = 16_384

export interface Checkpointer {
  stop(): Promise<void>
}

/**
 * Runs SQLite's WAL checkpoints on a worker thread. By default the connection that commits runs them, every 1,000
 * pages: a copy of up to 4 MB and an fsync of the database file inside a commit, on the event loop, where every
 * request waits for it (under an email burst, several times a second). Here the writer only appends to the log; the
 * worker copies and syncs beside it, once a second: each completed checkpoint lets the writer start the log over,
 * which costs it one fsync of the log's header, so checkpointing more often would hand the writer more of them. The
 * writer's own automatic checkpoint stays as a backstop at a much larger log (`WAL_BACKSTOP_PAGES`) in case the worker
 * falls behind.
 */
export function startCheckpointer(sqlite: { pragma(source: string): unknown }, file: string): Checkpointer {
  sqlite.pragma(`wal_autocheckpoint = ${WAL_BACKSTOP_PAGES}`)
  const worker = new Worker(SOURCE, {
    eval: true,
    workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file, intervalMs: INTERVAL_MS },
    // A small isolate: the worker holds a timer, a connection and nothing else.
    resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 1 },
  })
  worker.unref()
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
  // A worker that fails leaves the writer's backstop checkpoints in charge; nothing is lost.
  worker.on('error', () => {})
  return {
    async stop() {
      // Held until the worker's last checkpoint is done, so a closing process waits for it.
      worker.ref()
      worker.postMessage('stop')
      await exited
    },
  }
}
