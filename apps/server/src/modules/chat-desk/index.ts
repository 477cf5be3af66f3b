/** Agent side of live chat: availability, routing, transfer, visitor list, invites, supervision. */
export { chatDeskRoutes } from './chat-desk.routes.ts'
export { agentsAvailableFor, onlineAgentsQuery } from './availability.ts'
export { seedChatDemo } from './chat.demo.ts'
