import { describe, expect, it } from 'vitest'
import { TTL_PRESETS, expiryFromTtl, isTtlPreset, ttlLabel } from '../../functions/domain/ttl'

const now = new Date('2026-11-23T21:05:07.123Z')

describe('expiryFromTtl', () => {
  it('adds exactly seven days for 1w, keeping the time of day', () => {
    expect(expiryFromTtl('1w', now)).toBe('2026-11-30T21:05:07.123Z')
  })

  it('adds calendar months and years in UTC', () => {
    expect(expiryFromTtl('1m', now)).toBe('2026-12-23T21:05:07.123Z')
    expect(expiryFromTtl('3m', now)).toBe('2027-02-23T21:05:07.123Z')
    expect(expiryFromTtl('1y', now)).toBe('2027-11-23T21:05:07.123Z')
  })

  it('clamps to the last day of a shorter month', () => {
    expect(expiryFromTtl('1m', new Date('2027-01-31T10:00:00.000Z'))).toBe(
      '2027-02-28T10:00:00.000Z',
    )
    expect(expiryFromTtl('1m', new Date('2028-01-31T10:00:00.000Z'))).toBe(
      '2028-02-29T10:00:00.000Z',
    )
    expect(expiryFromTtl('3m', new Date('2026-11-30T00:00:00.000Z'))).toBe(
      '2027-02-28T00:00:00.000Z',
    )
    expect(expiryFromTtl('1y', new Date('2028-02-29T12:00:00.000Z'))).toBe(
      '2029-02-28T12:00:00.000Z',
    )
  })

  it('counts months on the UTC calendar day, late in the evening too', () => {
    // 23:30 UTC on Jan 31 is already Feb 1 east of UTC; the month arithmetic stays in UTC.
    expect(expiryFromTtl('1m', new Date('2027-01-31T23:30:00.000Z'))).toBe(
      '2027-02-28T23:30:00.000Z',
    )
  })

  it('returns null for permanent', () => {
    expect(expiryFromTtl('permanent', now)).toBeNull()
  })

  it('rejects an unknown preset instead of treating it as permanent', () => {
    expect(() => expiryFromTtl('2w' as never, now)).toThrow(/unknown TTL '2w'/)
  })

  it('does not modify the date it was given', () => {
    const at = new Date('2027-01-31T10:00:00.000Z')
    expiryFromTtl('1m', at)
    expect(at.toISOString()).toBe('2027-01-31T10:00:00.000Z')
  })
})

describe('TTL presets', () => {
  it('lists the presets in order from shortest to permanent', () => {
    expect([...TTL_PRESETS]).toEqual(['1w', '1m', '3m', '1y', 'permanent'])
  })

  it('labels each preset in English', () => {
    const labels = TTL_PRESETS.map(ttlLabel)
    expect(labels).toEqual(['1 week', '1 month', '3 months', '1 year', 'Permanent'])
  })

  it('recognizes presets and nothing else', () => {
    expect(isTtlPreset('3m')).toBe(true)
    expect(isTtlPreset('Permanent')).toBe(false)
    expect(isTtlPreset(7)).toBe(false)
  })
})
