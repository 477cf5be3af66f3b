import { describe, expect, it } from 'vitest'
import { buildTeam, buildTestApp, buildTicket, buildUser } from '../../../test/helpers.ts'

const upload = (name: string, content: Buffer | string, type = 'application/octet-stream') => {
  const boundary = 'b0undary'
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`)
  return {
    payload: Buffer.concat([head, Buffer.from(content), Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  }
}

describe('attachments', async () => {
  const app = await buildTestApp({ ATTACHMENT_LIMIT_BYTES: '1000' })
  const team = await buildTeam(app)
  const agent = await buildUser(app, { role: 'agent' })
  const small = await buildTestApp({ BODY_LIMIT_BYTES: '2000' })

  it('uploads a file, attaches it to a reply and serves it safely', async () => {
    const up = upload('page.html', '<script>alert(1)</script>', 'text/html')
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      headers: { ...agent.headers, 'content-type': up.contentType },
      payload: up.payload,
    })
    expect(res.statusCode).toBe(201)
    const ticket = await buildTicket(app, agent, { teamId: team })
    const reply = await app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/replies`,
      headers: agent.headers,
      payload: { body: 'See attached', attachmentIds: [res.json().id] },
    })
    expect(reply.json().attachments).toHaveLength(1)
    const file = await app.inject({ method: 'GET', url: res.json().url, headers: agent.headers })
    expect(file.headers['content-type']).toBe('application/octet-stream')
    expect(file.headers['content-disposition']).toMatch(/^attachment;/)
    expect(file.headers['content-security-policy']).toContain('sandbox')
    const outsider = await buildUser(app, { role: 'contributor' })
    expect((await app.inject({ method: 'GET', url: res.json().url, headers: outsider.headers })).statusCode).toBe(403)
    const reuse = await app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/notes`,
      headers: agent.headers,
      payload: { body: 'again', attachmentIds: [res.json().id] },
    })
    expect(reuse.statusCode).toBe(422)
  })

  it('refuses files over the limit with 413', async () => {
    const up = upload('big.bin', Buffer.alloc(5000, 1))
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      headers: { ...agent.headers, 'content-type': up.contentType },
      payload: up.payload,
    })
    expect(res.statusCode).toBe(413)
    expect(res.json().error.code).toBe('payload_too_large')
  })

  it('refuses JSON bodies over the body limit with 413', async () => {
    const user = await buildUser(small, { role: 'agent' })
    const res = await small.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: user.headers,
      payload: { subject: 'x', body: 'y'.repeat(5000), requester: { email: 'a@b.test' } },
    })
    expect(res.statusCode).toBe(413)
  })
})
