import { describe, expect, it } from 'vitest'
import { availablePeriods, feedHealthScore, resolvePeriod } from '../../functions/domain/report-period'
import { goalPercent, goalPeriod, passedMilestones } from '../../functions/domain/team-goals'
import { startOfLocalDay } from '../../functions/domain/zoned-time'

const now = new Date('2026-11-25T10:00:00.000Z') // a Wednesday

describe('report periods', () => {
  it('names and bounds a day, its Monday-aligned week and its month, with the previous period', () => {
    const day = resolvePeriod({ period: 'day', date: '2026-11-23' }, now, 'UTC')
    expect([day.name, day.start, day.end, day.prev.startDate]).toEqual([
      'Daily Report - Nov 23, 2026', '2026-11-23T00:00:00.000Z', '2026-11-24T00:00:00.000Z', '2026-11-22',
    ])
    const week = resolvePeriod({ period: 'week' }, now, 'UTC')
    expect([week.name, week.startDate, week.endDate, week.prev.startDate]).toEqual(['Weekly Report - Nov 23 - Nov 29, 2026', '2026-11-23', '2026-11-30', '2026-11-16'])
    const month = resolvePeriod({ period: 'month' }, now, 'UTC')
    expect([month.name, month.startDate, month.endDate, month.prev.startDate]).toEqual(['Monthly Report - November 2026', '2026-11-01', '2026-12-01', '2026-10-01'])
  })

  it('gives a custom range a previous range of the same length and names years when they differ', () => {
    const p = resolvePeriod({ period: 'custom', from: '2025-12-29', to: '2026-01-04' }, now, 'UTC')
    expect([p.name, p.endDate, p.prev.startDate, p.prev.endDate]).toEqual(['Report - Dec 29, 2025 - Jan 4, 2026', '2026-01-05', '2025-12-22', '2025-12-29'])
  })

  it('starts days at local midnight in the configured zone (DST-aware)', () => {
    expect(resolvePeriod({ period: 'day', date: '2026-07-01' }, now, 'Asia/Jerusalem').start).toBe('2026-06-30T21:00:00.000Z')
    expect(resolvePeriod({ period: 'day', date: '2026-12-01' }, now, 'Asia/Jerusalem').start).toBe('2026-11-30T22:00:00.000Z')
    expect(startOfLocalDay('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z')
    expect(startOfLocalDay('2026-03-09', 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z')
  })

  it('offers 30 days, 12 weeks and 12 months, none before the oldest IOC', () => {
    const all = availablePeriods(now, 'UTC', '2020-01-01T00:00:00.000Z')
    expect([all.days.length, all.weeks.length, all.months.length]).toEqual([30, 12, 12])
    const young = availablePeriods(now, 'UTC', '2026-11-20T08:00:00.000Z')
    expect(young).toEqual({ days: ['2026-11-25', '2026-11-24', '2026-11-23', '2026-11-22', '2026-11-21', '2026-11-20'], weeks: ['2026-11-23', '2026-11-16'], months: ['2026-11-01'] })
  })
})

describe('feed health score', () => {
  it('is 100 × (1 − A/N) to one decimal, and 100 with no active IOC', () => {
    expect(feedHealthScore(24, 5)).toBe(79.2)
    expect(feedHealthScore(0, 0)).toBe(100)
    expect(feedHealthScore(3, 3)).toBe(0)
    expect(feedHealthScore(1000, 1)).toBe(99.9)
  })
})

describe('team goals', () => {
  it('runs weekly goals Monday to Sunday and monthly goals over the calendar month', () => {
    expect(goalPeriod('weekly', now, 'UTC')).toMatchObject({ startDate: '2026-11-23', endDate: '2026-11-30' })
    expect(goalPeriod('weekly', now, 'UTC', -1)).toMatchObject({ startDate: '2026-11-16', endDate: '2026-11-23' })
    expect(goalPeriod('monthly', now, 'UTC')).toMatchObject({ startDate: '2026-11-01', endDate: '2026-12-01', end: '2026-12-01T00:00:00.000Z' })
  })

  it('measures progress against the target, capped at 100, with milestones', () => {
    expect([goalPercent(0, 40), goalPercent(13, 40), goalPercent(39, 40), goalPercent(80, 40)]).toEqual([0, 32, 97, 100])
    expect(passedMilestones(32)).toEqual([25])
    expect(passedMilestones(100)).toEqual([25, 50, 75, 100])
  })
})
