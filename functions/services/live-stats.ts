import { sql } from 'drizzle-orm'
import type { Db } from '../env'
import { runBatch } from '../lib/d1-batch'
import { geoInfo } from '../lib/geoip'

/** The same key expressions as the roll-up triggers (schema/stats-triggers.sql). */
const TLD = sql.raw(`CASE WHEN type IN ('domain', 'url') AND host IS NOT NULL AND ip_start IS NULL THEN lower(substr(host, length(rtrim(host, replace(host, '.', ''))) + 1)) END`)
const COUNTRY = sql.raw(`CASE WHEN type = 'ip' THEN nullif(country, '') END`)
const EMAIL_DOMAIN = sql.raw(`CASE WHEN type = 'email' THEN host END`)

/** Top lists read this many roll-up rows, so the few not-yet-swept expiries cannot reorder the top 10 unseen. */
const TOP_READ = 40

type Dim = 'type' | 'country' | 'tld' | 'email_domain'

const top = (dim: Dim, limit: number) => sql`SELECT dim, key, n FROM stats_rollup WHERE dim = ${dim} AND n > 0 ORDER BY n DESC, key LIMIT ${limit}`

export interface Counted {
  key: string
  n: number
}

function topAfter(rows: { dim: Dim; key: string; n: number }[], dim: Dim, minus: Map<string, number>, limit: number): Counted[] {
  return rows
    .filter((r) => r.dim === dim)
    .map((r) => ({ key: r.key, n: r.n - (minus.get(`${dim}\u0000${r.key}`) ?? 0) }))
    .filter((r) => r.n > 0)
    .sort((a, b) => b.n - a.n || a.key.localeCompare(b.key))
    .slice(0, limit)
}

/**
 * Live Stats from the roll-ups: counts per type, top countries, TLDs and email domains of active
 * IOCs, and the newest 50 active IOCs. Exact: roll-ups count every live, unexcluded, unallowlisted
 * IOC whose expiry the sweep has not logged, and the few that expired since the last sweep are
 * subtracted here (read through the partial index `iocs_unswept_expiry`).
 */
export async function liveStats(db: Db, now: Date) {
  const nowIso = now.toISOString()
  const results = await runBatch(db, [
    sql`SELECT dim, key, n FROM stats_rollup WHERE dim = 'type'`,
    top('country', TOP_READ),
    top('tld', TOP_READ),
    top('email_domain', TOP_READ),
    sql`SELECT type, ${COUNTRY} AS country, ${TLD} AS tld, ${EMAIL_DOMAIN} AS email_domain, count(*) AS n FROM iocs
      WHERE expiry_logged = 0 AND deleted_at IS NULL AND expires_at IS NOT NULL AND expires_at <= ${nowIso}
        AND excluded_at IS NULL AND allowlisted_by IS NULL
      GROUP BY 1, 2, 3, 4`,
    sql`SELECT i.id, i.type, i.value, i.country, i.created_at AS createdAt, i.source, u.username, u.display_name AS displayName
      FROM iocs i LEFT JOIN users u ON u.id = i.created_by
      WHERE i.deleted_at IS NULL AND i.excluded_at IS NULL AND i.allowlisted_by IS NULL AND (i.expires_at IS NULL OR i.expires_at > ${nowIso})
      ORDER BY i.created_at DESC, i.id DESC LIMIT 50`,
  ])
  const rows = results.slice(0, 4).flatMap((r) => r.results as { dim: Dim; key: string; n: number }[])
  const minus = new Map<string, number>()
  for (const u of results[4].results as { type: string; country: string | null; tld: string | null; email_domain: string | null; n: number }[]) {
    const add = (dim: Dim, key: string | null) => key && minus.set(`${dim}\u0000${key}`, (minus.get(`${dim}\u0000${key}`) ?? 0) + u.n)
    add('type', u.type)
    add('country', u.country)
    add('tld', u.tld)
    add('email_domain', u.email_domain)
  }
  const byType: Record<string, number> = { ip: 0, domain: 0, url: 0, email: 0, md5: 0, sha1: 0, sha256: 0 }
  for (const r of topAfter(rows, 'type', minus, 10)) byType[r.key] = r.n
  return {
    generatedAt: nowIso,
    total: Object.values(byType).reduce((a, b) => a + b, 0),
    byType,
    topCountries: topAfter(rows, 'country', minus, 10),
    topTlds: topAfter(rows, 'tld', minus, 10),
    topEmailDomains: topAfter(rows, 'email_domain', minus, 10),
    latest: results[5].results as { id: number; type: string; value: string; country: string | null; createdAt: string; source: string; username: string | null; displayName: string | null }[],
    geoip: await geoInfo(),
  }
}
