// Intelligence report periods, names and the feed health score (specs/champs.md section 9). Pure.

import { addDays, addMonths, daysBetween, isoWeekStart, localParts, monthStart, startOfLocalDay } from './zoned-time'

export type ReportKind = 'day' | 'week' | 'month' | 'custom'

export interface ReportWindow {
  kind: ReportKind
  /** Local dates: start inclusive, end exclusive. */
  startDate: string
  endDate: string
  start: string
  end: string
  name: string
}

export interface ResolvedPeriod extends ReportWindow {
  prev: ReportWindow
}

/** A custom range may span at most this many days. */
export const CUSTOM_MAX_DAYS = 366

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
const short = (d: string) => `${MONTHS[Number(d.slice(5, 7)) - 1].slice(0, 3)} ${Number(d.slice(8, 10))}`
const year = (d: string) => d.slice(0, 4)

/** `Nov 23 - Nov 29, 2026`, or with both years when the range crosses one. */
function rangeText(first: string, last: string) {
  return year(first) === year(last) ? `${short(first)} - ${short(last)}, ${year(last)}` : `${short(first)}, ${year(first)} - ${short(last)}, ${year(last)}`
}

export function reportName(kind: ReportKind, startDate: string, endDate: string): string {
  const last = addDays(endDate, -1)
  if (kind === 'day') return `Daily Report - ${short(startDate)}, ${year(startDate)}`
  if (kind === 'week') return `Weekly Report - ${rangeText(startDate, last)}`
  if (kind === 'month') return `Monthly Report - ${MONTHS[Number(startDate.slice(5, 7)) - 1]} ${year(startDate)}`
  return `Report - ${rangeText(startDate, last)}`
}

function make(kind: ReportKind, startDate: string, endDate: string, tz: string): ReportWindow {
  return {
    kind,
    startDate,
    endDate,
    start: startOfLocalDay(startDate, tz).toISOString(),
    end: startOfLocalDay(endDate, tz).toISOString(),
    name: reportName(kind, startDate, endDate),
  }
}

/**
 * The period holding `date` (default today): a day, the Monday-aligned week, the calendar month;
 * or a custom inclusive range `from`..`to`. `prev` is the period before, of the same length.
 */
export function resolvePeriod(q: { period: ReportKind; date?: string; from?: string; to?: string }, now: Date, tz: string): ResolvedPeriod {
  const day = q.date ?? localParts(now, tz).date
  let cur: ReportWindow
  let prev: ReportWindow
  if (q.period === 'day') {
    cur = make('day', day, addDays(day, 1), tz)
    prev = make('day', addDays(day, -1), day, tz)
  } else if (q.period === 'week') {
    const s = isoWeekStart(day)
    cur = make('week', s, addDays(s, 7), tz)
    prev = make('week', addDays(s, -7), s, tz)
  } else if (q.period === 'month') {
    const s = monthStart(day)
    cur = make('month', s, addMonths(s, 1), tz)
    prev = make('month', addMonths(s, -1), s, tz)
  } else {
    const from = q.from!
    const end = addDays(q.to!, 1)
    const len = daysBetween(from, end)
    cur = make('custom', from, end, tz)
    prev = make('custom', addDays(from, -len), from, tz)
  }
  return { ...cur, prev }
}

/** Periods offered in the picker: 30 days, 12 weeks, 12 months back, none before the oldest IOC. */
export function availablePeriods(now: Date, tz: string, oldest: string | null) {
  const today = localParts(now, tz).date
  const floor = oldest ? localParts(oldest, tz).date : today
  const days: string[] = []
  for (let i = 0; i < 30; i++) {
    const d = addDays(today, -i)
    if (d < floor) break
    days.push(d)
  }
  const weeks: string[] = []
  for (let i = 0; i < 12; i++) {
    const w = addDays(isoWeekStart(today), -7 * i)
    if (addDays(w, 7) <= floor) break
    weeks.push(w)
  }
  const months: string[] = []
  for (let i = 0; i < 12; i++) {
    const m = addMonths(monthStart(today), -i)
    if (addMonths(m, 1) <= floor) break
    months.push(m)
  }
  return { days, weeks, months }
}

const round1 = (x: number) => Math.round(x * 10) / 10

/** Feed health: N active IOCs at period end, A of them with an anomaly not covered by an exclusion. */
export const feedHealthScore = (active: number, anomalous: number) => (active === 0 ? 100 : round1(100 * (1 - anomalous / active)))
