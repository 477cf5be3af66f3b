import http from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A real OpenID Connect provider (the `oidc-provider` package, a dev dependency) on a loopback port, for the server
 * and browser tests of single sign-on. Its development interactions ask for "any login" (the account id) and a
 * consent click; `accounts` decides which claims each login gets (mutable between tests).
 */
export type TestAccount = { email?: string; email_verified?: boolean; name?: string }
export type TestOidcProvider = {
  issuer: string
  clientId: string
  clientSecret: string
  accounts: Map<string, TestAccount>
  stop(): Promise<void>
}

export async function startTestOidcProvider(redirectUri: string): Promise<TestOidcProvider> {
  // Imported by name at run time: the package ships no type declarations and is only installed for development.
  const moduleName = 'oidc-provider'
  const { default: Provider } = await import(moduleName)
  const server = http.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const accounts = new Map<string, TestAccount>()
  const clientId = 'allhands-test'
  const clientSecret = 'allhands-test-secret-0123456789'
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ['allhands-test-provider-cookie-key'] },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    async findAccount(_ctx: unknown, sub: string) {
      const account = accounts.get(sub)
      if (!account) return undefined
      return { accountId: sub, claims: async () => ({ sub, ...account }) }
    },
  })
  // It warns that the dev interactions and keys are not for production: they are not, this is a test provider.
  provider.on('server_error', (_ctx: unknown, err: Error) => console.error('test OIDC provider error', err))
  server.on('request', provider.callback())
  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/**
 * Drives the provider's sign-in over plain HTTP like a browser would (cookies, login form, consent form) from its
 * authorization URL until it redirects back to us; answers that redirect URL.
 */
export async function signInAtTestProvider(authorizationUrl: string, login: string, redirectUri: string): Promise<string> {
  const jar = new Map<string, string>()
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
  const keepCookies = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';')
      const eq = pair!.indexOf('=')
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1))
    }
  }
  let url = authorizationUrl
  let body: URLSearchParams | undefined
  for (let step = 0; step < 12; step++) {
    if (url.startsWith(redirectUri)) return url
    const res = await fetch(url, {
      method: body ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: cookieHeader(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body,
    })
    keepCookies(res)
    body = undefined
    const location = res.headers.get('location')
    if (location) {
      url = new URL(location, url).href
      continue
    }
    const html = await res.text()
    if (res.status !== 200) throw new Error(`provider answered ${res.status}: ${html.slice(0, 500)}`)
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1]
    if (!action) throw new Error(`no form on the provider page: ${html.slice(0, 500)}`)
    url = new URL(action.replace(/&amp;/g, '&'), url).href
    body = html.includes('name="login"') ? new URLSearchParams({ prompt: 'login', login, password: 'any' }) : new URLSearchParams({ prompt: 'consent' })
  }
  throw new Error('the provider did not redirect back')
}
