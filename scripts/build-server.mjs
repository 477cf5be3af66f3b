// Bundles the server's own TypeScript (and the shared contract) into apps/server/dist with esbuild, so `npm start`
// runs plain Node: no TypeScript loader on the start-up path. npm packages stay external and load from node_modules.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'apps/server/package.json'), 'utf8'))
const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((name) => !name.startsWith('@allhands/'))

await build({
  entryPoints: [path.join(root, 'apps/server/src/main.ts'), path.join(root, 'apps/server/src/cli.ts')],
  outdir: path.join(root, 'apps/server/dist'),
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external,
  logLevel: 'warning',
})
