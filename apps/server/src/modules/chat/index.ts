import type { App } from '../../platform/http.ts'

/** Visitor side of live chat: widget sessions and socket, chat inbox settings (filled in by the chat module's routes). */
export async function chatRoutes(_app: App) {}

/** GET /widget.js: the embeddable widget bundle. */
export async function widgetAssetRoutes(_app: App) {}
