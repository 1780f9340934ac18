// Calendar days, hours and weekdays in the admin-configured time zone (setting general.timezone),
// and the UTC instants of local midnights. Pure; uses Intl only.

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string) {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    })
    formatters.set(timeZone, f)
  }
  return f
}

export interface LocalParts {
  /** `YYYY-MM-DD` in the zone. */
  date: string
  hour: number
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 }

function parts(ms: number, timeZone: string) {
  const p: Record<string, string> = {}
  for (const x of formatter(timeZone).formatToParts(new Date(ms))) p[x.type] = x.value
  return p
}

const localCache = new Map<string, LocalParts>()

/** Local date, hour and weekday of an instant (memoized per minute: events come in bursts). */
export function localParts(at: string | Date, timeZone: string): LocalParts {
  const iso = typeof at === 'string' ? at : at.toISOString()
  const key = `${timeZone}|${iso.slice(0, 16)}`
  let hit = localCache.get(key)
  if (!hit) {
    const p = parts(Date.parse(iso), timeZone)
    hit = { date: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour) % 24, weekday: WEEKDAYS[p.weekday] ?? 0 }
    if (localCache.size > 50_000) localCache.clear()
    localCache.set(key, hit)
  }
  return hit
}

/** The zone's offset from UTC in ms at an instant (local − UTC). */
function offsetAt(ms: number, timeZone: string): number {
  const p = parts(ms, timeZone)
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24, Number(p.minute), Number(p.second))
  return asUtc - Math.floor(ms / 1000) * 1000
}

/** The UTC instant of local midnight starting `date` (`YYYY-MM-DD`) in the zone. */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number)
  const guess = Date.UTC(y, m - 1, d)
  let ms = guess - offsetAt(guess, timeZone)
  // Across a DST change the offset at the result can differ from the guess's: correct once.
  ms = guess - offsetAt(ms, timeZone)
  return new Date(ms)
}

/** `YYYY-MM-DD` plus n days (calendar arithmetic, no zone involved). */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10)
}

/** Weekday of a calendar date (0 = Sunday). */
export function weekdayOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay()
}

/** Monday of the ISO week that holds `date`. */
export function isoWeekStart(date: string): string {
  return addDays(date, -((weekdayOf(date) + 6) % 7))
}

export function monthStart(date: string): string {
  return `${date.slice(0, 7)}-01`
}

export function addMonths(date: string, n: number): string {
  const [y, m] = date.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1 + n, 1)).toISOString().slice(0, 10)
}

/** Whole days between two calendar dates (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000)
}

/** True when the zone name is one Intl knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone })
    return true
  } catch {
    return false
  }
}
