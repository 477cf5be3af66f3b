export { rideAlongsRoutes } from './ride-alongs.routes.ts'
export { listAllActiveRideAlongs } from './ride-alongs.queries.ts'
export { seedRideAlongDemo } from './ride-alongs.demo.ts'
