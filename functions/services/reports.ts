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

interface Fact {
  type: string
  source: string
  country: string | null
  tld: string | null
  email: string | null
  userId: number
  hour: string
  campaignId: number | null
  n: number
  comment: number
  ticket: number
  tags: number
  len: number
  permanent: number
  active: number
  expired: number
}

/** `ORDER BY n DESC, key LIMIT limit` over JS counts (keys compared as SQLite's BINARY collation does). */
function top(counts: Map<string | null, number>, limit = 10) {
  return [...counts]
    .filter((e): e is [string, number] => e[0] !== null)
    .map(([key, n]) => ({ key, n }))
    .sort((a, b) => b.n - a.n || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, limit)
}

function tally<T>(facts: Fact[], key: (f: Fact) => T) {
  const out = new Map<T, number>()
  for (const f of facts) out.set(key(f), (out.get(key(f)) ?? 0) + f.n)
  return out
}

async function operations(db: Db, w: ReportWindow, now: Date, tz: string, ruleCounts: Record<string, number>) {
  const t = evalAt(w, now)
  // One pass over the period's IOCs, grouped by every dimension the sections below need (a few
  // thousand groups at 1M IOCs); each section is then a sum over those groups, not another scan.
  const [facts, userRows, campaignsBy, rare, anomalyList, yara] = await Promise.all([
    db.all<Fact>(sql`SELECT type, source, CASE WHEN type = 'ip' THEN nullif(country, '') END AS country, ${TLD} AS tld,
        CASE WHEN type = 'email' THEN host END AS email, created_by AS userId, substr(created_at, 1, 13) AS hour, campaign_id AS campaignId,
        count(*) AS n, coalesce(sum(trim(comment) <> ''), 0) AS comment, coalesce(sum(NOT ${AUTO_TICKET}), 0) AS ticket,
        coalesce(sum(json_array_length(tags) > 0), 0) AS tags, coalesce(sum(length(trim(comment))), 0) AS len,
        coalesce(sum(expires_at IS NULL), 0) AS permanent, coalesce(sum(expires_at > ${t}), 0) AS active, coalesce(sum(expires_at <= ${t}), 0) AS expired
      FROM iocs WHERE ${createdIn(w)} GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`),
    db.all<{ id: number; username: string; name: string; system: number }>(sql`SELECT id, username, display_name AS name, source = 'system' AS system FROM users`),
    db.all<{ username: string; name: string; n: number }>(sql`SELECT u.username, u.display_name AS name, count(*) AS n FROM campaigns c JOIN users u ON u.id = c.created_by
      WHERE c.created_at >= ${w.start} AND c.created_at < ${w.end} GROUP BY u.id ORDER BY n DESC`),
    db.all(sql`SELECT f.dim, f.key, f.at, u.username, u.display_name AS name, i.type, i.value FROM stats_firsts f
      LEFT JOIN users u ON u.id = f.user_id LEFT JOIN iocs i ON i.id = f.ioc_id WHERE f.at >= ${w.start} AND f.at < ${w.end} ORDER BY f.at DESC LIMIT 20`),
    anomalies(db, t, ruleCounts),
    yaraCounts(db, t),
  ])
  const users = new Map(userRows.map((u) => [u.id, u]))
  const campaignIds = [...new Set(facts.map((f) => f.campaignId).filter((id): id is number => id !== null))]
  const campaignNames = new Map(
    (campaignIds.length
      ? await db.all<{ id: number; name: string }>(sql`SELECT id, name FROM campaigns WHERE id IN (SELECT value FROM json_each(${JSON.stringify(campaignIds)}))`)
      : []
    ).map((c) => [c.id, c.name]),
  )
  const types = top(tally(facts, (f) => f.type))
  const rateMap = new Map<string, { hour: string; system: number; n: number }>()
  for (const f of facts) {
    const u = users.get(f.userId)
    if (!u) continue
    const k = `${f.hour}|${u.system}`
    const r = rateMap.get(k) ?? { hour: f.hour, system: u.system, n: 0 }
    r.n += f.n
    rateMap.set(k, r)
  }
  const rate = [...rateMap.values()]
  const countries = top(tally(facts.filter((f) => f.type === 'ip'), (f) => f.country))
  const campaigns = [...tally(facts.filter((f) => f.campaignId !== null && campaignNames.has(f.campaignId)), (f) => f.campaignId!)]
    .map(([id, n]) => ({ id, name: campaignNames.get(id)!, n }))
    .sort((a, b) => b.n - a.n || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, 10)
  const methods = top(tally(facts, (f) => f.source), 20)
  const sum = (k: keyof Fact) => facts.reduce((a, f) => a + (f[k] as number), 0)
  const expiry = { permanent: sum('permanent'), active: sum('active'), expired: sum('expired') }
  const tlds = top(tally(facts, (f) => f.tld))
  const emails = top(tally(facts, (f) => f.email))
  const total = sum('n')
  const quality = { n: total, comment: sum('comment'), ticket: sum('ticket'), campaign: facts.reduce((a, f) => a + (f.campaignId !== null ? f.n : 0), 0), tags: sum('tags'), avgLen: total ? sum('len') / total : null }
  const byAnalyst = [...tally(facts.filter((f) => users.has(f.userId)), (f) => f.userId)]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .map(([id, n]) => ({ username: users.get(id)!.username, name: users.get(id)!.name, system: users.get(id)!.system, n }))
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
