// Team goal periods and progress (specs/champs.md section 5). Pure.

import { addDays, addMonths, isoWeekStart, localParts, monthStart, startOfLocalDay } from './zoned-time'

export const GOAL_MILESTONES = [25, 50, 75, 100] as const

export interface PeriodWindow {
  /** Local calendar dates: start inclusive, end exclusive. */
  startDate: string
  endDate: string
  /** The same as UTC instants (ISO). */
  start: string
  end: string
}

function window(startDate: string, endDate: string, tz: string): PeriodWindow {
  return { startDate, endDate, start: startOfLocalDay(startDate, tz).toISOString(), end: startOfLocalDay(endDate, tz).toISOString() }
}

/** Weekly = the current ISO week (Monday 00:00 to Sunday 24:00); monthly = the calendar month. */
export function goalPeriod(period: 'weekly' | 'monthly', now: Date, tz: string, offset = 0): PeriodWindow {
  const today = localParts(now, tz).date
  if (period === 'weekly') {
    const start = addDays(isoWeekStart(today), 7 * offset)
    return window(start, addDays(start, 7), tz)
  }
  const start = addMonths(monthStart(today), offset)
  return window(start, addMonths(start, 1), tz)
}

/** Progress of a goal: the target always counts (ZIoCHub used last week's count as the target). */
export const goalPercent = (current: number, target: number) => Math.min(100, Math.floor((100 * current) / Math.max(1, target)))

/** Milestones a percentage has passed. */
export const passedMilestones = (percent: number) => GOAL_MILESTONES.filter((m) => percent >= m)
