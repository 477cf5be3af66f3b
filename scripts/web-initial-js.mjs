// The agent app's initial JavaScript: the entry script and every chunk index.html preloads with it, gzip-compressed
// (what a first visit downloads before the inbox shows). Printed by every build; over the 350 KB budget of DESIGN §6
// the build fails, as the widget's does over its own (scripts/build-widget.mjs).
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../apps/web/dist')
const BUDGET = 350 * 1024
const kb = (n) => `${(n / 1024).toFixed(1)} KB`

const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8')
const scripts = [...html.matchAll(/<(?:script|link)\b[^>]*?(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1])
if (!scripts.length) {
  console.error('apps/web/dist/index.html loads no script: the web build is broken')
  process.exit(1)
}
let raw = 0
let gzip = 0
for (const file of new Set(scripts)) {
  const bytes = fs.readFileSync(path.join(dist, file))
  raw += bytes.length
  gzip += gzipSync(bytes, { level: 9 }).length
}
console.log(`Agent app: initial JavaScript ${kb(raw)}, ${kb(gzip)} gzip in ${new Set(scripts).size} files (budget ${kb(BUDGET)})`)
if (gzip > BUDGET) {
  console.error(`The agent app's initial JavaScript is over its budget: ${kb(gzip)} gzip > ${kb(BUDGET)}`)
  process.exit(1)
}
