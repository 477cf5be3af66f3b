import { SettingsDto, SettingsPatch } from '@allhands/contract'
import { actorOf, type App } from '../../platform/http.ts'
import { getSettings, updateSettings } from './settings.service.ts'

export async function settingsRoutes(app: App) {
  app.get('/settings', { schema: { tags: ['admin'], response: { 200: SettingsDto } } }, async (req) => {
    actorOf(req)
    return getSettings(app.ctx.db)
  })
  app.patch('/settings', { schema: { tags: ['admin'], body: SettingsPatch, response: { 200: SettingsDto } } }, async (req) =>
    updateSettings(app.ctx, actorOf(req), req.body),
  )
}
