// The agent app's initial JavaScript: the entry script and every chunk index.html preloads with it, gzip-compressed
// (what a first visit downloads before the inbox shows). Printed by every build; over the 350 KB budget of DESIGN §6
// the build fails, as the widget's does over its own (gzip-budget.mjs).
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { holdToGzipBudget } from './gzip-budget.mjs'

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../apps/web/dist')

const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8')
const scripts = new Set([...html.matchAll(/<(?:script|link)\b[^>]*?(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]))
if (!scripts.size) {
  console.error('apps/web/dist/index.html loads no script: the web build is broken')
  process.exit(1)
}
holdToGzipBudget({
  label: `Agent app: initial JavaScript (${scripts.size} files)`,
  name: "The agent app's initial JavaScript",
  files: [...scripts].map((file) => path.join(dist, file)),
  budget: 350 * 1024,
})
