import { ChatSettingsDto, ChatSettingsInput, IdParams } from '@allhands/contract'
import { actorOf, type App } from '../../platform/http.ts'
import { getChatSettings, updateChatSettings } from './chat.settings.ts'

/** /chat/inboxes/:id/settings: a chat inbox's widget, origins, identity secret and embed snippet (admins). */
export async function chatSettingsRoutes(app: App) {
  const tags = ['chat']
  app.get('/chat/inboxes/:id/settings', { schema: { tags, params: IdParams, response: { 200: ChatSettingsDto } } }, async (req) =>
    getChatSettings(app.ctx, actorOf(req), req.params.id),
  )
  app.patch('/chat/inboxes/:id/settings', { schema: { tags, params: IdParams, body: ChatSettingsInput, response: { 200: ChatSettingsDto } } }, async (req) =>
    updateChatSettings(app.ctx, actorOf(req), req.params.id, req.body),
  )
}
