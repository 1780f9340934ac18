import { sql, type SQL } from 'drizzle-orm'
import { PULSE_WINDOWS, type PulseWindow } from '../../schema/contracts/pulse'
import { sanityWarnings } from '../domain/sanity'
import type { IocType } from '../domain/ioc'
import type { Db } from '../env'
import { runBatch } from '../lib/d1-batch'
import { listIocs } from '../repos/iocs'
import { ANOMALY_NAMES, anomalySql, anyAnomalySql } from '../repos/report-anomalies'

// Feed Pulse (specs/champs.md section 8): what came in, what went out, what looks wrong, and how
// the feeds and their consumers are doing, for a rolling window ending now. Counts come from the
// hourly roll-up `pulse_hourly` (schema/pulse.ts) plus the part of the first hour before the
// window's start, read through the time indexes, so they are exact without scanning the IOCs.

const HOUR = 3_600_000

export interface PulseSpan {
  window: PulseWindow
  start: string
  end: string
  /** `YYYY-MM-DDTHH` of the start: the only hour bucket that is partly outside the window. */
  startHour: string
  unit: 'hour' | 'day'
}

export function pulseSpan(window: PulseWindow, now: Date): PulseSpan {
  const start = new Date(now.getTime() - PULSE_WINDOWS[window] * HOUR).toISOString()
  return { window, start, end: now.toISOString(), startHour: start.slice(0, 13), unit: window === '24h' ? 'hour' : 'day' }
}

const nextHour = (hour: string) => new Date(Date.parse(`${hour}:00:00.000Z`) + HOUR).toISOString()

/** How an IOC came in: typed by an analyst (UI or API), a MISP pull, or any bulk import or migration. */
export function sourceGroup(source: string): 'analyst' | 'import' | 'misp' {
  if (source === 'misp') return 'misp'
  return source === 'ui' || source === 'api' ? 'analyst' : 'import'
}

const TYPES = ['ip', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256']
const zeroTypes = () => Object.fromEntries(TYPES.map((t) => [t, 0])) as Record<string, number>

/** The time buckets of the chart (hours for 24 h, UTC days otherwise), oldest first. */
function buckets(span: PulseSpan): string[] {
  const out: string[] = []
  const len = span.unit === 'hour' ? 13 : 10
  for (let t = Date.parse(`${span.startHour}:00:00.000Z`); t <= Date.parse(span.end); t += HOUR) {
    const key = new Date(t).toISOString().slice(0, len)
    if (out[out.length - 1] !== key) out.push(key)
  }
  return out
}

/** Incoming and outgoing counts by type, source and reason, with the chart series. */
export async function pulseSummary(db: Db, span: PulseSpan) {
  const endHour = span.end.slice(0, 13)
  const edge = nextHour(span.startHour)
  const [rolled, partIn, partOut, unswept, active] = await runBatch(db, [
    sql`SELECT hour, event, type, source, n FROM pulse_hourly WHERE hour > ${span.startHour} AND hour <= ${endHour}`,
    sql`SELECT type, source, count(*) AS n FROM iocs WHERE created_at >= ${span.start} AND created_at < ${edge} AND created_at <= ${span.end} GROUP BY 1, 2`,
    sql`SELECT event, type, count(*) AS n FROM ioc_history WHERE event IN ('deleted', 'expired') AND at >= ${span.start} AND at < ${edge} AND at <= ${span.end} GROUP BY 1, 2`,
    // Expired in the window but not yet logged by the sweep (the partial index iocs_unswept_expiry).
    sql`SELECT type, count(*) AS n FROM iocs WHERE expiry_logged = 0 AND deleted_at IS NULL AND expires_at IS NOT NULL
      AND expires_at >= ${span.start} AND expires_at <= ${span.end} GROUP BY 1`,
    sql`SELECT (SELECT coalesce(sum(n), 0) FROM stats_rollup WHERE dim = 'type') - (SELECT count(*) FROM iocs WHERE expiry_logged = 0 AND deleted_at IS NULL
      AND expires_at IS NOT NULL AND expires_at <= ${span.end} AND excluded_at IS NULL AND allowlisted_by IS NULL) AS n`,
  ])
  type Row = { hour?: string; event: 'in' | 'deleted' | 'expired'; type: string; source: string; n: number }
  const rows: Row[] = [
    ...(rolled.results as Row[]),
    ...(partIn.results as Row[]).map((r) => ({ ...r, hour: span.startHour, event: 'in' as const })),
    ...(partOut.results as Row[]).map((r) => ({ ...r, hour: span.startHour, source: '' })),
    ...(unswept.results as Row[]).map((r) => ({ ...r, event: 'expired' as const, source: '' })),
  ]
  const keys = buckets(span)
  const series = new Map(keys.map((k) => [k, { bucket: k, incoming: 0, deleted: 0, expired: 0 }]))
  const incoming = { total: 0, byType: zeroTypes(), bySource: { analyst: 0, import: 0, misp: 0 }, bySourceDetail: {} as Record<string, number> }
  const outgoing = { total: 0, deleted: 0, expired: 0, byType: zeroTypes() }
  for (const r of rows) {
    if (r.event === 'in') {
      incoming.total += r.n
      incoming.byType[r.type] = (incoming.byType[r.type] ?? 0) + r.n
      incoming.bySource[sourceGroup(r.source)] += r.n
      incoming.bySourceDetail[r.source] = (incoming.bySourceDetail[r.source] ?? 0) + r.n
    } else {
      outgoing.total += r.n
      outgoing[r.event] += r.n
      outgoing.byType[r.type] = (outgoing.byType[r.type] ?? 0) + r.n
    }
    // Unswept expiries have no hour: they count in the current bucket (they left the feeds by now).
    const key = (r.hour ?? endHour).slice(0, span.unit === 'hour' ? 13 : 10)
    const point = series.get(key)
    if (point) point[r.event === 'in' ? 'incoming' : r.event] += r.n
  }
  return {
    window: span.window,
    start: span.start,
    end: span.end,
    unit: span.unit,
    incoming,
    outgoing,
    netChange: incoming.total - outgoing.total,
    totalActive: (active.results[0] as { n: number }).n,
    series: [...series.values()],
  }
}

type Cursor = [string, number]
const encodeCursor = (c: Cursor) => btoa(JSON.stringify(c)).replace(/=+$/, '')
function decodeCursor(s: string | undefined): Cursor | null {
  if (!s) return null
  try {
    const c = JSON.parse(atob(s))
    return Array.isArray(c) && typeof c[0] === 'string' && typeof c[1] === 'number' ? (c as Cursor) : null
  } catch {
    return null
  }
}

/** IOCs created in the window that are still active, newest first (the search list's own paging). */
export async function pulseIncoming(db: Db, span: PulseSpan, page: { limit: number; cursor?: string }) {
  return listIocs(db, { status: 'active', match: 'substring', sort: 'newest', from: span.start, to: span.end, limit: page.limit, cursor: page.cursor }, span.end)
}

/**
 * Deletions and expiries in the window (swept or not), newest first, net: a value that is active
 * again now (re-added or extended) is not listed.
 */
export async function pulseOutgoing(db: Db, span: PulseSpan, page: { limit: number; cursor?: string }) {
  const cursor = decodeCursor(page.cursor)
  const after = cursor ? sql`AND (o.at < ${cursor[0]} OR (o.at = ${cursor[0]} AND o.k < ${cursor[1]}))` : sql``
  const rows = await db.all<{ at: string; k: number; reason: 'deleted' | 'expired'; iocId: number; type: string; value: string; actor: string | null }>(sql`
    SELECT o.* FROM (
      SELECT h.at, h.id AS k, h.event AS reason, h.ioc_id AS iocId, h.type, h.value, h.actor FROM ioc_history h
        WHERE h.event IN ('deleted', 'expired') AND h.at >= ${span.start} AND h.at <= ${span.end}
      UNION ALL
      SELECT i.expires_at, -i.id, 'expired', i.id, i.type, i.value, NULL FROM iocs i
        WHERE i.expiry_logged = 0 AND i.deleted_at IS NULL AND i.expires_at IS NOT NULL AND i.expires_at >= ${span.start} AND i.expires_at <= ${span.end}
    ) o
    WHERE NOT EXISTS (SELECT 1 FROM iocs r WHERE r.type = o.type AND r.value = o.value AND r.deleted_at IS NULL
      AND r.excluded_at IS NULL AND r.allowlisted_by IS NULL AND (r.expires_at IS NULL OR r.expires_at > ${span.end})) ${after}
    ORDER BY o.at DESC, o.k DESC LIMIT ${page.limit + 1}`)
  const more = rows.length > page.limit
  const items = rows.slice(0, page.limit).map(({ k: _k, ...r }) => r)
  const last = rows[page.limit - 1]
  return { items, nextCursor: more && last ? encodeCursor([last.at, last.k]) : null }
}

/** Live, unexcluded, unexpired IOCs: the anomaly scan's population (allowlisted ones included: that is an anomaly). */
const scanned = (nowIso: string) => sql`deleted_at IS NULL AND excluded_at IS NULL AND (expires_at IS NULL OR expires_at > ${nowIso})`

type Counts = { scanned: number; anomalous: number; byRule: Record<string, number>; computedAt: string }
let countCache: { key: string; at: number; ms: number; value: Promise<Counts> } | null = null
const SLOW_MS = 1_000
const STALE_OK_MS = 60_000

/**
 * Counts per anomaly rule over every active IOC: one pass, cached until the feed generation
 * changes (every IOC, allowlist and exclusion write bumps it) or the minute turns (stale_ioc). On a
 * large database (a pass over a second) a result up to a minute old is served (`computedAt` says when).
 */
async function anomalyCounts(db: Db, nowIso: string): Promise<Counts> {
  const gen = await db.get<{ value: number }>(sql`SELECT value FROM generation WHERE id = 1`)
  const key = `${gen?.value ?? 0}:${nowIso.slice(0, 16)}`
  const hit = countCache
  if (hit && (hit.key === key || (hit.ms > SLOW_MS && Date.now() - hit.at < STALE_OK_MS))) return hit.value
  // Each rule is evaluated once per row into a bit mask (a co-routine: the LIMIT keeps SQLite from
  // flattening the subquery and re-evaluating the rules for every sum); the sums are bit tests.
  const mask = sql.join(ANOMALY_NAMES.map((name, i) => sql`(CASE WHEN ${anomalySql(name, nowIso)} THEN ${1 << i} ELSE 0 END)`), sql` + `)
  const perRule = sql.join(ANOMALY_NAMES.map((name, i) => sql`coalesce(sum((m & ${1 << i}) <> 0), 0) AS ${sql.raw(name)}`), sql`, `)
  const started = Date.now()
  const value = db
    .get<Record<string, number>>(sql`SELECT count(*) AS n, coalesce(sum(m <> 0), 0) AS a, ${perRule} FROM (SELECT ${mask} AS m FROM iocs WHERE ${scanned(nowIso)} LIMIT -1)`)
    .then((r) => ({
      scanned: r?.n ?? 0,
      anomalous: r?.a ?? 0,
      byRule: Object.fromEntries(ANOMALY_NAMES.map((name) => [name, r?.[name] ?? 0])),
      computedAt: nowIso,
    }))
  const entry = { key, at: started, ms: 0, value }
  countCache = entry
  value.then(() => (entry.ms = Date.now() - started)).catch(() => countCache === entry && (countCache = null))
  return value
}

/** The anomaly counts and one page of anomalous IOCs (newest id first), each with its rules and the sanity warnings' words. */
export async function pulseAnomalies(db: Db, nowIso: string, q: { rule?: string; limit: number; cursor?: string }) {
  const counts = await anomalyCounts(db, nowIso)
  // Nothing to list: skip the walk (with few anomalies it reads every row to find none).
  if ((q.rule ? counts.byRule[q.rule] : counts.anomalous) === 0) return { ...counts, rules: ANOMALY_NAMES, items: [], nextCursor: null }
  const first = !q.cursor && countCache ? `${countCache.key}:${q.rule ?? ''}:${q.limit}` : null
  const hit = first ? pageCache.get(first) : undefined
  if (hit) return { ...counts, rules: ANOMALY_NAMES, ...(await hit) }
  const page = anomalyPage(db, nowIso, q)
  if (first) {
    pageCache.clear()
    pageCache.set(first, page)
    page.catch(() => pageCache.delete(first))
  }
  return { ...counts, rules: ANOMALY_NAMES, ...(await page) }
}

/** First pages of the anomaly list, for the current counts' key (a new write or minute starts afresh). */
const pageCache = new Map<string, ReturnType<typeof anomalyPage>>()

async function anomalyPage(db: Db, nowIso: string, q: { rule?: string; limit: number; cursor?: string }) {
  const cursor = decodeCursor(q.cursor)
  const match: SQL = q.rule ? anomalySql(q.rule, nowIso) : sql`(${anyAnomalySql(nowIso)})`
  const flags = sql.join(ANOMALY_NAMES.map((name) => sql`${anomalySql(name, nowIso)} AS ${sql.raw(`"r_${name}"`)}`), sql`, `)
  const rows = await db.all<Record<string, unknown> & { id: number; type: string; value: string }>(sql`
    SELECT a.*, u.username AS analyst, c.name AS campaign, al.value AS allowlistMatch FROM (
      SELECT id, type, value, ticket, expires_at AS expiresAt, created_at AS createdAt, created_by, campaign_id, allowlisted_by, ${flags}
      FROM iocs WHERE ${scanned(nowIso)} AND ${match} ${cursor ? sql`AND id < ${cursor[1]}` : sql``}
      ORDER BY id DESC LIMIT ${q.limit + 1}
    ) a LEFT JOIN users u ON u.id = a.created_by LEFT JOIN campaigns c ON c.id = a.campaign_id LEFT JOIN allowlist al ON al.id = a.allowlisted_by
    ORDER BY a.id DESC`)
  const more = rows.length > q.limit
  const items = rows.slice(0, q.limit).map((r) => ({
    id: r.id,
    type: r.type,
    value: r.value,
    analyst: r.analyst as string | null,
    campaign: r.campaign as string | null,
    ticket: r.ticket as string,
    expiresAt: r.expiresAt as string | null,
    createdAt: r.createdAt as string,
    rules: ANOMALY_NAMES.filter((name) => r[`r_${name}`]),
    allowlistMatch: r.allowlistMatch as string | null,
    warnings: sanityWarnings(r.type as IocType, r.value),
  }))
  const last = items[items.length - 1]
  return { items, nextCursor: more && last ? encodeCursor(['', last.id]) : null }
}

/** Exclusions made in the window (newest first) and how many IOCs are excluded in all. */
export async function pulseExclusions(db: Db, span: PulseSpan, page: { limit: number; cursor?: string }) {
  const cursor = decodeCursor(page.cursor)
  const after = cursor ? sql`AND (i.excluded_at < ${cursor[0]} OR (i.excluded_at = ${cursor[0]} AND i.id < ${cursor[1]}))` : sql``
  const live = sql`i.deleted_at IS NULL AND i.excluded_at IS NOT NULL`
  const [rows, totals] = await Promise.all([
    db.all<{ id: number; type: string; value: string; excludedAt: string; reason: string | null; excludedBy: string | null; analyst: string | null }>(sql`
      SELECT i.id, i.type, i.value, i.excluded_at AS excludedAt, i.exclude_reason AS reason, x.username AS excludedBy, u.username AS analyst
      FROM iocs i LEFT JOIN users x ON x.id = i.excluded_by LEFT JOIN users u ON u.id = i.created_by
      WHERE ${live} AND i.excluded_at >= ${span.start} ${after} ORDER BY i.excluded_at DESC, i.id DESC LIMIT ${page.limit + 1}`),
    db.get<{ all: number; inWindow: number }>(sql`SELECT count(*) AS "all", coalesce(sum(i.excluded_at >= ${span.start}), 0) AS inWindow FROM iocs i WHERE ${live}`),
  ])
  const more = rows.length > page.limit
  const items = rows.slice(0, page.limit)
  const last = items[items.length - 1]
  return {
    exclusionsCount: totals?.all ?? 0,
    inWindow: totals?.inWindow ?? 0,
    items,
    nextCursor: more && last ? encodeCursor([last.excludedAt, last.id]) : null,
  }
}
