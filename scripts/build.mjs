// `npm run build`, also run by `npm start` and `npm test`: builds the agent web app and the chat widget when their
// bundles are missing or older than their sources (so a fresh `npm install` needs no extra step), checks the agent
// app's initial JavaScript against its budget (web-initial-js.mjs), then bundles the server (under a second).
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const web = path.join(root, 'apps/web')
const built = path.join(web, 'dist/index.html')

function newestMtime(dir) {
  let newest = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs)
  }
  return newest
}

const sources = [path.join(web, 'src'), path.join(root, 'packages/contract/src')]
const inputs = Math.max(...sources.map(newestMtime), ...['index.html', 'vite.config.ts', 'package.json'].map((f) => fs.statSync(path.join(web, f)).mtimeMs))
if (!fs.existsSync(built) || fs.statSync(built).mtimeMs < inputs) {
  console.log('Building the web app (apps/web)…')
  const res = spawnSync('npm', ['run', 'build', '-w', 'apps/web'], { cwd: root, stdio: 'inherit' })
  if (res.status !== 0) process.exit(res.status ?? 1)
}
await import('./web-initial-js.mjs')
const widget = path.join(root, 'apps/widget')
const widgetBuilt = path.join(widget, 'dist/widget.js')
const widgetInputs = Math.max(
  newestMtime(path.join(widget, 'src')),
  newestMtime(path.join(root, 'packages/contract/src')),
  ...[path.join(widget, 'package.json'), path.join(root, 'scripts/build-widget.mjs')].map((f) => fs.statSync(f).mtimeMs),
)
if (!fs.existsSync(widgetBuilt) || fs.statSync(widgetBuilt).mtimeMs < widgetInputs) await import('./build-widget.mjs')
await import('./build-server.mjs')
