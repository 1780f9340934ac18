import { intlLocale, t } from './index'

/** Wraps a value in Unicode isolates so Latin names and numbers keep their order in Hebrew text. */
export const isolate = (value: string | number) => `\u2068${value}\u2069`

/** A number with its unit in the active language, e.g. "1.4 ms" / "1.4 אלפיות שנייה". */
export function formatUnit(
  value: number,
  unit: 'millisecond' | 'second',
  maximumFractionDigits = 2,
): string {
  return new Intl.NumberFormat(intlLocale(), {
    style: 'unit',
    unit,
    unitDisplay: 'short',
    maximumFractionDigits,
  }).format(value)
}

const toDate = (value: string | Date) => (value instanceof Date ? value : new Date(value))

/** Date and time in the active UI language, e.g. "Jul 3, 2026, 2:05 PM". */
export function formatDateTime(value: string | Date): string {
  const date = toDate(value)
  if (Number.isNaN(date.getTime())) return String(value)
  return new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(
    date,
  )
}

export function formatDate(value: string | Date): string {
  const date = toDate(value)
  if (Number.isNaN(date.getTime())) return String(value)
  return new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'long' }).format(date)
}

const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Infinity],
]

/** "5 minutes ago" / "לפני 5 דקות". */
export function formatRelative(value: string | Date, now = Date.now()): string {
  let amount = (toDate(value).getTime() - now) / 1000
  if (Number.isNaN(amount)) return String(value)
  const format = new Intl.RelativeTimeFormat(intlLocale(), { numeric: 'auto' })
  for (const [unit, size] of STEPS) {
    if (Math.abs(amount) < size) return format.format(Math.round(amount), unit)
    amount /= size
  }
  return format.format(Math.round(amount), 'year')
}

/** A wait such as a Retry-After, in the largest whole unit that reads naturally. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(1, Math.ceil(totalSeconds))
  if (seconds < 90) {
    return seconds === 1 ? t('duration.second') : t('duration.seconds', { n: seconds })
  }
  const minutes = Math.ceil(seconds / 60)
  if (minutes < 90) {
    return minutes === 1 ? t('duration.minute') : t('duration.minutes', { n: minutes })
  }
  const hours = Math.ceil(minutes / 60)
  return hours === 1 ? t('duration.hour') : t('duration.hours', { n: hours })
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB']

/**
 * Binary sizes such as "1 MB", with the locale's digits. Unit symbols stay Latin: that is how
 * Hebrew technical text writes them, and CLDR's Hebrew pattern (unit first, no space) reads badly.
 */
export function formatBytes(bytes: number): string {
  let value = bytes
  let index = 0
  while (value >= 1024 && index < UNITS.length - 1) {
    value /= 1024
    index++
  }
  const digits = value < 10 && index > 0 ? 1 : 0
  const number = new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: digits }).format(value)
  return `${number}\u00a0${UNITS[index]}`
}
