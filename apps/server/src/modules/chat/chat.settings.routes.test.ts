import { describe, expect, it } from 'vitest'
import { buildTestApp, buildUser } from '../../../test/helpers.ts'
import { readJson } from '../../platform/json.ts'
import { buildChatInbox } from './widget.test-support.ts'

describe('chat inbox settings', async () => {
  const app = await buildTestApp({ PUBLIC_URL: 'https://help.example.test' })
  const admin = await buildUser(app, { role: 'admin' })
  const agent = await buildUser(app, { role: 'agent' })
  const inboxId = await buildChatInbox(app, admin)
  const url = `/api/v1/chat/inboxes/${inboxId}/settings`

  it('has defaults, an identity secret made on first read and kept, and the embed snippet', async () => {
    const res = await app.inject({ method: 'GET', url, headers: admin.headers })
    expect(res.statusCode).toBe(200)
    const settings = res.json()
    expect(settings).toMatchObject({
      inboxId,
      appearance: { color: '#228be6', position: 'right', title: 'Chat with us', avatarUrl: null },
      preChatFields: [
        { key: 'name', type: 'text', required: true },
        { key: 'email', type: 'email', required: false },
      ],
      allowedOrigins: [],
      offlineFormEnabled: true,
      transcriptsEnabled: true,
      csatEnabled: true,
      routing: 'round_robin',
      embedSnippet: `<script src="https://help.example.test/widget.js" data-inbox="${inboxId}" async></script>`,
    })
    expect(settings.appearance.greeting).not.toBe('')
    expect(settings.appearance.texts.launcherLabel).toBe('Chat with us')
    expect(settings.identitySecret).toMatch(/^[0-9a-f]{64}$/)
    const again = (await app.inject({ method: 'GET', url, headers: admin.headers })).json()
    expect(again.identitySecret).toBe(settings.identitySecret)
  })

  it('saves changes, normalizes origins, rotates the secret and audits it', async () => {
    const before = (await app.inject({ method: 'GET', url, headers: admin.headers })).json()
    const res = await app.inject({
      method: 'PATCH',
      url,
      headers: admin.headers,
      payload: {
        allowedOrigins: ['https://Shop.example.test/', 'http://localhost:8080'],
        appearance: { ...before.appearance, color: '#ff0000', position: 'left', texts: { send: 'Senden', launcherLabel: 'Chat with us' } },
        preChatFields: [{ key: 'company', label: 'Company', type: 'text', required: true }],
        csatEnabled: false,
        routing: 'manual',
        rotateIdentitySecret: true,
      },
    })
    expect(res.statusCode).toBe(200)
    const saved = res.json()
    expect(saved.allowedOrigins).toEqual(['https://shop.example.test', 'http://localhost:8080'])
    expect(saved.appearance).toMatchObject({ color: '#ff0000', position: 'left' })
    expect(saved.appearance.texts.send).toBe('Senden')
    expect(saved.appearance.texts.inputPlaceholder).toBe('Type your message…')
    expect(saved).toMatchObject({ csatEnabled: false, routing: 'manual', preChatFields: [{ key: 'company', required: true }] })
    expect(saved.identitySecret).toMatch(/^[0-9a-f]{64}$/)
    expect(saved.identitySecret).not.toBe(before.identitySecret)
    const audit = await app.ctx.db.selectFrom('auditLog').selectAll().where('action', '=', 'chat.settings_changed').where('targetId', '=', inboxId).execute()
    expect(audit).toHaveLength(1)
    expect(readJson(audit[0]!.data, {})).toMatchObject({ identitySecretRotated: true, csatEnabled: false, routing: 'manual' })
  })

  it('explains bad settings with 400 and every problem', async () => {
    const res = await app.inject({
      method: 'PATCH',
      url,
      headers: admin.headers,
      payload: {
        allowedOrigins: ['javascript:alert(1)', 'https://shop.example.test/path'],
        preChatFields: [
          { key: 'name', label: 'Name', type: 'text', required: true },
          { key: 'name', label: 'Again', type: 'text', required: false },
        ],
      },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.details).toEqual([
      'allowedOrigins: "javascript:alert(1)" is not an origin like https://shop.example',
      'allowedOrigins: "https://shop.example.test/path" is not an origin like https://shop.example',
      'preChatFields: the key "name" is used twice',
    ])
  })

  it('is 404 for an inbox that is not a chat inbox, and for admins only', async () => {
    const emailInbox = (await app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: admin.headers, payload: { name: 'API', type: 'api' } })).json()
    expect((await app.inject({ method: 'GET', url: `/api/v1/chat/inboxes/${emailInbox.id}/settings`, headers: admin.headers })).statusCode).toBe(404)
    expect((await app.inject({ method: 'GET', url: '/api/v1/chat/inboxes/99999/settings', headers: admin.headers })).statusCode).toBe(404)
    const denied = await app.inject({ method: 'GET', url, headers: agent.headers })
    expect(denied.statusCode).toBe(403)
    const patch = await app.inject({ method: 'PATCH', url, headers: agent.headers, payload: { csatEnabled: true } })
    expect(patch.statusCode).toBe(403)
  })
})
