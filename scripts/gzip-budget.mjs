// Holds shipped JavaScript to a gzip budget of DESIGN §6: sums the files' sizes, raw and gzip-compressed (level 9),
// prints them after `label` and exits 1 over the budget, naming the bundle as `name`. Used by the widget's build
// (scripts/build-widget.mjs) and by the agent app's initial-JavaScript check (scripts/web-initial-js.mjs).
import fs from 'node:fs'
import { gzipSync } from 'node:zlib'

const kb = (n) => `${(n / 1024).toFixed(1)} KB`

export function holdToGzipBudget({ label, name, files, budget }) {
  let raw = 0
  let gzip = 0
  for (const file of files) {
    const bytes = fs.readFileSync(file)
    raw += bytes.length
    gzip += gzipSync(bytes, { level: 9 }).length
  }
  console.log(`${label} ${kb(raw)}, ${kb(gzip)} gzip (budget ${kb(budget)})`)
  if (gzip > budget) {
    console.error(`${name} is over its budget: ${kb(gzip)} gzip > ${kb(budget)}`)
    process.exit(1)
  }
}
