// The eight Champs scoring methods (specs/champs.md section 2), as pure functions over one
// analyst's scoring events. The leaderboard, Spotlight and reports all call `scoreUser`: one code
// path, so they never disagree. Events may be grouped (`count` identical IOCs submitted together).

import type { IocType } from './ioc'
import { addDays, localParts } from './zoned-time'

export const SCORING_METHODS = [1, 2, 3, 4, 5, 6, 7, 8] as const
export type ScoringMethod = (typeof SCORING_METHODS)[number]

export const CHAMPS = {
  IOC_DEFAULT: 2,
  IOC_WITH_CAMPAIGN: 3,
  YARA_DEFAULT: 25,
  YARA_MIN: 10,
  YARA_MAX: 50,
  DELETION: 1,
  STREAK_DAYS: 3,
  STREAK_BONUS_PERCENT: 10,
  STREAK_SCAN_DAYS: 90,
  SMART_WINDOW_DAYS: 365,
  GOAL_BONUS: 20,
} as const

export interface IocEvent {
  kind: 'ioc'
  at: string
  /** Identical IOCs submitted together (same minute, same attributes); default 1. */
  count?: number
  iocType: IocType
  /** Linked to a campaign at scoring time. */
  campaign: boolean
  comment: string
  ticket: string
  tags: number
  /** An expiry is set (not permanent). */
  expires: boolean
  /** Bulk submission (csv, txt, paste, import, API) rather than the single form. */
  bulk: boolean
  /** Deleted within 7 days of creation and flagged allowlisted or critical (method #6 penalty). */
  penalized?: boolean
}
export interface YaraEvent {
  kind: 'yara'
  at: string
  quality: number | null
  campaign: boolean
}
/** An eligible deletion (expired, anomalous or own IOC); `expired` feeds the clean-up badges. */
export interface DeletionEvent {
  kind: 'deletion'
  at: string
  expired: boolean
}
export interface CampaignEvent {
  kind: 'campaign'
  at: string
}
/** First campaign link of an IOC that had none. */
export interface LinkEvent {
  kind: 'link'
  at: string
}
export interface NoteEvent {
  kind: 'note'
  at: string
  length: number
}
export type ScoringEvent = IocEvent | YaraEvent | DeletionEvent | CampaignEvent | LinkEvent | NoteEvent

export interface GoalWindow {
  goalType: 'ioc_add' | 'yara_add' | 'deletion'
  start: string
  end: string
  /** The team reached 100 % in the period. */
  reached: boolean
}

export interface ScoreContext {
  now: Date
  timeZone: string
  /** The active team goal's current period (method #7). */
  goal?: GoalWindow | null
}

export interface ScoreResult {
  score: number
  /** Before the streak bonus (method #1; equal to score otherwise). */
  base: number
  streakDays: number
  streakBonusApplied: boolean
}

export const yaraPoints = (q: number | null) => Math.min(CHAMPS.YARA_MAX, Math.max(CHAMPS.YARA_MIN, q ?? CHAMPS.YARA_DEFAULT))

const n = (e: ScoringEvent) => (e.kind === 'ioc' ? (e.count ?? 1) : 1)

/** Method #1 points of one event (also the base of #5 and #7). */
export function weightedPoints(e: ScoringEvent): number {
  switch (e.kind) {
    case 'ioc':
      return e.campaign ? CHAMPS.IOC_WITH_CAMPAIGN : CHAMPS.IOC_DEFAULT
    case 'yara':
      return yaraPoints(e.quality)
    case 'deletion':
    case 'campaign':
    case 'link':
      return 1
    case 'note':
      return 0
  }
}

const TYPE_POINTS: Record<IocType, number> = { ip: 3, domain: 2, url: 3, email: 2, md5: 4, sha1: 4, sha256: 4 }

/** An auto ticket (`XY-YYYYMMDD-HHMM`) or a MISP one is not the analyst's own. */
export const isAnalystTicket = (t: string) => !!t.trim() && !/^[A-Z]{2}-\d{8}-\d{4}$/.test(t.trim()) && !/^MISP-/i.test(t.trim())

/** Per (local day, trimmed comment): how many IOCs carry it — the bulk-comment rule of #6 and #8. */
function commentCounts(events: ScoringEvent[], tz: string) {
  const counts = new Map<string, number>()
  for (const e of events) {
    if (e.kind !== 'ioc' || !e.comment.trim()) continue
    const key = `${localParts(e.at, tz).date}\u0000${e.comment.trim()}`
    counts.set(key, (counts.get(key) ?? 0) + n(e))
  }
  return (e: IocEvent) => counts.get(`${localParts(e.at, tz).date}\u0000${e.comment.trim()}`) ?? 0
}

function qualityIoc(e: IocEvent, repeated: (e: IocEvent) => number): number {
  if (e.penalized) return 0
  const c = e.comment.trim()
  let pts = 1
  if (c.length >= 20 && !/^\[MISP\]/i.test(c) && repeated(e) < 3) pts++
  if (e.tags >= 1) pts++
  if (isAnalystTicket(e.ticket)) pts++
  if (e.expires) pts++
  return Math.min(5, pts)
}

function smartIoc(e: IocEvent, repeated: (e: IocEvent) => number): number {
  const len = e.comment.trim().length
  let comment = len >= 300 ? 3 : len >= 100 ? 2 : len >= 10 ? 1 : 0
  if (e.bulk && repeated(e) >= 3) comment = 0
  const tags = e.tags >= 3 ? 2 : e.tags === 2 ? 1 : 0
  return Math.min(8, Math.max(1, (e.bulk ? 1 : 2) + comment + (e.campaign ? 1 : 0) + tags))
}

const notePointsSmart = (len: number) => (len >= 300 ? 3 : len >= 100 ? 2 : 1)

/** Days (local) with at least one #1 point, and the streak of such days ending today. */
export function streakDays(events: ScoringEvent[], now: Date, tz: string): number {
  const days = new Set<string>()
  for (const e of events) if (weightedPoints(e) > 0) days.add(localParts(e.at, tz).date)
  let day = localParts(now, tz).date
  let streak = 0
  while (streak < CHAMPS.STREAK_SCAN_DAYS && days.has(day)) {
    streak++
    day = addDays(day, -1)
  }
  return streak
}

const DAY_MS = 86_400_000

function decayWeight(at: string, now: Date): number {
  const age = Math.floor((now.getTime() - Date.parse(at)) / DAY_MS)
  if (age <= 7) return 1
  if (age <= 30) return 0.5
  if (age <= 90) return 0.25
  return 0
}

function sumFloor(events: ScoringEvent[], points: (e: ScoringEvent) => number): number {
  let total = 0
  for (const e of events) total += points(e) * n(e)
  return Math.floor(total + 1e-9)
}

const plain = (score: number): ScoreResult => ({ score, base: score, streakDays: 0, streakBonusApplied: false })

function goalMatches(goal: GoalWindow, e: ScoringEvent) {
  return (
    (goal.goalType === 'ioc_add' && e.kind === 'ioc') ||
    (goal.goalType === 'yara_add' && e.kind === 'yara') ||
    (goal.goalType === 'deletion' && e.kind === 'deletion')
  )
}

/** One analyst's score under a method. `events` are that analyst's scoring events, all time. */
export function scoreUser(method: ScoringMethod, events: ScoringEvent[], ctx: ScoreContext): ScoreResult {
  const tz = ctx.timeZone
  switch (method) {
    case 1: {
      const base = sumFloor(events, weightedPoints)
      const streak = streakDays(events, ctx.now, tz)
      const bonus = streak >= CHAMPS.STREAK_DAYS ? Math.floor((base * CHAMPS.STREAK_BONUS_PERCENT) / 100) : 0
      return { score: base + bonus, base, streakDays: streak, streakBonusApplied: bonus > 0 }
    }
    case 2:
      return plain(sumFloor(events, (e) => (e.kind === 'ioc' || e.kind === 'yara' ? 1 : 0)))
    case 3:
      return plain(sumFloor(events, (e) => (e.kind === 'ioc' ? TYPE_POINTS[e.iocType] : e.kind === 'note' ? 0 : weightedPoints(e))))
    case 4:
      return plain(
        sumFloor(events, (e) => {
          if (e.kind === 'ioc') return e.campaign ? 5 : 1
          if (e.kind === 'campaign') return 3
          if (e.kind === 'link') return 2
          if (e.kind === 'yara') return e.campaign ? Math.floor(yaraPoints(e.quality) * 1.5) : yaraPoints(e.quality)
          return e.kind === 'deletion' ? 1 : 0
        }),
      )
    case 5:
      return plain(sumFloor(events, (e) => weightedPoints(e) * decayWeight(e.at, ctx.now)))
    case 6: {
      const repeated = commentCounts(events, tz)
      const notesPerDay = new Map<string, number>()
      return plain(
        sumFloor(events, (e) => {
          if (e.kind === 'ioc') return qualityIoc(e, repeated)
          if (e.kind === 'yara') return yaraPoints(e.quality)
          if (e.kind === 'deletion') return 1
          if (e.kind === 'note' && e.length >= 50) {
            const day = localParts(e.at, tz).date
            const used = notesPerDay.get(day) ?? 0
            if (used >= 3) return 0
            notesPerDay.set(day, used + 1)
            return 1
          }
          return 0
        }),
      )
    }
    case 7: {
      const goal = ctx.goal
      if (!goal) return { ...scoreUser(1, events, ctx) }
      const inPeriod = events.filter((e) => e.at >= goal.start && e.at < goal.end)
      let total = 0
      let matched = false
      for (const e of inPeriod) {
        const m = goalMatches(goal, e)
        matched ||= m
        total += weightedPoints(e) * (m ? 2 : 0.5) * n(e)
      }
      if (goal.reached && matched) total += CHAMPS.GOAL_BONUS
      return plain(Math.floor(total + 1e-9))
    }
    case 8: {
      const from = new Date(ctx.now.getTime() - CHAMPS.SMART_WINDOW_DAYS * DAY_MS - 60_000).toISOString()
      const recent = events.filter((e) => e.at >= from)
      const repeated = commentCounts(recent, tz)
      return plain(
        sumFloor(recent, (e) => {
          if (e.kind === 'ioc') return smartIoc(e, repeated)
          if (e.kind === 'yara') return yaraPoints(e.quality)
          if (e.kind === 'note') return notePointsSmart(e.length)
          return 1
        }),
      )
    }
  }
}

/** What the admin screen says about each method (kept next to the code that implements it). */
export const METHOD_SUMMARIES: Record<ScoringMethod, { en: string; he: string }> = {
  1: { en: 'Weighted + streak: IOC 2 (3 with a campaign), YARA by quality, +10% for a 3-day streak', he: 'משוקלל + רצף: IOC ‏2 (‏3 עם קמפיין), YARA לפי איכות, ‎+10%‎ על רצף של 3 ימים' },
  2: { en: 'Flat: 1 pt per IOC and per approved YARA rule', he: 'אחיד: נקודה לכל IOC ולכל חוק YARA מאושר' },
  3: { en: 'By type: IP=3, Domain=2, URL=3, Email=2, Hash=4', he: 'לפי סוג: IP=3, דומיין=2, URL=3, אימייל=2, Hash=4' },
  4: { en: 'Campaign focus: IOC 5 with a campaign, else 1; campaign +3, link +2', he: 'מיקוד בקמפיינים: IOC ‏5 עם קמפיין, אחרת 1; קמפיין ‎+3, קישור ‎+2' },
  5: { en: 'Time decay: 7 d 100%, 8–30 d 50%, 31–90 d 25%', he: 'דעיכה בזמן: 7 ימים 100%, 8–30 ימים 50%, 31–90 ימים 25%' },
  6: { en: 'Quality: comment, tags, ticket, TTL bonuses (1–5 pts per IOC)', he: 'איכות: בונוס על הערה, תגיות, טיקט ותוקף (1–5 נק׳ ל-IOC)' },
  7: { en: 'Goal-based: double points for the team goal, half for the rest, +20 when reached', he: 'לפי יעד: ניקוד כפול ליעד הצוות, חצי לשאר, ‎+20 כשהיעד הושג' },
  8: { en: 'Smart / effort: 1–8 pts per IOC, tag bonus, notes; last 365 days', he: 'חכם / מאמץ: 1–8 נק׳ ל-IOC, בונוס תגיות, הערות; 365 הימים האחרונים' },
}
