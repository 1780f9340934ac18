import { describe, expect, it } from 'vitest'
import { lockSeconds, secondsLeft, THROTTLE } from '../../functions/domain/login-throttle'

describe('lockSeconds', () => {
  it('allows four failures per account without a lock', () => {
    expect([1, 2, 3, 4].map((n) => lockSeconds(THROTTLE.user, n))).toEqual([0, 0, 0, 0])
  })
  it('doubles the lock from the fifth failure and caps it at 15 minutes', () => {
    expect([5, 6, 7, 8, 9, 10, 11].map((n) => lockSeconds(THROTTLE.user, n))).toEqual([15, 30, 60, 120, 240, 480, 900])
    expect(lockSeconds(THROTTLE.user, 500)).toBe(900)
  })
  it('gives a shared address more room than one account', () => {
    expect(lockSeconds(THROTTLE.address, 19)).toBe(0)
    expect(lockSeconds(THROTTLE.address, 20)).toBe(15)
  })
})

describe('secondsLeft', () => {
  const now = new Date('2026-11-23T10:00:00.000Z')
  it('rounds a running lock up to whole seconds', () => {
    expect(secondsLeft('2026-11-23T10:00:10.200Z', now)).toBe(11)
  })
  it('is zero for no lock and for a lock in the past', () => {
    expect(secondsLeft(null, now)).toBe(0)
    expect(secondsLeft('2026-11-23T09:59:59.000Z', now)).toBe(0)
  })
})
