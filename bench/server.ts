import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { serverEnv, serverFlags } from '../scripts/server-process.mjs'

const ROOT = path.resolve(import.meta.dirname, '..')

/** A real server process, as an operator would run it. */
export interface ServerProcess {
  child: ChildProcess
  baseUrl: string
  /** Milliseconds from spawn to the first 200 on /api/v1/health. */
  startMs: number
  /** Port of the server's inbound SMTP listener. */
  smtpPort: number
  stop(): Promise<void>
}

/** A port nobody listens on right now: fixed ports collide with other servers on a shared machine. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort()
  const smtpPort = await freePort()
  const started = performance.now()
  // The same Node flags and environment as `npm start`.
  const child = spawn(process.execPath, [...serverFlags, 'apps/server/dist/main.mjs'], {
    cwd: ROOT,
    env: {
      ...serverEnv,
      ...process.env,
      ...env,
      PORT: String(port),
      SMTP_INBOUND_PORT: String(smtpPort),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ALLHANDS_DEMO: '',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  let stopping = false
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      // Say why a server vanished mid-run instead of leaving only a connection error.
      if (!stopping) console.error(`  server pid ${child.pid} exited unexpectedly (code ${code}, signal ${signal})`)
      resolve(code)
    }),
  )
  const baseUrl = `http://127.0.0.1:${port}`
  const stop = async () => {
    stopping = true
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(timer)
  }
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before it was healthy`)
    try {
      const res = await fetch(`${baseUrl}/api/v1/health`)
      await res.arrayBuffer()
      if (res.status === 200) return { child, baseUrl, startMs: performance.now() - started, smtpPort, stop }
    } catch {
      // not listening yet
    }
    if (performance.now() - started > 60_000) {
      await stop()
      throw new Error('server did not become healthy within 60 s')
    }
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** Resident set size from /proc, in MB (Linux only; NaN elsewhere). */
export function rssMb(pid: number | undefined): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1])
    return Math.round(kb / 1024)
  } catch {
    return Number.NaN
  }
}
