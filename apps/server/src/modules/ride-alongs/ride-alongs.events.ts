import type { RideAlongDto } from '@allhands/contract'
import type { DomainEvent } from '../../platform/realtime.ts'

/** The room of one ride-along: only its follower and followed person may join it. */
export const rideAlongRoom = (id: number) => `ride-along:${id}`
export const RIDE_ALONG_ROOM = /^ride-along:(\d{1,10})$/

/** Started or ended: both people's personal rooms (the banner, the list) and the ride-along room (the live view). */
export const rideAlongChanged = (ride: RideAlongDto): DomainEvent[] => {
  const payload = { rideAlongId: ride.id, active: ride.active }
  return [
    { name: 'ride_along.changed', userId: ride.follower.id, payload },
    { name: 'ride_along.changed', userId: ride.followed.id, payload },
    { name: 'ride_along.changed', room: rideAlongRoom(ride.id), payload },
  ]
}
