import { sql } from 'drizzle-orm'
import { CHAMPS, METHOD_SUMMARIES, SCORING_METHODS, scoreUser, streakDays, type ScoringEvent, type ScoringMethod } from '../domain/champs'
import { BADGES, LEVEL_THRESHOLDS, activityStats, badgeView, earnedBadges, levelInfo, nickname, rankRows, type Badge, type LevelInfo } from '../domain/champs-profile'
import { addDays, localParts } from '../domain/zoned-time'
import type { Db } from '../env'
import { runBatch } from '../lib/d1-batch'
import { champsUsers, loadScoringEvents, rareFindCounts } from '../repos/champs-events'
import { tableColumns } from '../repos/schema-probe'
import { getSetting } from '../repos/settings'
import { goalProgress, goalWindow, type GoalProgress } from './team-goals'

export interface ChampsSettings {
  method: ScoringMethod
  excludeSystem: boolean
  weekendDays: number[]
  ticker: { text: string; color: string; dir: 'ltr' | 'rtl' }[]
  timeZone: string
}

export async function champsSettings(db: Db): Promise<ChampsSettings> {
  const [method, excludeSystem, weekendDays, ticker, timeZone] = await Promise.all([
    getSetting(db, 'champs.method'),
    getSetting(db, 'champs.excludeSystem'),
    getSetting(db, 'champs.weekendDays'),
    getSetting(db, 'champs.ticker'),
    getSetting(db, 'general.timezone'),
  ])
  return { method: (SCORING_METHODS.includes(method as ScoringMethod) ? method : 1) as ScoringMethod, excludeSystem, weekendDays, ticker, timeZone }
}

/** What GET /champs/config answers: the constants really in use, methods, levels and badges. */
export function champsConstants() {
  return {
    constants: CHAMPS,
    methods: SCORING_METHODS.map((m) => ({ id: m, summary: METHOD_SUMMARIES[m] })),
    levels: LEVEL_THRESHOLDS,
    badges: BADGES.map((b) => ({ ...badgeView(b), decay: { default: b.decay[0], smart: b.decay[1] } })),
  }
}

export interface LeaderboardRow {
  user_id: number
  username: string
  display_name: string
  score: number
  total_iocs: number
  yara_count: number
  deletion_count: number
  last_activity: string | null
  streak_days: number
  streak_bonus_applied: boolean
  rank: number
  level: number
  level_info: LevelInfo
  nickname: { key: string; emoji: string; label: { en: string; he: string } }
  badges: Badge[]
  rare_finds: number
  /** Rank yesterday (null: no snapshot) and places gained since (positive = up). */
  trend: { previous_rank: number | null; delta: number | null }
}

export interface Leaderboard {
  method: ScoringMethod
  timeZone: string
  generatedAt: string
  rows: LeaderboardRow[]
  goal: GoalProgress | null
  events: Map<number, ScoringEvent[]>
}

/**
 * A board is recomputed when activity changes (see `leaderboard`). On a large database, where one
 * computation takes more than a second (1M IOCs: seconds), a board up to a minute old is served
 * instead, so a busy team does not make every page view recompute it.
 */
const SLOW_MS = 1_000
const STALE_OK_MS = 60_000
let cache: { key: string; base: string; at: number; ms: number; value: Promise<Leaderboard> } | null = null

/** Forgets the cached board (tests, settings changes). */
export function resetChampsCache() {
  cache = null
}

async function computeLeaderboard(db: Db, now: Date, method: ScoringMethod, s: ChampsSettings): Promise<Leaderboard> {
  const tz = s.timeZone
  const [users, events, rare, goal] = await Promise.all([champsUsers(db, s.excludeSystem), loadScoringEvents(db), rareFindCounts(db), goalProgress(db, now, tz)])
  const yesterday = addDays(localParts(now, tz).date, -1)
  const snaps = await db.all<{ userId: number; rank: number }>(sql`SELECT user_id AS userId, rank FROM champs_rank_snapshots WHERE date = ${yesterday}`)
  const prevRank = new Map(snaps.map((r) => [r.userId, r.rank]))
  const ctx = { now, timeZone: tz, goal: goalWindow(goal) }
  const scored = users
    .filter((u) => events.has(u.id) || (u.active && u.role !== 'viewer'))
    .map((u) => {
      const ev = events.get(u.id) ?? []
      const result = scoreUser(method, ev, ctx)
      const stats = activityStats(ev, tz, s.weekendDays)
      const streak = method === 1 ? result.streakDays : streakDays(ev, now, tz)
      const nick = nickname(stats)
      return {
        user_id: u.id,
        username: u.username,
        display_name: u.displayName,
        score: result.score,
        total_iocs: stats.iocs,
        yara_count: stats.yara,
        deletion_count: stats.deletions,
        last_activity: stats.lastActivity,
        streak_days: streak,
        streak_bonus_applied: result.streakBonusApplied,
        level: levelInfo(result.score).level,
        level_info: levelInfo(result.score),
        nickname: { key: nick.key, emoji: nick.emoji, label: { en: nick.en, he: nick.he } },
        badges: earnedBadges(stats, { streak, rareFinds: rare.get(u.id) ?? 0 }, method, now, tz),
        rare_finds: rare.get(u.id) ?? 0,
      }
    })
  const rows = rankRows(scored).map((r) => {
    const previous = prevRank.get(r.user_id) ?? null
    return { ...r, trend: { previous_rank: previous, delta: previous === null ? null : previous - r.rank } }
  })
  return { method, timeZone: tz, generatedAt: now.toISOString(), rows, goal, events }
}

/** The leaderboard under the configured method (or `method`), cached while nothing changes. */
export async function leaderboard(db: Db, now: Date, opts: { method?: ScoringMethod; fresh?: boolean } = {}): Promise<Leaderboard> {
  const s = await champsSettings(db)
  const method = opts.method ?? s.method
  // Exact without recomputing: any new IOC, history event, note, campaign, goal or setting changes
  // the key (all rowid maxima, O(1)); the minute covers streaks and decay.
  const marks = await db.get<Record<string, number | null>>(sql`SELECT (SELECT max(id) FROM iocs) AS i, (SELECT max(id) FROM ioc_history) AS h,
    (SELECT max(id) FROM ioc_notes) AS n, (SELECT max(id) FROM campaigns) AS c, (SELECT max(id) FROM team_goals) AS g,
    (SELECT count(*) FROM team_goals WHERE active) AS ga, (SELECT max(updated_at) FROM settings) AS s, (SELECT max(id) FROM activity_events) AS e,
    (SELECT max(date) || ':' || count(*) FROM champs_rank_snapshots) AS r, (SELECT max(id) || ':' || max(updated_at) FROM users) AS u`)
  const yara = (await tableColumns(db, 'yara_rules'))?.has('updated_at')
    ? await db.get(sql`SELECT max(id) || ':' || max(updated_at) || ':' || count(*) AS y FROM yara_rules`)
    : null
  const base = JSON.stringify([method, s])
  const key = JSON.stringify([base, marks, yara, now.toISOString().slice(0, 16)])
  if (!opts.fresh && cache && cache.base === base) {
    const age = Date.now() - cache.at
    if (cache.key === key || (cache.ms > SLOW_MS && age < STALE_OK_MS)) return cache.value
  }
  const started = Date.now()
  const value = computeLeaderboard(db, now, method, s)
  const entry = { key, base, at: started, ms: 0, value }
  cache = entry
  value.then(() => (entry.ms = Date.now() - started)).catch(() => (cache = null))
  return value
}

/** One analyst in depth: the row, every method's score, 14 days of activity, recent IOCs and rare finds. */
export async function spotlight(db: Db, userId: number, now: Date) {
  const board = await leaderboard(db, now)
  const row = board.rows.find((r) => r.user_id === userId)
  if (!row) return null
  const events = board.events.get(userId) ?? []
  const ctx = { now, timeZone: board.timeZone, goal: goalWindow(board.goal) }
  const scores = Object.fromEntries(SCORING_METHODS.map((m) => [m, scoreUser(m, events, ctx).score]))
  const today = localParts(now, board.timeZone).date
  const days = Array.from({ length: 14 }, (_, i) => addDays(today, i - 13))
  const perDay = new Map(days.map((d) => [d, 0]))
  for (const e of events) {
    const d = localParts(e.at, board.timeZone).date
    if (perDay.has(d)) perDay.set(d, perDay.get(d)! + (e.kind === 'ioc' ? (e.count ?? 1) : 1))
  }
  const stats = activityStats(events, board.timeZone, [])
  const [recent, rare] = await Promise.all([
    db.all(sql`SELECT id, type, value, country, created_at AS createdAt, deleted_at AS deletedAt FROM iocs WHERE created_by = ${userId} ORDER BY created_at DESC LIMIT 10`),
    db.all(sql`SELECT f.dim, f.key, f.at, i.type, i.value FROM stats_firsts f LEFT JOIN iocs i ON i.id = f.ioc_id WHERE f.user_id = ${userId} ORDER BY f.at DESC LIMIT 5`),
  ])
  return {
    row,
    method: board.method,
    scores,
    activity: days.map((d) => ({ date: d, count: perDay.get(d)! })),
    byKind: stats.byKind,
    campaignIocs: stats.campaignIocs,
    activeDays: stats.activeDays,
    recent,
    rareFinds: rare,
  }
}

/**
 * Writes yesterday's ranks once (the first run after local midnight) and a `rank_change` event for
 * each analyst who rose since the day before, naming who held that place then.
 */
export async function snapshotRanks(db: Db, now: Date) {
  const s = await champsSettings(db)
  const yesterday = addDays(localParts(now, s.timeZone).date, -1)
  const done = await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM champs_rank_snapshots WHERE date = ${yesterday}`)
  if (done?.n) return { date: yesterday, written: 0 }
  const board = await leaderboard(db, now, { fresh: true })
  const before = await db.all<{ userId: number; rank: number; username: string }>(
    sql`SELECT s.user_id AS userId, s.rank, u.username FROM champs_rank_snapshots s JOIN users u ON u.id = s.user_id WHERE s.date = ${addDays(yesterday, -1)}`,
  )
  const prev = new Map(before.map((r) => [r.userId, r.rank]))
  const rows = board.rows.map((r) => [r.user_id, r.rank, r.score])
  const rises = board.rows.filter((r) => prev.has(r.user_id) && r.rank < prev.get(r.user_id)!)
  await runBatch(db, [
    sql`INSERT OR IGNORE INTO champs_rank_snapshots (user_id, date, rank, score)
      SELECT json_extract(value, '$[0]'), ${yesterday}, json_extract(value, '$[1]'), json_extract(value, '$[2]') FROM json_each(${JSON.stringify(rows)})`,
    ...rises.map((r) => {
      const overtaken = before.find((b) => b.rank === r.rank && b.userId !== r.user_id)
      const payload = JSON.stringify({ username: r.username, name: r.display_name, rank: r.rank, previous: prev.get(r.user_id), overtaken: overtaken?.username ?? null })
      return sql`INSERT OR IGNORE INTO activity_events (at, kind, user_id, payload, dedupe_key)
        VALUES (${now.toISOString()}, 'rank_change', ${r.user_id}, ${payload}, ${`rank:${r.user_id}:${yesterday}`})`
    }),
  ])
  return { date: yesterday, written: rows.length, rankChanges: rises.length }
}
