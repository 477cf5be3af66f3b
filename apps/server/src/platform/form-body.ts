import type { App } from './http.ts'

/**
 * Accepts HTML form posts (application/x-www-form-urlencoded) in a public-pages plugin: the body becomes an object of
 * its fields (the last value of a repeated field), or whatever `parse` makes of the fields. Registered per plugin, so
 * the JSON API never takes form bodies.
 */
export function acceptFormBodies(app: App, opts: { bodyLimit: number; parse?: (params: URLSearchParams) => unknown }): void {
  const parse = opts.parse ?? ((params: URLSearchParams) => Object.fromEntries(params))
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: opts.bodyLimit }, (_req, body, done) => {
    done(null, parse(new URLSearchParams(String(body))))
  })
}
