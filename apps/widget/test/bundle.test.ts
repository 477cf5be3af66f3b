import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { expect, it } from 'vitest'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const BUDGET = 30 * 1024

it('builds widget.js as one minified script within the 30 KB gzip budget, with no HTML parsing of text', () => {
  const res = spawnSync(process.execPath, ['scripts/build-widget.mjs'], { cwd: root, encoding: 'utf8' })
  expect(res.status, res.stderr).toBe(0)
  expect(res.stdout).toMatch(/Widget: apps\/widget\/dist\/widget\.js [\d.]+ KB, [\d.]+ KB gzip/)

  const bundle = fs.readFileSync(path.join(root, 'apps/widget/dist/widget.js'), 'utf8')
  expect(gzipSync(bundle, { level: 9 }).length).toBeLessThanOrEqual(BUDGET)
  // One self-contained IIFE: no module syntax, nothing loaded at run time.
  expect(bundle.trimStart()).toMatch(/^(?:"use strict";)?\(\(\)=>\{/)
  expect(bundle).not.toMatch(/\bimport\s*[({'"]|\bexport\s*[{*]|\brequire\(/)
  // Agent and visitor text is rendered as text nodes only.
  expect(bundle).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/)
})
