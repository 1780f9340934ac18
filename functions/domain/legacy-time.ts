/**
 * Dates of the systems Moat migrates from: naive text (`2026-01-26 06:42:13.123456`,
 * `2026-01-26T06:42:13`, `2026-01-26`) in UTC or in the source server's zone. Pure (Intl only).
 */

const NAIVE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i

export interface NaiveParts {
  y: number
  mo: number
  d: number
  h: number
  mi: number
  s: number
  ms: number
  /** Minutes east of UTC when the text carried an offset (`Z` = 0), else null. */
  offset: number | null
}

export function parseNaive(text: unknown): NaiveParts | null {
  if (typeof text !== 'string') return null
  const m = NAIVE.exec(text.trim())
  if (!m) return null
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', off] = m
  const parts = { y: +y, mo: +mo, d: +d, h: +h, mi: +mi, s: +s, ms: Math.floor(+`0.${frac || '0'}` * 1000) }
  if (parts.mo < 1 || parts.mo > 12 || parts.d < 1 || parts.h > 23 || parts.mi > 59 || parts.s > 59) return null
  const probe = new Date(Date.UTC(parts.y, parts.mo - 1, parts.d))
  if (probe.getUTCMonth() !== parts.mo - 1) return null
  let offset: number | null = null
  if (off) {
    if (off.toUpperCase() === 'Z') offset = 0
    else {
      const digits = off.replace(':', '')
      offset = (digits[0] === '-' ? -1 : 1) * (+digits.slice(1, 3) * 60 + +digits.slice(3, 5))
    }
  }
  return { ...parts, offset }
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/** Offset (minutes east of UTC) of `zone` at the instant `ms`. */
function zoneOffset(ms: number, zone: string): number {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  })
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]))
  const asUtc = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second)
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000)
}

/**
 * A naive wall-clock time in `zone` as ISO UTC with milliseconds. An explicit offset in the text
 * wins over the zone. In a DST gap the later offset is used; in an overlap, the earlier instant.
 */
export function naiveToIso(text: unknown, zone: string): string | null {
  const p = parseNaive(text)
  if (!p) return null
  const wall = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s, p.ms)
  if (p.offset !== null) return new Date(wall - p.offset * 60_000).toISOString()
  if (zone === 'UTC') return new Date(wall).toISOString()
  let guess = wall - zoneOffset(wall, zone) * 60_000
  const second = wall - zoneOffset(guess, zone) * 60_000
  if (second !== guess) guess = Math.min(guess, second)
  return new Date(guess).toISOString()
}

/** The end of a calendar day given as `YYYY-MM-DD` is not wanted: legacy "expires on D" meant midnight starting D. */
export function dateOnly(text: unknown): boolean {
  return typeof text === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(text.trim())
}
