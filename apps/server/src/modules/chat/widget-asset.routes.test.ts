import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Fastify from 'fastify'
import { afterAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../../test/helpers.ts'
import { widgetAssetRoutes, widgetBundlePath } from './widget-asset.routes.ts'

describe('GET /widget.js', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'allhands-widget-'))
  const file = path.join(dir, 'widget.js')
  const server = Fastify()
  await server.register(widgetAssetRoutes, { file })
  afterAll(async () => {
    await server.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('finds apps/widget/dist/widget.js from the sources and from the server bundle', () => {
    const root = path.resolve(import.meta.dirname, '../../../../..')
    const expected = path.join(root, 'apps/widget/dist/widget.js')
    expect(widgetBundlePath()).toBe(expected)
    expect(widgetBundlePath(path.join(root, 'apps/server/dist'))).toBe(expected)
  })

  it('says clearly when the widget is not built', async () => {
    const res = await server.inject({ method: 'GET', url: '/widget.js' })
    expect(res.statusCode).toBe(404)
    expect(res.body).toMatch(/not built/)
  })

  it('serves the bundle to any site with a short cache and an ETag', async () => {
    fs.writeFileSync(file, 'console.log("widget v1")')
    const res = await server.inject({ method: 'GET', url: '/widget.js', headers: { origin: 'https://shop.example.test' } })
    expect(res.statusCode).toBe(200)
    expect(res.body).toBe('console.log("widget v1")')
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(res.headers['access-control-allow-origin']).toBe('*')
    expect(res.headers['cache-control']).toMatch(/max-age=300/)
    const etag = String(res.headers.etag)
    expect((await server.inject({ method: 'GET', url: '/widget.js', headers: { 'if-none-match': etag } })).statusCode).toBe(304)

    fs.writeFileSync(file, 'console.log("widget v2, a new build")')
    const rebuilt = await server.inject({ method: 'GET', url: '/widget.js', headers: { 'if-none-match': etag } })
    expect(rebuilt.statusCode).toBe(200)
    expect(rebuilt.headers.etag).not.toBe(etag)
  })

  it('is registered on the app, public', async () => {
    const app = await buildTestApp()
    const res = await app.inject({ method: 'GET', url: '/widget.js' })
    expect(res.statusCode).toBe(fs.existsSync(widgetBundlePath()) ? 200 : 404)
  })
})
