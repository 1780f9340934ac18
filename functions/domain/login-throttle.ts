/**
 * Login throttling policy, pure. Failures are counted per account and per source address; past a
 * threshold every further failure locks the key for a doubling period, capped. A correct password
 * during a lock is refused too, or the lock would not slow a guesser down.
 */
export const THROTTLE = {
  user: { freeFailures: 5, baseSeconds: 15, maxSeconds: 15 * 60 },
  address: { freeFailures: 20, baseSeconds: 15, maxSeconds: 15 * 60 },
} as const

export type ThrottlePolicy = (typeof THROTTLE)[keyof typeof THROTTLE]

/** Seconds a key stays locked after its `failures`-th consecutive failure (0 = not locked). */
export function lockSeconds(policy: ThrottlePolicy, failures: number): number {
  if (failures < policy.freeFailures) return 0
  const doublings = Math.min(failures - policy.freeFailures, 16)
  return Math.min(policy.maxSeconds, policy.baseSeconds * 2 ** doublings)
}

/** Seconds left on a lock at `now`, or 0. */
export function secondsLeft(lockedUntil: string | null | undefined, now: Date): number {
  if (!lockedUntil) return 0
  const left = Math.ceil((Date.parse(lockedUntil) - now.getTime()) / 1000)
  return left > 0 ? left : 0
}
