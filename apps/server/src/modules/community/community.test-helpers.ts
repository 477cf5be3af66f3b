import { expect } from 'vitest'
import { type SmtpSink, startSmtpSink } from '../../../test/email-peers.ts'
import { type TestApp, unique } from '../../../test/helpers.ts'

/** Test helpers shared by the community's route tests: a customer's form posts and magic-link sign-in. */
let sink: SmtpSink
/** The test file's mail sink (closed after the file): sign-in links are read from it. Call it once per file, first. */
export async function startCommunitySink(): Promise<SmtpSink> {
  sink = await startSmtpSink()
  return sink
}
export const FORM = 'application/x-www-form-urlencoded'
let ipSeq = 1
/** Each test client its own address, so the per-address rate limits stay out of the way unless a test wants them. */
export const newIp = () => `10.9.${Math.floor(ipSeq / 250)}.${(ipSeq++ % 250) + 1}`

export type Member = { cookie: string; ip: string; email: string }

export async function form(
  app: TestApp,
  url: string,
  fields: Record<string, string>,
  who?: { cookie?: string; ip?: string; headers?: Record<string, string> },
) {
  return app.inject({
    method: 'POST',
    url,
    headers: {
      'content-type': FORM,
      'x-forwarded-for': who?.ip ?? newIp(),
      // A browser says the form is our own page's (see the cross-site rule in community.pages.ts).
      'sec-fetch-site': 'same-origin',
      ...(who?.cookie ? { cookie: who.cookie } : {}),
      ...who?.headers,
    },
    payload: new URLSearchParams(fields).toString(),
  })
}

export async function mailedToken(email: string): Promise<string> {
  const mail = [...sink.received].reverse().find((m) => m.rcpt.includes(email) && /sign-in link/.test(m.parsed.subject ?? ''))
  const token = /\/community\/login\/(cml_[\w-]+)/.exec(mail?.parsed.text ?? '')?.[1]
  if (!token) throw new Error(`no sign-in link mailed to ${email}`)
  return token
}

export async function requestLink(app: TestApp, email: string, ip = newIp()) {
  const res = await form(app, '/community/login', { email, returnTo: '/community' }, { ip })
  await app.ctx.jobs.runDue()
  return res
}

/** Signs a customer in the way the page does: ask for a link, open the mailed link, press "Sign in". */
export async function signIn(app: TestApp, email = `${unique('cust')}@customer.test`): Promise<Member> {
  const ip = newIp()
  await requestLink(app, email, ip)
  const res = await form(app, `/community/login/${await mailedToken(email)}`, {}, { ip })
  expect(res.statusCode).toBe(303)
  const cookie = res.cookies.find((c) => c.name === 'allhands_community')
  return { cookie: `allhands_community=${cookie!.value}`, ip, email }
}

export const topicIdOf = (location: string) => Number(/\/community\/t\/(\d+)/.exec(location)?.[1])

/** A category with helpers to ask, answer and act as staff in it; `trustedMember` signs in a member whose first post was approved. */
export async function communityWorld(app: TestApp, staffHeaders: Record<string, string>, name = 'Cards') {
  const category = (
    await app.inject({ method: 'POST', url: '/api/v1/community/categories', headers: staffHeaders, payload: { name, description: `${name} questions` } })
  ).json() as { id: number; name: string }
  const api = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object, headers = staffHeaders) =>
    app.inject({ method, url: `/api/v1/community${url}`, headers, ...(payload ? { payload } : {}) })
  const ask = (m: Member, title: string, body: string, categoryId = category.id) =>
    form(app, '/community/ask', { categoryId: String(categoryId), title, body }, m)
  const answer = (m: Member, topicId: number, body: string) => form(app, `/community/t/${topicId}/answers`, { body }, m)
  const postsOf = async (topicId: number) =>
    (await api('GET', `/topics/${topicId}`)).json().posts as { id: number; kind: string; status: string; bodyHtml: string; editedAt: number | null }[]
  async function trustedMember(): Promise<Member> {
    const m = await signIn(app)
    const res = await ask(m, `First question ${unique('q')}`, 'Hello everyone, just saying hi.')
    const posts = await postsOf(topicIdOf(res.headers.location as string))
    expect((await api('POST', `/posts/${posts[0]!.id}/approve`)).statusCode).toBe(200)
    return m
  }
  return { category, api, ask, answer, postsOf, trustedMember }
}
