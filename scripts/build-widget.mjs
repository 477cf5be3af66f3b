// Bundles the live-chat widget (apps/widget) into one minified IIFE, apps/widget/dist/widget.js, served by the server
// at GET /widget.js. Prints the gzip size and fails when it is over the 30 KB budget (docs/CHAT-WIDGET.md).
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { holdToGzipBudget } from './gzip-budget.mjs'

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

holdToGzipBudget({ label: 'Widget: apps/widget/dist/widget.js', name: 'The widget bundle', files: [outfile], budget: BUDGET })
