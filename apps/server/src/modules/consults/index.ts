/** Expert consults: side threads from a ticket to a team or a person, answered in the app or by email. */
export { consultsRoutes } from './consults.routes.ts'
export { receiveConsultEmail } from './consults.inbound.ts'
export { consultReplyAddress } from './consults.addresses.ts'
export { seedConsultsDemo } from './consults.demo.ts'
