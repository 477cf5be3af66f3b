import type { App } from '../../platform/http.ts'
import { chatSettingsRoutes } from './chat.settings.routes.ts'
import { installChatDelivery, registerChatChannel } from './chat.delivery.ts'
import { sendChatReplyEmailJob } from './jobs/send-chat-reply-email.ts'
import { sendChatTranscriptJob } from './jobs/send-chat-transcript.ts'
import { widgetRoutes } from './widget.routes.ts'
import { availabilityNotifier } from './widget.socket.ts'

export { widgetAssetRoutes } from './widget-asset.routes.ts'
export { announceConversation, findConversation, latestConversationOf, widgetConversation } from './chat.conversations.ts'
export { announceChatStarted, onChatStarted } from './chat.hooks.ts'
export { readChatSettings } from './chat.settings.ts'

/**
 * Visitor side of live chat: chat inbox settings (admins), the widget's public routes and socket, and the
 * live path from agents to visitors (replies, typing, read receipts, availability). Its jobs and the chat
 * inbox's reply delivery are registered here, so every process role that builds the app knows them.
 */
export async function chatRoutes(app: App) {
  const ctx = app.ctx
  registerChatChannel()
  ctx.jobs.register(sendChatReplyEmailJob, sendChatTranscriptJob)
  const uninstall = installChatDelivery(ctx, availabilityNotifier(ctx, app.log), app.log)
  app.addHook('preClose', async () => {
    ctx.visitors.closing = true
  })
  app.addHook('onClose', async () => uninstall())
  await app.register(chatSettingsRoutes)
  await app.register(widgetRoutes)
}
