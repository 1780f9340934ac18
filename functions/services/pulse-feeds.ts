import { sql } from 'drizzle-orm'
import type { Db } from '../env'
import { runBatch } from '../lib/d1-batch'
import type { PulseSpan } from './pulse'

// Feed Pulse, the device side: each feed's size over the window with its shrink alerts (written
// by feed builds, repos/feeds.ts recordFeedState; sampled per hour into feed_size_history by a
// trigger), and each consumer's polling (feed_polls, kept 30 days by housekeeping).

/** A consumer is "stopped" when its last poll is older than this many of its usual intervals. */
export const STOPPED_FACTOR = 3

interface Sample {
  feed: string
  hour: string
  entries: number
  bytes: number
  at: string
}

/** Per feed: the current size, the hourly samples in the window (from the last one before it), and its alerts. */
export async function pulseFeeds(db: Db, span: PulseSpan) {
  const [states, samples, before, alerts] = await runBatch(db, [
    sql`SELECT feed, entries, bytes, dropped, built_at AS builtAt FROM feed_state ORDER BY feed`,
    sql`SELECT feed, hour, entries, bytes, at FROM feed_size_history WHERE hour >= ${span.startHour} ORDER BY feed, hour`,
    // SQLite takes the other columns from the row holding max(hour): the size when the window opened.
    sql`SELECT feed, max(hour) AS hour, entries, bytes, at FROM feed_size_history WHERE hour < ${span.startHour} GROUP BY feed`,
    sql`SELECT id, feed, kind, message, from_entries AS fromEntries, to_entries AS toEntries, at, acknowledged_at AS acknowledgedAt
      FROM feed_alerts WHERE at >= ${span.start} ORDER BY at DESC, id DESC LIMIT 200`,
  ])
  const byFeed = new Map<string, Sample[]>()
  for (const s of [...(before.results as Sample[]), ...(samples.results as Sample[])]) {
    const list = byFeed.get(s.feed) ?? []
    list.push(s)
    byFeed.set(s.feed, list)
  }
  const alertRows = alerts.results as { feed: string; kind: string }[]
  const feeds = (states.results as { feed: string; entries: number; bytes: number; dropped: number; builtAt: string }[]).map((st) => {
    const points = (byFeed.get(st.feed) ?? []).map((s) => ({ at: s.at < span.start ? span.start : s.at, entries: s.entries, bytes: s.bytes }))
    const first = points[0]?.entries ?? st.entries
    return {
      ...st,
      // The cache key carries the build options (`/feed/ip?n=&s=`): the path is what people know.
      path: st.feed.split('?')[0],
      points,
      change: st.entries - first,
      shrinkAlerts: alertRows.filter((a) => a.feed === st.feed && a.kind === 'shrink').length,
    }
  })
  return { feeds, alerts: alerts.results }
}

interface ConsumerRow {
  id: number
  name: string
  active: number
  lastSeenAt: string | null
  lastAddress: string | null
  lastFeed: string | null
  lastStatus: number | null
}

/**
 * Per consumer: last poll (time, address, feed, status), polls and bytes in the window, the usual
 * interval between polls, "stopped" when the last poll is older than 3 of those intervals, and the
 * current streak of 401 answers. Polls without a consumer (public feeds) are grouped by address.
 */
export async function pulseConsumers(db: Db, span: PulseSpan) {
  const [consumers, agg, lastOk, anonymous] = await runBatch(db, [
    sql`SELECT id, name, active, last_seen_at AS lastSeenAt, last_address AS lastAddress, last_feed AS lastFeed, last_status AS lastStatus
      FROM feed_consumers ORDER BY name COLLATE NOCASE`,
    sql`SELECT consumer_id AS id, sum(count) AS polls, sum(bytes) AS bytes, min(at) AS first, max(at) AS last,
      coalesce(sum(CASE WHEN status IN (401, 403) THEN count END), 0) AS denied
      FROM feed_polls WHERE consumer_id IS NOT NULL AND at >= ${span.start} GROUP BY consumer_id`,
    sql`SELECT p.consumer_id AS id, coalesce(sum(p.count), 0) AS streak FROM feed_polls p
      WHERE p.consumer_id IS NOT NULL AND p.status = 401 AND p.at > coalesce((SELECT max(q.at) FROM feed_polls q WHERE q.consumer_id = p.consumer_id AND q.status <> 401), '')
      GROUP BY p.consumer_id`,
    sql`SELECT address, max(at) AS lastSeenAt, feed AS lastFeed, status AS lastStatus, sum(count) AS polls, sum(bytes) AS bytes
      FROM feed_polls WHERE consumer_id IS NULL AND at >= ${span.start} GROUP BY address ORDER BY lastSeenAt DESC LIMIT 50`,
  ])
  const aggs = new Map((agg.results as { id: number; polls: number; bytes: number; first: string; last: string; denied: number }[]).map((a) => [a.id, a]))
  const streaks = new Map((lastOk.results as { id: number; streak: number }[]).map((s) => [s.id, s.streak]))
  const now = Date.parse(span.end)
  const items = (consumers.results as ConsumerRow[]).map((c) => {
    const a = aggs.get(c.id)
    const intervalMs = a && a.polls > 1 ? Math.round((Date.parse(a.last) - Date.parse(a.first)) / (a.polls - 1)) : null
    const silentMs = c.lastSeenAt ? now - Date.parse(c.lastSeenAt) : null
    const stopped = Boolean(c.active) && c.lastSeenAt !== null && (a ? intervalMs !== null && intervalMs > 0 && silentMs! > STOPPED_FACTOR * intervalMs : true)
    return {
      ...c,
      active: Boolean(c.active),
      polls: a?.polls ?? 0,
      bytes: a?.bytes ?? 0,
      denied: a?.denied ?? 0,
      intervalSeconds: intervalMs === null ? null : Math.round(intervalMs / 1000),
      stopped,
      authFailureStreak: streaks.get(c.id) ?? 0,
    }
  })
  return { items, anonymous: anonymous.results, stoppedFactor: STOPPED_FACTOR }
}
