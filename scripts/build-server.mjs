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
  // The mail parser's worker thread has its own entry, next to main.mjs (modules/email/mail-digest-pool.ts).
  entryPoints: {
    main: path.join(root, 'apps/server/src/main.ts'),
    cli: path.join(root, 'apps/server/src/cli.ts'),
    'mail-digest.worker': path.join(root, 'apps/server/src/modules/email/mail-digest.worker.ts'),
  },
  outdir: path.join(root, 'apps/server/dist'),
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Memory: the bundle's source and its map stay in the heap for the process's life (V8 compiles lazily; Node keeps
  // the map for stack traces). Without whitespace and comments, ASCII-only (V8 keeps one byte a character instead of
  // two) and with a map of positions only, that is ~5 MB less heap. Names stay unminified: stack traces and profiles
  // read as the source, and --enable-source-maps points them at the TypeScript.
  sourcemap: true,
  sourcesContent: false,
  minifyWhitespace: true,
  minifySyntax: true,
  charset: 'ascii',
  external,
  logLevel: 'warning',
})

// esbuild escapes non-ASCII characters in strings and templates but leaves them in regular expression literals (the
// multilingual reply and auto-reply patterns): escaped there too, the whole bundle is ASCII. `\uXXXX` means the same
// character in a pattern, with or without the `u` flag (a surrogate pair included).
const escapeNonAscii = (text) => text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
for (const name of ['main.mjs', 'cli.mjs', 'mail-digest.worker.mjs']) {
  const file = path.join(root, 'apps/server/dist', name)
  fs.writeFileSync(file, escapeNonAscii(fs.readFileSync(file, 'utf8')))
}
