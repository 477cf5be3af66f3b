import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { DigestOptions, MailDigest } from './mail-digest.ts'
import type { DigestReply, DigestRequest } from './mail-digest.worker.ts'

interface Job {
  id: number
  request: DigestRequest
  resolve: (digest: MailDigest) => void
  reject: (err: Error) => void
  timer?: NodeJS.Timeout
  /** Parser threads that died while holding this message: a message that kills two is failed, not tried forever. */
  crashes: number
}

interface Lane {
  worker: Worker
  jobs: Map<number, Job>
  idle?: NodeJS.Timeout
  /** Set once the lane is being replaced or retired: its exit is expected. */
  gone: boolean
}

export interface MailDigestPoolOptions {
  /** Parser threads at most (each started on demand). */
  threads: number
  /** A message still being parsed after this long fails, and its thread is replaced (a pathological message must not hold the rest). */
  timeoutMs?: number
  /** A thread with nothing to do for this long stops (its memory goes back; the next message starts one again). */
  idleMs?: number
}

// A worker thread's own heap limit: a message that needs more fails alone instead of taking the server down.
const WORKER_HEAP_MB = 512

/** Starts a parser thread: the bundle's worker file next to main.mjs, or from source (tests, development) through tsx. */
function startWorker(): Worker {
  const here = import.meta.url
  const options = { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } }
  if (!here.endsWith('.ts')) return new Worker(new URL('./mail-digest.worker.mjs', here), options)
  // tsx's ESM entry (its CommonJS one cannot register the ESM hooks), found from its package.json.
  const tsxPackage = createRequire(here).resolve('tsx/package.json')
  const tsx = pathToFileURL(path.join(path.dirname(tsxPackage), 'dist/esm/api/index.mjs')).href
  const entry = new URL('./mail-digest.worker.ts', here).href
  return new Worker(`import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}) })`, {
    ...options,
    eval: true,
  })
}

/**
 * Parses and prepares inbound mail (mail-digest.ts) on worker threads, off the event loop: MIME parsing, TNEF,
 * sanitizing and reply trimming are most of a message's CPU time, and on the main thread they would delay every
 * request and socket of the node meanwhile. Messages go to the least busy thread; threads start on demand and stop
 * when idle. A thread that hangs on a message is replaced after `timeoutMs` (that message fails, the others it held
 * go to the new thread); one that dies (out of memory, say) is replaced the same way.
 */
export class MailDigestPool {
  readonly #lanes: Lane[] = []
  readonly #threads: number
  readonly #timeoutMs: number
  readonly #idleMs: number
  #nextId = 0
  #closed = false

  constructor(opts: MailDigestPoolOptions) {
    this.#threads = Math.max(1, opts.threads)
    this.#timeoutMs = opts.timeoutMs ?? 60_000
    this.#idleMs = opts.idleMs ?? 60_000
  }

  /** Parser threads running now. */
  get threads(): number {
    return this.#lanes.length
  }

  digest(raw: Buffer, opts: DigestOptions): Promise<MailDigest> {
    if (this.#closed) return Promise.reject(new Error('The mail parser is shut down'))
    return new Promise((resolve, reject) => {
      const id = ++this.#nextId
      this.#send(this.#laneFor(), { id, request: { id, raw, opts }, resolve, reject, crashes: 0 })
    })
  }

  async close(): Promise<void> {
    this.#closed = true
    const lanes = this.#lanes.splice(0)
    for (const lane of lanes) {
      lane.gone = true
      clearTimeout(lane.idle)
      for (const job of lane.jobs.values()) this.#settle(lane, job, new Error('The server is shutting down'))
    }
    await Promise.all(lanes.map((lane) => lane.worker.terminate()))
  }

  #laneFor(): Lane {
    const least = this.#lanes.reduce<Lane | undefined>((best, lane) => (!best || lane.jobs.size < best.jobs.size ? lane : best), undefined)
    if (least && (least.jobs.size === 0 || this.#lanes.length >= this.#threads)) return least
    return this.#start()
  }

  #start(): Lane {
    const lane: Lane = { worker: startWorker(), jobs: new Map(), gone: false }
    let failure: Error | undefined
    lane.worker.on('message', (reply: DigestReply) => this.#answer(lane, reply))
    lane.worker.on('error', (err) => {
      failure = err
    })
    lane.worker.on('exit', (code) => {
      if (!lane.gone) this.#replace(lane, failure ?? new Error(`The mail parser thread stopped (exit code ${code})`))
    })
    this.#lanes.push(lane)
    return lane
  }

  #send(lane: Lane, job: Job) {
    clearTimeout(lane.idle)
    lane.worker.ref()
    lane.jobs.set(job.id, job)
    job.timer = setTimeout(() => {
      this.#settle(lane, job, new Error(`Parsing the message took longer than ${Math.round(this.#timeoutMs / 1000)} s`))
      this.#replace(lane)
    }, this.#timeoutMs)
    lane.worker.postMessage(job.request)
  }

  #answer(lane: Lane, reply: DigestReply) {
    const job = lane.jobs.get(reply.id)
    if (!job) return
    this.#settle(lane, job, 'error' in reply ? new Error(reply.error) : undefined, 'digest' in reply ? reply.digest : undefined)
  }

  #settle(lane: Lane, job: Job, err: Error | undefined, digest?: MailDigest) {
    clearTimeout(job.timer)
    lane.jobs.delete(job.id)
    if (err) job.reject(err)
    else job.resolve(digest!)
    if (lane.jobs.size === 0 && !lane.gone) {
      // Idle: the thread must not keep the process alive (the CLI exits when its work is done), and stops after a while.
      lane.worker.unref()
      lane.idle = setTimeout(() => this.#retire(lane), this.#idleMs)
      lane.idle.unref()
    }
  }

  #retire(lane: Lane) {
    if (lane.gone || lane.jobs.size) return
    lane.gone = true
    this.#lanes.splice(this.#lanes.indexOf(lane), 1)
    void lane.worker.terminate()
  }

  /** Ends a thread that hung or died; what it still held goes to another thread (once: a message that killed two fails). */
  #replace(lane: Lane, crash?: Error) {
    if (lane.gone) return
    lane.gone = true
    clearTimeout(lane.idle)
    this.#lanes.splice(this.#lanes.indexOf(lane), 1)
    void lane.worker.terminate()
    for (const job of [...lane.jobs.values()]) {
      clearTimeout(job.timer)
      lane.jobs.delete(job.id)
      if (crash && ++job.crashes >= 2) job.reject(new Error(`The mail parser failed on this message: ${crash.message}`))
      else if (this.#closed) job.reject(new Error('The server is shutting down'))
      else this.#send(this.#laneFor(), job)
    }
  }
}
