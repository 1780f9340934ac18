import type { Db } from '../functions/env'
import { purgeThrottle } from '../functions/repos/login-throttle'

/** Address throttle counters idle this long are forgotten (a lock never outlives 15 minutes). */
const THROTTLE_IDLE_MS = 60 * 60 * 1000

/** Forgets stale login-throttle counters so a shared NAT address is not punished forever. */
export async function runHousekeeping(db: Db, now: Date) {
  const purgedThrottle = await purgeThrottle(db, new Date(now.getTime() - THROTTLE_IDLE_MS).toISOString())
  return { purgedThrottle }
}
