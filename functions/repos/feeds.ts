import type { FeedRow } from '../domain/feed-formats'
import { SERVED_SQL as SERVED } from './iocs'

// Feed queries use the raw D1 API: a feed can hold a million rows, and array rows skip the
// per-row object mapping. The WHERE clause is the shared "served" rule of repos/iocs.ts.

export interface FeedSelection {
  rows: FeedRow[]
  /** The earliest expiry among the selected rows: the body is stale from then on. */
  nextExpiry: string | null
}

/**
 * Values only, in value order, straight from the covering index `iocs_served_feed` (type, value,
 * expires_at): the cheap path for every list format. Values are unique per type and hash types
 * differ in length, so value order alone is deterministic.
 */
export async function selectFeedValues(d1: D1Database, types: string[], nowIso: string) {
  const marks = types.map(() => '?').join(',')
  const raw = await d1
    .prepare(`SELECT value FROM iocs WHERE type IN (${marks}) AND ${SERVED} ORDER BY value`)
    .bind(...types, nowIso)
    .raw<[string]>()
  const next = await d1
    .prepare(`SELECT min(expires_at) AS next FROM iocs WHERE type IN (${marks}) AND ${SERVED} AND expires_at IS NOT NULL`)
    .bind(...types, nowIso)
    .first<{ next: string | null }>()
  return { values: raw.map((r) => r[0]), nextExpiry: next?.next ?? null }
}

/**
 * A one-value-per-line body assembled inside SQLite: `group_concat` over the covering index in
 * value order, in keyset chunks, so a few strings cross from the database instead of a million
 * rows. A chunk stays under D1's string limit; one that does not fit (long URLs) is halved and
 * retried. The LIMIT also keeps SQLite from flattening the ordered subquery into the aggregate.
 */
export async function selectFeedText(
  d1: D1Database,
  types: string[],
  nowIso: string,
  page: { limit?: number; offset?: number },
): Promise<{ text: string; lines: number; total: number; nextExpiry: string | null }> {
  const marks = types.map(() => '?').join(',')
  const where = `type IN (${marks}) AND ${SERVED}`
  const parts: string[] = []
  let lines = 0
  let remaining = page.limit ?? Number.MAX_SAFE_INTEGER
  let offset = page.offset ?? 0
  let after: string | null = null
  let chunk = 20_000
  while (remaining > 0) {
    const take = Math.min(chunk, remaining)
    const inner: string = after === null
      ? `SELECT value FROM iocs WHERE ${where} ORDER BY value LIMIT ? OFFSET ?`
      : `SELECT value FROM iocs WHERE ${where} AND value > ? ORDER BY value LIMIT ?`
    const binds: unknown[] = after === null ? [...types, nowIso, take, offset] : [...types, nowIso, after, take]
    let row: { n: number; body: string | null; last: string | null } | null
    try {
      row = await d1
        .prepare(`SELECT count(*) AS n, group_concat(value, char(10)) AS body, max(value) AS last FROM (${inner})`)
        .bind(...binds)
        .first()
    } catch (err) {
      if (/TOOBIG/.test(String(err)) && chunk > 1) {
        chunk = Math.floor(chunk / 2)
        continue
      }
      throw err
    }
    if (!row?.n) break
    parts.push(row.body!)
    lines += row.n
    remaining -= row.n
    after = row.last
    offset = 0
    if (row.n < take) break
  }
  const stats = await d1
    .prepare(
      `SELECT count(*) AS total, min(expires_at) AS next FROM iocs WHERE ${where}`,
    )
    .bind(...types, nowIso)
    .first<{ total: number; next: string | null }>()
  return { text: lines ? parts.join('\n') + '\n' : '', lines, total: stats?.total ?? 0, nextExpiry: stats?.next ?? null }
}

/** Every column Check Point rows need. */
export async function selectFeedRows(d1: D1Database, types: string[], nowIso: string): Promise<FeedSelection> {
  const marks = types.map(() => '?').join(',')
  const raw = await d1
    .prepare(
      `SELECT id, type, value, confidence, severity, comment, ticket, expires_at FROM iocs
       WHERE type IN (${marks}) AND ${SERVED} ORDER BY value, id`,
    )
    .bind(...types, nowIso)
    .raw<[number, string, string, number, string, string, string, string | null]>()
  let nextExpiry: string | null = null
  const rows = raw.map(([id, type, value, confidence, severity, comment, ticket, expiresAt]) => {
    if (expiresAt && (nextExpiry === null || expiresAt < nextExpiry)) nextExpiry = expiresAt
    return { id, type, value, confidence, severity, comment, ticket }
  })
  return { rows, nextExpiry }
}

export async function selectEpoTickets(d1: D1Database, nowIso: string) {
  const raw = await d1
    .prepare(`SELECT DISTINCT ticket FROM iocs WHERE type IN ('md5','sha1','sha256') AND ticket != '' AND ${SERVED}`)
    .bind(nowIso)
    .raw<[string]>()
  return raw.map((r) => r[0])
}

export async function selectEpoTicketRows(d1: D1Database, ticket: string, nowIso: string): Promise<FeedRow[]> {
  const raw = await d1
    .prepare(
      `SELECT id, type, value, confidence, severity, comment, ticket FROM iocs
       WHERE ticket = ? COLLATE NOCASE AND type IN ('md5','sha1','sha256') AND ${SERVED} ORDER BY id`,
    )
    .bind(ticket, nowIso)
    .raw<[number, string, string, number, string, string, string]>()
  return raw.map(([id, type, value, confidence, severity, comment, t]) => ({ id, type, value, confidence, severity, comment, ticket: t }))
}

/**
 * Records a published feed body. A body with fewer entries than `shrinkShare` of the previous one
 * raises a shrink alert (Feed Pulse) in the same batch.
 */
export async function recordFeedState(
  d1: D1Database,
  s: { feed: string; entries: number; bytes: number; dropped: number; etag: string; builtAt: string; buildMs: number },
  shrinkShare: number,
) {
  const prev = await d1.prepare('SELECT entries, etag FROM feed_state WHERE feed = ?').bind(s.feed).first<{ entries: number; etag: string }>()
  if (prev?.etag === s.etag) return
  const stmts = [
    d1
      .prepare(
        `INSERT INTO feed_state (feed, entries, bytes, dropped, etag, built_at, build_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(feed) DO UPDATE SET entries = excluded.entries, bytes = excluded.bytes, dropped = excluded.dropped,
         etag = excluded.etag, built_at = excluded.built_at, build_ms = excluded.build_ms`,
      )
      .bind(s.feed, s.entries, s.bytes, s.dropped, s.etag, s.builtAt, s.buildMs),
  ]
  if (prev && prev.entries > 0 && s.entries < prev.entries * shrinkShare) {
    stmts.push(
      d1
        .prepare(`INSERT INTO feed_alerts (feed, kind, message, from_entries, to_entries, at) VALUES (?, 'shrink', ?, ?, ?, ?)`)
        .bind(s.feed, `${s.feed} shrank from ${prev.entries} to ${s.entries} entries`, prev.entries, s.entries, s.builtAt),
    )
  }
  await d1.batch(stmts)
}

export interface ConsumerRow {
  id: number
  name: string
  active: number
  allowed_feeds: string
  allowed_sources: string
}

export async function findConsumerByTokenHash(d1: D1Database, hash: string, nowIso: string) {
  return d1
    .prepare(
      `SELECT id, name, active, allowed_feeds, allowed_sources FROM feed_consumers
       WHERE token_hash = ?1 OR (previous_token_hash = ?1 AND previous_token_until > ?2) LIMIT 1`,
    )
    .bind(hash, nowIso)
    .first<ConsumerRow>()
}

export interface PollRecord {
  at: string
  consumerId: number | null
  address: string
  feed: string
  status: number
  count: number
  bytes: number
}

export async function writePolls(d1: D1Database, polls: PollRecord[]) {
  const stmts = polls.map((p) =>
    d1
      .prepare(`INSERT INTO feed_polls (at, consumer_id, address, feed, status, count, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .bind(p.at, p.consumerId, p.address, p.feed, p.status, p.count, p.bytes),
  )
  for (const p of polls) {
    if (p.consumerId === null) continue
    stmts.push(
      d1
        .prepare(`UPDATE feed_consumers SET last_seen_at = ?, last_address = ?, last_feed = ?, last_status = ? WHERE id = ? AND (last_seen_at IS NULL OR last_seen_at <= ?)`)
        .bind(p.at, p.address, p.feed, p.status, p.consumerId, p.at),
    )
  }
  if (stmts.length) await d1.batch(stmts)
}
