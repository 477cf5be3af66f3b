import { describe, expect, it } from 'vitest'
import { buildTestApp, buildUser } from '../../../test/helpers.ts'

function multipart(fields: Record<string, string>, file?: { name: string; type: string; content: string }) {
  const boundary = '----allhands-test-boundary'
  let body = ''
  for (const [k, v] of Object.entries(fields)) body += `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`
  if (file)
    body += `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n${file.content}\r\n`
  body += `--${boundary}--\r\n`
  return { payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

describe('public web form', async () => {
  const app = await buildTestApp()
  const agent = await buildUser(app, { role: 'agent' })

  it('serves a form page that works without JavaScript', async () => {
    const res = await app.inject({ method: 'GET', url: '/form' })
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('<form method="post" action="/api/v1/public/form" enctype="multipart/form-data">')
    expect(res.body).toContain('<label for="email">')
  })

  it('turns a submission with an attachment into a ticket and a contact', async () => {
    const form = multipart(
      { name: 'Wanda Web', email: 'wanda@web.test', subject: 'Where is my card?', message: 'Ordered <b>two weeks</b> ago.' },
      { name: 'receipt.txt', type: 'text/plain', content: 'order 42' },
    )
    const res = await app.inject({ method: 'POST', url: '/api/v1/public/form', remoteAddress: '10.0.0.1', ...form })
    expect(res.statusCode).toBe(201)
    const ticketId = res.json().ticketId
    const ticket = (await app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}`, headers: agent.headers })).json()
    expect(ticket).toMatchObject({ subject: 'Where is my card?', requester: { name: 'Wanda Web', email: 'wanda@web.test' }, tags: ['web-form'] })
    const [message] = (await app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}/messages`, headers: agent.headers })).json().items
    expect(message.text).toBe('Ordered <b>two weeks</b> ago.')
    expect(message.html).not.toContain('<b>')
    expect(message.attachments[0]).toMatchObject({ filename: 'receipt.txt', size: 8 })
    const file = await app.inject({ method: 'GET', url: message.attachments[0].url, headers: agent.headers })
    expect(file.body).toBe('order 42')
  })

  it('redirects a browser form post to a thank-you page', async () => {
    const form = multipart({ name: 'Bea', email: 'bea@web.test', subject: 'Hi', message: 'Hello' })
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/public/form',
      remoteAddress: '10.0.0.2',
      ...form,
      headers: { ...form.headers, accept: 'text/html' },
    })
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe('/form?sent=1')
  })

  it('drops honeypot submissions silently', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/public/form',
      remoteAddress: '10.0.0.3',
      payload: { name: 'Bot', email: 'bot@spam.test', subject: 'Buy', message: 'Cheap', website: 'http://spam.test' },
    })
    expect(res.statusCode).toBe(201)
    expect(res.json().ticketId).toBeNull()
  })

  it('explains invalid submissions with 400', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/public/form',
      remoteAddress: '10.0.0.4',
      payload: { name: '', email: 'not-an-email', subject: 'x', message: 'y' },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.message).toContain('email must be a valid address')
  })

  it('rate-limits one address', async () => {
    const codes: number[] = []
    for (let i = 0; i < 7; i++) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/public/form',
        remoteAddress: '10.0.0.99',
        payload: { name: 'R', email: 'r@x.test', subject: `s${i}`, message: 'm' },
      })
      codes.push(res.statusCode)
    }
    expect(codes.slice(0, 5)).toEqual([201, 201, 201, 201, 201])
    expect(codes.slice(5)).toEqual([429, 429])
  })
})
