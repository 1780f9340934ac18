/**
 * IOC lifetimes. Months and years are calendar arithmetic in UTC, clamped to the end of a shorter
 * month (Jan 31 + 1m = Feb 28/29, Feb 29 + 1y = Feb 28), so an expiry never spills into the next
 * month. An unknown preset throws instead of silently becoming permanent.
 */
export const TTL_PRESETS = ['1w', '1m', '3m', '1y', 'permanent'] as const
export type TtlPreset = (typeof TTL_PRESETS)[number]

const LABELS: Record<TtlPreset, string> = {
  '1w': '1 week',
  '1m': '1 month',
  '3m': '3 months',
  '1y': '1 year',
  permanent: 'Permanent',
}
const MONTHS: Partial<Record<TtlPreset, number>> = { '1m': 1, '3m': 3, '1y': 12 }
const WEEK_MS = 7 * 24 * 60 * 60 * 1000

export function isTtlPreset(value: unknown): value is TtlPreset {
  return typeof value === 'string' && (TTL_PRESETS as readonly string[]).includes(value)
}

function addUtcMonths(date: Date, months: number): Date {
  const target = new Date(date.getTime())
  const day = date.getUTCDate()
  target.setUTCDate(1)
  target.setUTCMonth(target.getUTCMonth() + months)
  const nextMonth = Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 1)
  const lastDay = new Date(nextMonth - 24 * 60 * 60 * 1000).getUTCDate()
  target.setUTCDate(Math.min(day, lastDay))
  return target
}

/** Expiry as ISO UTC with milliseconds (`2026-12-23T21:05:00.000Z`); null for `permanent`. */
export function expiryFromTtl(ttl: TtlPreset, now: Date): string | null {
  if (!isTtlPreset(ttl)) {
    throw new RangeError(`unknown TTL '${String(ttl)}' (expected ${TTL_PRESETS.join(', ')})`)
  }
  if (Number.isNaN(now.getTime())) throw new RangeError('invalid date')
  if (ttl === 'permanent') return null
  if (ttl === '1w') return new Date(now.getTime() + WEEK_MS).toISOString()
  return addUtcMonths(now, MONTHS[ttl] ?? 0).toISOString()
}

/** English label for a preset (`3m` -> `3 months`). */
export function ttlLabel(ttl: TtlPreset): string {
  return LABELS[ttl]
}
