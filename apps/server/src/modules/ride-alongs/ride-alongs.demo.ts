import type { Database } from '../../db/database.ts'
import { writeJson } from '../../platform/json.ts'
import type { World } from '../demo/generate.ts'
import type { Rng } from '../demo/random.ts'

const HOUR = 3600_000
const SIDE_CHAT: [who: 'follower' | 'followed', text: string][] = [
  ['followed', 'Welcome aboard! I am on the billing queue this morning, just watch and ask anything.'],
  ['follower', 'Why did you check the order history before answering the refund question?'],
  ['followed', 'Two refunds in a month usually means a delivery problem, not a billing one. Worth a look first.'],
  ['follower', 'Makes sense. And the macro you used, is that the standard one?'],
  ['followed', 'Yes, "Refund on the way", then I adjust the dates by hand. See you on Thursday!'],
]

/** One finished ride-along from yesterday: a contributor followed an agent, with a short side chat. */
export async function seedRideAlongDemo(database: Database, world: World, rng: Rng): Promise<void> {
  const db = database.db
  const follower = world.contributors[0]
  const followed = world.agents[1] ?? world.agents[0]
  if (!follower || !followed) return
  if (await db.selectFrom('rideAlongs').select('id').limit(1).executeTakeFirst()) return
  const startedAt = Date.now() - 24 * HOUR - rng.int(0, 30) * 60_000
  const ride = await db
    .insertInto('rideAlongs')
    .values({ followerId: follower.id, followedId: followed.id, startedAt, endedAt: startedAt + 2 * HOUR, endedById: follower.id })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('rideAlongMessages')
    .values(
      SIDE_CHAT.map(([who, body], i) => ({
        rideAlongId: ride.id,
        authorId: who === 'follower' ? follower.id : followed.id,
        body,
        createdAt: startedAt + (i + 1) * 17 * 60_000,
      })),
    )
    .execute()
  for (const [action, at, actorId] of [
    ['ride_along.started', startedAt, follower.id],
    ['ride_along.ended', startedAt + 2 * HOUR, follower.id],
  ] as const) {
    await db
      .insertInto('auditLog')
      .values({
        actorId,
        action,
        targetType: 'ride_along',
        targetId: ride.id,
        data: writeJson({ followerId: follower.id, followedId: followed.id }),
        createdAt: at,
      })
      .execute()
  }
}
