import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { deleteBlobIfUnreferenced } from '../../platform/blob-rows.ts'
import { sanitizeRichText } from '../../platform/sanitize.ts'
import { buildTestApp, buildUser } from '../../../test/helpers.ts'

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')

function multipart(name: string, type: string, content: Buffer) {
  const boundary = 'kbB0undary'
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`)
  return { payload: Buffer.concat([head, content, Buffer.from(`\r\n--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` }
}

describe('knowledge-base article files', async () => {
  const app = await buildTestApp({ PUBLIC_URL: 'http://help.example.test' })
  const agent = await buildUser(app, { role: 'agent' })
  const contributor = await buildUser(app, { role: 'contributor' })

  const call = async (as: { headers: Record<string, string> } | null, method: string, url: string, payload?: unknown) =>
    app.inject({ method: method as 'GET', url, headers: as?.headers ?? {}, ...(payload !== undefined ? { payload: payload as object } : {}) })
  const upload = (as: { headers: Record<string, string> } | null, articleId: number, kind: string, name: string, type: string, content: Buffer) => {
    const form = multipart(name, type, content)
    return app.inject({
      method: 'POST',
      url: `/api/v1/kb/articles/${articleId}/files?kind=${kind}`,
      headers: { ...(as?.headers ?? {}), 'content-type': form.contentType },
      payload: form.payload,
    })
  }
  const article = async (as: { headers: Record<string, string> }, body: Record<string, unknown> = {}) => {
    const res = await call(as, 'POST', '/api/v1/kb/articles', { title: 'With pictures', bodyHtml: '<p>x</p>', ...body })
    expect(res.statusCode, res.body).toBe(201)
    return res.json() as { id: number }
  }
  const blobPath = (hash: string) => path.join(app.ctx.config.dataDir, 'blobs', hash.slice(0, 2), hash)
  const hashOf = async (fileId: number) =>
    (await app.ctx.db.selectFrom('kbArticleFiles').select('blobHash').where('id', '=', fileId).executeTakeFirstOrThrow()).blobHash

  it('uploads an image into an article and serves it publicly only while the article is published and public', async () => {
    const a = await article(agent)
    const res = await upload(agent, a.id, 'image', 'screen shot.png', 'image/png', PNG)
    expect(res.statusCode, res.body).toBe(201)
    const file = res.json()
    expect(file).toMatchObject({ kind: 'image', contentType: 'image/png', filename: 'screen shot.png', url: `/help/files/${file.id}/screen-shot.png` })

    // The sanitizer keeps our image addresses in the article body.
    const body = `<p>See:</p><img src="${file.url}" alt="Settings screen">`
    expect(sanitizeRichText(body)).toContain(`src="${file.url}"`)
    expect(sanitizeRichText('<img src="/help/files/1/../../api/v1/users">')).not.toContain('src=')
    await call(agent, 'PATCH', `/api/v1/kb/articles/${a.id}`, { bodyHtml: body })

    // Draft: anonymous readers get nothing; signed-in staff see it in the editor.
    expect((await call(null, 'GET', file.url)).statusCode).toBe(404)
    const staff = await call(contributor, 'GET', file.url)
    expect(staff.statusCode).toBe(200)
    expect(staff.headers['cache-control']).toContain('private')

    await call(agent, 'POST', `/api/v1/kb/articles/${a.id}/publish`, {})
    const pub = await call(null, 'GET', file.url)
    expect(pub.statusCode).toBe(200)
    expect(pub.headers['content-type']).toBe('image/png')
    expect(pub.headers['x-content-type-options']).toBe('nosniff')
    expect(pub.headers['content-disposition']).toMatch(/^inline;/)
    expect(Buffer.compare(pub.rawPayload, PNG)).toBe(0)
    const page = await call(null, 'GET', `/help/en/articles/${a.id}`)
    const html = (await call(null, 'GET', page.headers.location as string)).body
    expect(html).toMatch(new RegExp(`<img alt="Settings screen" src="${file.url}"`))

    // Inserted into a reply (which leaves the help desk), the image has the help center's full address.
    const inserted = (await call(agent, 'GET', `/api/v1/kb/articles/${a.id}/insert`)).json()
    expect(inserted.bodyHtml).toContain(`src="http://help.example.test${file.url}"`)

    // Internal-only: staff only.
    await call(agent, 'PATCH', `/api/v1/kb/articles/${a.id}`, { visibility: 'internal' })
    expect((await call(null, 'GET', file.url)).statusCode).toBe(404)
    expect((await call(agent, 'GET', file.url)).statusCode).toBe(200)
  })

  it('refuses hostile and oversized images with clear errors, and serves attachments as downloads', async () => {
    const a = await article(agent)
    const svg = await upload(
      agent,
      a.id,
      'image',
      'logo.svg',
      'image/svg+xml',
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    )
    expect(svg.statusCode).toBe(422)
    expect(svg.json().error.message).toMatch(/PNG, JPEG, GIF and WebP/)
    const disguised = await upload(agent, a.id, 'image', 'cat.png', 'image/png', Buffer.from('<html><script>alert(1)</script></html>'))
    expect(disguised.statusCode).toBe(422)
    const big = await upload(agent, a.id, 'image', 'huge.png', 'image/png', Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]))
    expect(big.statusCode).toBe(413)
    expect(big.json().error.message).toMatch(/Images are limited to 5 MB/)

    const html = await upload(agent, a.id, 'attachment', 'page.html', 'text/html', Buffer.from('<script>alert(1)</script>'))
    expect(html.statusCode, html.body).toBe(201)
    const pdf = await upload(agent, a.id, 'attachment', 'guide.pdf', 'application/pdf', Buffer.from('%PDF-1.4 guide'))
    expect(pdf.statusCode).toBe(201)
    await call(agent, 'POST', `/api/v1/kb/articles/${a.id}/publish`, {})
    const served = await call(null, 'GET', html.json().url)
    expect(served.statusCode).toBe(200)
    expect(served.headers['content-type']).toBe('application/octet-stream')
    expect(served.headers['content-disposition']).toMatch(/^attachment;/)
    expect(served.headers['content-security-policy']).toContain('sandbox')
    expect((await call(null, 'GET', pdf.json().url)).headers['content-type']).toBe('application/pdf')
    const list = (await call(contributor, 'GET', `/api/v1/kb/articles/${a.id}/files`)).json()
    expect(list.items.map((f: { filename: string }) => f.filename)).toEqual(['page.html', 'guide.pdf'])
    // The help-center page lists the attachments under the article.
    const page = await call(null, 'GET', `/help/en/articles/${a.id}`)
    const body = (await call(null, 'GET', page.headers.location as string)).body
    expect(body).toContain('Attachments')
    expect(body).toContain(`href="${pdf.json().url}"`)
  })

  it('lets only whoever may edit the article add or remove files', async () => {
    const mine = await article(contributor)
    expect((await upload(contributor, mine.id, 'image', 'a.png', 'image/png', PNG)).statusCode).toBe(201)
    const theirs = await article(agent)
    expect((await upload(contributor, theirs.id, 'image', 'a.png', 'image/png', PNG)).statusCode).toBe(403)
    expect((await upload(null, theirs.id, 'image', 'a.png', 'image/png', PNG)).statusCode).toBe(401)
    const f = (await upload(agent, theirs.id, 'attachment', 'x.txt', 'text/plain', Buffer.from('x'))).json()
    expect((await call(contributor, 'DELETE', `/api/v1/kb/articles/${theirs.id}/files/${f.id}`)).statusCode).toBe(403)
    expect((await call(agent, 'DELETE', `/api/v1/kb/articles/${mine.id}/files/${f.id}`)).statusCode).toBe(404)
  })

  it('removes the bytes with the file or the article, and a missing image degrades to its alt text', async () => {
    const a = await article(agent)
    const bytes = Buffer.concat([PNG, Buffer.from(`unique-${Date.now()}-${Math.random()}`)])
    const file = (await upload(agent, a.id, 'image', 'gone.png', 'image/png', bytes)).json()
    const hash = await hashOf(file.id)
    expect(fs.existsSync(blobPath(hash))).toBe(true)
    await call(agent, 'PATCH', `/api/v1/kb/articles/${a.id}`, { bodyHtml: `<p>Before</p><img src="${file.url}" alt="Old screen"><p>After</p>` })
    await call(agent, 'POST', `/api/v1/kb/articles/${a.id}/publish`, {})
    expect((await call(agent, 'DELETE', `/api/v1/kb/articles/${a.id}/files/${file.id}`)).statusCode).toBe(200)
    expect(fs.existsSync(blobPath(hash))).toBe(false)
    expect((await call(null, 'GET', file.url)).statusCode).toBe(404)
    const page = await call(null, 'GET', `/help/en/articles/${a.id}`)
    const html = (await call(null, 'GET', page.headers.location as string)).body
    expect(html).not.toContain(file.url)
    expect(html).toContain('[Old screen]')

    const b = await article(agent)
    const other = (await upload(agent, b.id, 'attachment', 'doc.txt', 'text/plain', Buffer.from(`doc-${Date.now()}-${Math.random()}`))).json()
    const otherHash = await hashOf(other.id)
    expect((await call(agent, 'DELETE', `/api/v1/kb/articles/${b.id}`)).statusCode).toBe(200)
    expect(fs.existsSync(blobPath(otherHash))).toBe(false)
    expect(await app.ctx.db.selectFrom('kbArticleFiles').select('id').where('articleId', '=', b.id).execute()).toEqual([])
  })

  it('keeps bytes another file still uses', async () => {
    const a = await article(agent)
    const bytes = Buffer.from(`shared-${Date.now()}-${Math.random()}`)
    const one = (await upload(agent, a.id, 'attachment', 'one.txt', 'text/plain', bytes)).json()
    const two = (await upload(agent, a.id, 'attachment', 'two.txt', 'text/plain', bytes)).json()
    const hash = await hashOf(one.id)
    await call(agent, 'DELETE', `/api/v1/kb/articles/${a.id}/files/${one.id}`)
    expect(fs.existsSync(blobPath(hash))).toBe(true)
    await call(agent, 'DELETE', `/api/v1/kb/articles/${a.id}/files/${two.id}`)
    expect(fs.existsSync(blobPath(hash))).toBe(false)
  })

  it('keeps bytes a ticket attachment shares, and the attachment side keeps bytes a KB file shares', async () => {
    const a = await article(agent)
    const bytes = Buffer.from(`both-${Date.now()}-${Math.random()}`)
    const kbFile = (await upload(agent, a.id, 'attachment', 'guide.txt', 'text/plain', bytes)).json()
    const form = multipart('guide.txt', 'text/plain', bytes)
    const attachment = await app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      headers: { ...agent.headers, 'content-type': form.contentType },
      payload: form.payload,
    })
    expect(attachment.statusCode).toBe(201)
    const hash = await hashOf(kbFile.id)
    // Erasure and other cleanups ask the one helper: the KB file still needs the bytes.
    await app.ctx.db.deleteFrom('attachments').where('id', '=', attachment.json().id).execute()
    expect(await deleteBlobIfUnreferenced(app.ctx, hash)).toBe(false)
    expect((await call(null, 'GET', kbFile.url)).statusCode).toBe(404) // a draft's files stay private, but the bytes are there
    expect(fs.existsSync(blobPath(hash))).toBe(true)
    await call(agent, 'DELETE', `/api/v1/kb/articles/${a.id}/files/${kbFile.id}`)
    expect(fs.existsSync(blobPath(hash))).toBe(false)
  })
})
