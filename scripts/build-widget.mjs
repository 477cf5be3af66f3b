// Bundles the live-chat widget (apps/widget) into one minified IIFE, apps/widget/dist/widget.js, served by the server
// at GET /widget.js. Prints the gzip size and fails when it is over the 30 KB budget (docs/CHAT-WIDGET.md).
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const outfile = path.join(root, 'apps/widget/dist/widget.js')
const BUDGET = 30 * 1024

await build({
  entryPoints: [path.join(root, 'apps/widget/src/main.ts')],
  outfile,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2019',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
})

const bytes = fs.readFileSync(outfile)
const gzip = gzipSync(bytes, { level: 9 }).length
const kb = (n) => `${(n / 1024).toFixed(1)} KB`
console.log(`Widget: apps/widget/dist/widget.js ${kb(bytes.length)}, ${kb(gzip)} gzip (budget ${kb(BUDGET)})`)
if (gzip > BUDGET) {
  console.error(`The widget bundle is over its budget: ${kb(gzip)} gzip > ${kb(BUDGET)}`)
  process.exit(1)
}
