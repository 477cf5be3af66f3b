import type { App } from '../../platform/http.ts'

/** Agent side of live chat: availability, routing, transfer, visitor list, invites, supervision. */
export async function chatDeskRoutes(_app: App) {}
