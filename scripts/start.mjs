// `npm start`: build what is missing (web app, server bundle), then run the server on plain Node.
import { spawn, spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { serverEnv, serverFlags } from './server-process.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const build = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio: 'inherit' })
if (build.status !== 0) process.exit(build.status ?? 1)

// Node flags and environment of the server process, shared with the bench (scripts/server-process.mjs says why).
const server = spawn(process.execPath, [...serverFlags, path.join(root, 'apps/server/dist/main.mjs')], {
  stdio: 'inherit',
  env: { ...serverEnv, ...process.env },
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal))
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
