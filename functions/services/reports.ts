import { sql, type SQL } from 'drizzle-orm'
import type { ReportQuery } from '../../schema/contracts/stats'
import { availablePeriods, feedHealthScore, resolvePeriod, type ReportWindow } from '../domain/report-period'
import { addDays, localParts } from '../domain/zoned-time'
import type { Db } from '../env'
import { yaraCounts } from '../repos/champs-events'
import { ANOMALY_NAMES, anomalySql, anyAnomalySql } from '../repos/report-anomalies'
import { tableColumns } from '../repos/schema-probe'
import { getSetting } from '../repos/settings'
import { leaderboard } from './champs'

const TLD = sql.raw(`CASE WHEN type IN ('domain', 'url') AND host IS NOT NULL AND ip_start IS NULL THEN lower(substr(host, length(rtrim(host, replace(host, '.', ''))) + 1)) END`)
// `XY-YYYYMMDD-HHMM` piecewise: D1 refuses GLOB patterns longer than 50 bytes.
const AUTO_TICKET = sql.raw(`((length(ticket) = 16 AND substr(ticket, 1, 3) GLOB '[A-Z][A-Z]-' AND substr(ticket, 4, 8) GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'
  AND substr(ticket, 12, 5) GLOB '-[0-9][0-9][0-9][0-9]') OR ticket LIKE 'MISP-%')`)

/** IOCs active at instant T, from their timestamps: created by T, not deleted by T, not expired at T. */
const activeAt = (t: string) => sql`created_at <= ${t} AND (deleted_at IS NULL OR deleted_at > ${t}) AND (expires_at IS NULL OR expires_at > ${t})`
const createdIn = (w: ReportWindow) => sql`created_at >= ${w.start} AND created_at < ${w.end}`
/** A period still running is evaluated now, not at its future end. */
const evalAt = (w: ReportWindow, now: Date) => (w.end < now.toISOString() ? w.end : now.toISOString())

const pct = (part: number, whole: number) => (whole ? Math.round((1000 * part) / whole) / 10 : 0)

/** KPIs of a period; with `rules`, the same scan also counts each anomaly rule (for the summary). */
async function kpis(db: Db, w: ReportWindow, now: Date, rules = false) {
  const t = evalAt(w, now)
  const perRule = rules ? sql`, ${sql.join(ANOMALY_NAMES.map((name) => sql`coalesce(sum(${anomalySql(name, t)}), 0) AS ${sql.raw(name)}`), sql`, `)}` : sql``
  const [active, created, cleanup, yara] = await Promise.all([
    db.get<Record<string, number>>(sql`SELECT count(*) AS n, coalesce(sum(${anyAnomalySql(t)}), 0) AS a,
        count(DISTINCT campaign_id) AS campaigns ${perRule} FROM iocs WHERE ${activeAt(t)}`),
    db.get<{ n: number }>(sql`SELECT count(*) AS n FROM iocs WHERE ${createdIn(w)}`),
    db.get<{ n: number }>(sql`SELECT count(*) AS n FROM ioc_history WHERE event IN ('deleted', 'expired') AND at >= ${w.start} AND at < ${w.end}`),
    yaraCounts(db, t),
  ])
  const n = active?.n ?? 0
  const a = active?.a ?? 0
  const values = {
    active_iocs: n,
    created: created?.n ?? 0,
    cleanup_count: cleanup?.n ?? 0,
    net_change: (created?.n ?? 0) - (cleanup?.n ?? 0),
    active_campaigns: active?.campaigns ?? 0,
    yara_rules: yara ? yara.approved : null,
    anomalous: a,
    feed_health_score: feedHealthScore(n, a),
  }
  const ruleCounts = Object.fromEntries(ANOMALY_NAMES.map((name) => [name, active?.[name] ?? 0]))
  return { values, ruleCounts }
}

/** Each anomaly rule that matched, with 3 examples, most frequent first. */
async function anomalies(db: Db, t: string, counts: Record<string, number>) {
  const out = []
  for (const name of ANOMALY_NAMES) {
    const count = counts[name] ?? 0
    if (!count) continue
    const samples = await db.all<{ type: string; value: string }>(sql`SELECT type, value FROM iocs WHERE ${activeAt(t)} AND ${anomalySql(name, t)} LIMIT 3`)
    out.push({ type: name, count, samples })
  }
  return out.sort((a, b) => b.count - a.count)
}

const grouped = (db: Db, select: SQL, where: SQL, limit = 10) =>
  db.all<{ key: string; n: number }>(sql`SELECT ${select} AS key, count(*) AS n FROM iocs WHERE ${where} GROUP BY 1 HAVING key IS NOT NULL ORDER BY n DESC, key LIMIT ${limit}`)

async function operations(db: Db, w: ReportWindow, now: Date, tz: string, ruleCounts: Record<string, number>) {
  const t = evalAt(w, now)
  const inW = createdIn(w)
  const [types, rate, countries, campaigns, campaignsBy, methods, expiry, tlds, emails, quality, rare, byAnalyst, anomalyList, yara] = await Promise.all([
    grouped(db, sql`type`, inW),
    db.all<{ hour: string; system: number; n: number }>(sql`SELECT substr(i.created_at, 1, 13) AS hour, u.source = 'system' AS system, count(*) AS n
      FROM iocs i JOIN users u ON u.id = i.created_by WHERE i.created_at >= ${w.start} AND i.created_at < ${w.end} GROUP BY 1, 2`),
    grouped(db, sql`nullif(country, '')`, sql`${inW} AND type = 'ip'`),
    db.all<{ id: number; name: string; n: number }>(sql`SELECT c.id, c.name, count(*) AS n FROM iocs i JOIN campaigns c ON c.id = i.campaign_id
      WHERE i.created_at >= ${w.start} AND i.created_at < ${w.end} GROUP BY c.id ORDER BY n DESC, c.name LIMIT 10`),
    db.all<{ username: string; name: string; n: number }>(sql`SELECT u.username, u.display_name AS name, count(*) AS n FROM campaigns c JOIN users u ON u.id = c.created_by
      WHERE c.created_at >= ${w.start} AND c.created_at < ${w.end} GROUP BY u.id ORDER BY n DESC`),
    grouped(db, sql`source`, inW, 20),
    db.get<{ permanent: number; active: number; expired: number }>(sql`SELECT coalesce(sum(expires_at IS NULL), 0) AS permanent,
      coalesce(sum(expires_at > ${t}), 0) AS active, coalesce(sum(expires_at <= ${t}), 0) AS expired FROM iocs WHERE ${inW}`),
    grouped(db, TLD, inW),
    grouped(db, sql`CASE WHEN type = 'email' THEN host END`, inW),
    db.get<{ n: number; comment: number; ticket: number; campaign: number; tags: number; avgLen: number | null }>(sql`SELECT count(*) AS n,
      coalesce(sum(trim(comment) <> ''), 0) AS comment, coalesce(sum(NOT ${AUTO_TICKET}), 0) AS ticket, coalesce(sum(campaign_id IS NOT NULL), 0) AS campaign,
      coalesce(sum(json_array_length(tags) > 0), 0) AS tags, avg(length(trim(comment))) AS avgLen FROM iocs WHERE ${inW}`),
    db.all(sql`SELECT f.dim, f.key, f.at, u.username, u.display_name AS name, i.type, i.value FROM stats_firsts f
      LEFT JOIN users u ON u.id = f.user_id LEFT JOIN iocs i ON i.id = f.ioc_id WHERE f.at >= ${w.start} AND f.at < ${w.end} ORDER BY f.at DESC LIMIT 20`),
    db.all<{ username: string; name: string; system: number; n: number }>(sql`SELECT u.username, u.display_name AS name, u.source = 'system' AS system, count(*) AS n
      FROM iocs i JOIN users u ON u.id = i.created_by WHERE i.created_at >= ${w.start} AND i.created_at < ${w.end} GROUP BY u.id ORDER BY n DESC`),
    anomalies(db, t, ruleCounts),
    yaraCounts(db, t),
  ])
  // Hourly for a day, daily otherwise; split team / system / total.
  const daily = w.kind !== 'day'
  const labels: string[] = daily
    ? Array.from({ length: Math.round((Date.parse(`${w.endDate}T00:00:00Z`) - Date.parse(`${w.startDate}T00:00:00Z`)) / 86_400_000) }, (_, i) => addDays(w.startDate, i))
    : Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'))
  const team = new Map(labels.map((l) => [l, 0]))
  const system = new Map(labels.map((l) => [l, 0]))
  for (const r of rate) {
    const local = localParts(`${r.hour}:00:00.000Z`, tz)
    const key = daily ? local.date : String(local.hour).padStart(2, '0')
    const bucket = r.system ? system : team
    if (bucket.has(key)) bucket.set(key, bucket.get(key)! + r.n)
  }
  const q = quality ?? { n: 0, comment: 0, ticket: 0, campaign: 0, tags: 0, avgLen: 0 }
  return {
    type_distribution: Object.fromEntries(types.map((r) => [r.key, r.n])),
    submission_rate: {
      unit: daily ? 'day' : 'hour',
      points: labels.map((l) => ({ label: l, team: team.get(l)!, system: system.get(l)!, total: team.get(l)! + system.get(l)! })),
    },
    top_countries: countries,
    top_campaigns: campaigns,
    campaigns_created_by_analyst: campaignsBy,
    submission_methods: methods,
    expiration_policy: expiry ?? { permanent: 0, active: 0, expired: 0 },
    top_tlds: tlds,
    email_domains: emails,
    ioc_quality: {
      total: q.n,
      with_comment_pct: pct(q.comment, q.n),
      with_ticket_pct: pct(q.ticket, q.n),
      with_campaign_pct: pct(q.campaign, q.n),
      with_tags_pct: pct(q.tags, q.n),
      avg_comment_length: Math.round((q.avgLen ?? 0) * 10) / 10,
    },
    anomalies_summary: anomalyList,
    yara_quality: yara
      ? {
          total_approved: yara.approved,
          pending: yara.pending,
          rejected: yara.rejected,
          avg_quality: yara.avgQuality === null ? null : Math.round(yara.avgQuality * 10) / 10,
          with_campaign_pct: pct(yara.withCampaign, yara.approved),
          with_ticket_pct: pct(yara.withTicket, yara.approved),
        }
      : null,
    rare_finds: rare,
    analyst_activity: byAnalyst,
  }
}

const REPORT_SLOW_MS = 1_000
const REPORT_STALE_OK_MS = 60_000
const reportCache = new Map<string, { key: string; at: number; ms: number; value: Promise<unknown> }>()

/**
 * The report, cached per query while nothing changes; on a large database (a build over a second)
 * a report up to a minute old is served, so repeated views and exports do not rescan.
 */
export async function buildReport(db: Db, q: ReportQuery, now: Date) {
  const marks = await db.get(sql`SELECT (SELECT max(id) FROM iocs) AS i, (SELECT max(id) FROM ioc_history) AS h,
    (SELECT max(id) FROM campaigns) AS c, (SELECT max(updated_at) FROM settings) AS s, (SELECT max(id) FROM team_goals) AS g,
    (SELECT max(date) || ':' || count(*) FROM champs_rank_snapshots) AS r, (SELECT max(id) || ':' || max(updated_at) FROM users) AS u`)
  const yara = (await tableColumns(db, 'yara_rules'))?.has('updated_at')
    ? await db.get(sql`SELECT max(id) || ':' || max(updated_at) || ':' || count(*) AS y FROM yara_rules`)
    : null
  const base = JSON.stringify(q)
  const key = JSON.stringify([base, marks, yara, now.toISOString().slice(0, 16)])
  const hit = reportCache.get(base)
  if (hit && (hit.key === key || (hit.ms > REPORT_SLOW_MS && Date.now() - hit.at < REPORT_STALE_OK_MS))) return hit.value as ReturnType<typeof computeReport>
  const started = Date.now()
  const value = computeReport(db, q, now)
  const entry = { key, at: started, ms: 0, value }
  if (reportCache.size > 20) reportCache.clear()
  reportCache.set(base, entry)
  value.then(() => (entry.ms = Date.now() - started)).catch(() => reportCache.delete(base))
  return value
}

/** The whole report for a period: KPIs and the previous period's, operations, analysts, available periods. */
async function computeReport(db: Db, q: ReportQuery, now: Date) {
  const tz = await getSetting(db, 'general.timezone')
  const p = resolvePeriod(q, now, tz)
  const { prev, ...cur } = p
  const [current, previous, board, oldest] = await Promise.all([
    kpis(db, cur, now, true),
    kpis(db, prev, now),
    leaderboard(db, now),
    db.get<{ at: string | null }>(sql`SELECT min(created_at) AS at FROM iocs`),
  ])
  const ops = await operations(db, cur, now, tz, current.ruleCounts)
  const today = localParts(now, tz).date
  const lastDay = addDays(cur.endDate, -1) < today ? addDays(cur.endDate, -1) : today
  const spark = Array.from({ length: 7 }, (_, i) => addDays(lastDay, i - 6))
  const podium = board.rows.slice(0, 3).map((r) => {
    const perDay = new Map(spark.map((d) => [d, 0]))
    for (const e of board.events.get(r.user_id) ?? []) {
      const d = localParts(e.at, tz).date
      if (perDay.has(d)) perDay.set(d, perDay.get(d)! + (e.kind === 'ioc' ? (e.count ?? 1) : 1))
    }
    return { ...r, sparkline: spark.map((d) => ({ date: d, count: perDay.get(d)! })) }
  })
  return {
    period: cur,
    previous: prev,
    timeZone: tz,
    generatedAt: now.toISOString(),
    kpis: current.values,
    kpis_prev: previous.values,
    operations: ops,
    analysts: {
      method: board.method,
      podium,
      leaderboard: board.rows.map(({ badges: _b, level_info: _l, ...r }) => r),
      goal: board.goal,
    },
    available: availablePeriods(now, tz, oldest?.at ?? null),
  }
}
