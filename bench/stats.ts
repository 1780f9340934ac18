// Live Stats at scale: loads 1M IOCs (BENCH_STATS_IOCS to change) into a real D1 through the roll-up
// triggers, then times GET /api/v1/stats/live through the HTTP API (p50/p95). Also prints one
// Champs leaderboard and one weekly report at that size, for information. Nothing is asserted.
// `npm run bench -- stats`
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Client, startMoat } from '../tests/helpers/moat'

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]
}
export const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms (n=${xs.length})`

const COUNTRIES = ['US', 'DE', 'NL', 'RU', 'CN', 'GB', 'FR', 'IR', 'KP', 'BR', 'IN', 'UA', '']
const TLDS = ['com', 'net', 'org', 'ru', 'xyz', 'top', 'io', 'info', 'cn', 'co.uk']

/**
 * Rows generated inside SQLite (a statement per 100k rows) with their derived columns: domains
 * over 10 TLDs, IPv4 with a country, URLs, emails over 997 domains, SHA-256. One in 1000 expired a
 * minute ago and not yet swept, so the exact-between-sweeps correction has work to do.
 */
export async function load(moat: Awaited<ReturnType<typeof startMoat>>, n: number, userId: number) {
  const nowIso = new Date().toISOString()
  const expires = new Date(Date.now() + 90 * 86_400_000).toISOString()
  const expired = new Date(Date.now() - 60_000).toISOString()
  const countries = `json('${JSON.stringify(COUNTRIES)}')`
  const tlds = `json('${JSON.stringify(TLDS)}')`
  const chunk = 100_000
  for (let from = 0; from < n; from += chunk) {
    const to = Math.min(n, from + chunk) - 1
    await moat.db
      .prepare(
        `WITH RECURSIVE seq(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?2),
         gen AS (SELECT i, i % 5 AS k, 11 + (i % 200) AS a, (i >> 16) & 255 AS b, (i >> 8) & 255 AS c, i & 255 AS d,
                 json_extract(${tlds}, '$[' || CAST(i % ${TLDS.length} AS INTEGER) || ']') AS tld FROM seq)
         INSERT INTO iocs (type, value, host, ip_start, ip_end, country, ticket, created_by, created_at, updated_at, expires_at, tags)
         SELECT
           CASE k WHEN 0 THEN 'domain' WHEN 1 THEN 'ip' WHEN 2 THEN 'url' WHEN 3 THEN 'email' ELSE 'sha256' END,
           CASE k WHEN 0 THEN printf('host-%d.bench-%d.%s', i, i % 997, tld)
                  WHEN 1 THEN printf('%d.%d.%d.%d', a, b, c, d)
                  WHEN 2 THEN printf('http://site-%d.%s/path/%d?q=%d', i % 5000, tld, i, i)
                  WHEN 3 THEN printf('user%d@mail-%d.%s', i, i % 997, tld)
                  ELSE printf('%08x%s', i, substr('${'a'.repeat(56)}', 1, 56)) END,
           CASE k WHEN 0 THEN printf('host-%d.bench-%d.%s', i, i % 997, tld) WHEN 2 THEN printf('site-%d.%s', i % 5000, tld)
                  WHEN 3 THEN printf('mail-%d.%s', i % 997, tld) END,
           CASE k WHEN 1 THEN printf('00000000000000000000ffff%02x%02x%02x%02x', a, b, c, d) END,
           CASE k WHEN 1 THEN printf('00000000000000000000ffff%02x%02x%02x%02x', a, b, c, d) END,
           CASE k WHEN 1 THEN json_extract(${countries}, '$[' || CAST(i % ${COUNTRIES.length} AS INTEGER) || ']') END,
           printf('BENCH-%d', i % 1000), ?3, ?4, ?4,
           CASE WHEN i % 1000 = 7 THEN ?6 WHEN i % 3 = 0 THEN NULL ELSE ?5 END, '[]'
         FROM gen`,
      )
      .bind(from, to, userId, nowIso, expires, expired)
      .run()
  }
}

/** n sequential GETs of url (each must answer 200): their latencies in ms. */
export async function timed(c: Client, url: string, n: number) {
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    const res = await c.get(url)
    times.push(performance.now() - t)
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${res.text}`)
  }
  return times
}

export async function benchStats() {
  const n = Number(process.env.BENCH_STATS_IOCS ?? 1_000_000)
  const dir = mkdtempSync(path.join(tmpdir(), 'moat-bench-stats-'))
  const moat = await startMoat(dir)
  try {
    const userId = await moat.addUser('bencher', 'analyst')
    const t0 = performance.now()
    await load(moat, n, userId)
    const loadMs = performance.now() - t0
    console.log(`loaded ${n.toLocaleString('en')} IOCs with roll-up triggers in ${(loadMs / 1000).toFixed(1)} s (${(((loadMs / n) * 100_000) / 1000).toFixed(2)} s per 100k)`)
    const c = new Client(moat.base)
    await c.login('bencher', moat.password)
    const first = await c.get('/api/v1/stats/live')
    console.log(`live stats: total ${first.json.total.toLocaleString('en')} active, top country ${first.json.topCountries[0]?.key}, top TLD ${first.json.topTlds[0]?.key}`)
    console.log(`GET /api/v1/stats/live: ${fmt(await timed(c, '/api/v1/stats/live', 200))}`)
    const submit: number[] = []
    for (let i = 0; i < 50; i++) {
      const t = performance.now()
      const res = await c.post('/api/v1/iocs', { value: `185.${i}.7.9`, ttl: '3m', confirm: true })
      submit.push(performance.now() - t)
      if (res.status !== 201) throw new Error(`submit ${res.status} ${res.text}`)
    }
    console.log(`single submit of an IP (GeoIP lookup + roll-up triggers): ${fmt(submit)}`)
    console.log(`GET /api/v1/champs (all 1M events, first computation): ${fmt(await timed(c, '/api/v1/champs', 1))}`)
    console.log(`GET /api/v1/reports?period=week: ${fmt(await timed(c, '/api/v1/reports?period=week', 1))}`)
  } finally {
    await moat.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
