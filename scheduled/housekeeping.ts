import { lt } from 'drizzle-orm'
import { feedPolls } from '../schema/tables'
import type { Db } from '../functions/env'
import { purgeThrottle } from '../functions/repos/login-throttle'

/** Address throttle counters idle this long are forgotten (a lock never outlives 15 minutes). */
const THROTTLE_IDLE_MS = 60 * 60 * 1000
/** The poll log keeps 30 days: enough to see which device stopped polling and when. */
const POLL_RETENTION_MS = 30 * 86_400_000

/** Forgets stale login-throttle counters and old feed poll records. */
export async function runHousekeeping(db: Db, now: Date) {
  const purgedThrottle = await purgeThrottle(db, new Date(now.getTime() - THROTTLE_IDLE_MS).toISOString())
  const polls = await db
    .delete(feedPolls)
    .where(lt(feedPolls.at, new Date(now.getTime() - POLL_RETENTION_MS).toISOString()))
    .returning({ id: feedPolls.id })
  return { purgedThrottle, purgedPolls: polls.length }
}
