// Loads 1M IOCs into a real D1 (workerd) and prints single-submit and search latency through the
// HTTP API. Figures only; nothing is asserted. `npm run bench -- iocs` (BENCH_IOCS to change size).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Client, startMoat } from '../tests/helpers/moat'

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]
}
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms (n=${xs.length})`

/**
 * Generates the rows inside SQLite with a recursive CTE (a statement per 100k rows): loading
 * through Miniflare's Node proxy row by row would measure the proxy, not D1. A mix of domains,
 * IPv4 addresses, URLs and SHA-256 hashes with their derived host and range columns.
 */
export async function loadIocs(moat: Awaited<ReturnType<typeof startMoat>>, n: number, userId: number) {
  const nowIso = new Date().toISOString()
  const expires = new Date(Date.now() + 90 * 86_400_000).toISOString()
  const chunk = 100_000
  for (let from = 0; from < n; from += chunk) {
    const to = Math.min(n, from + chunk) - 1
    await moat.db
      .prepare(
        `WITH RECURSIVE seq(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?2),
         gen AS (SELECT i, i % 4 AS k, 11 + (i % 200) AS a, (i >> 16) & 255 AS b, (i >> 8) & 255 AS c, i & 255 AS d FROM seq)
         INSERT INTO iocs (type, value, host, ip_start, ip_end, ticket, created_by, created_at, updated_at, expires_at, tags)
         SELECT
           CASE k WHEN 0 THEN 'domain' WHEN 1 THEN 'ip' WHEN 2 THEN 'url' ELSE 'sha256' END,
           CASE k WHEN 0 THEN printf('host-%d.bench-%d.com', i, i % 997)
                  WHEN 1 THEN printf('%d.%d.%d.%d', a, b, c, d)
                  WHEN 2 THEN printf('http://site-%d.net/path/%d?q=%d', i % 5000, i, i)
                  ELSE printf('%08x%s', i, substr('${'a'.repeat(56)}', 1, 56)) END,
           CASE k WHEN 0 THEN printf('host-%d.bench-%d.com', i, i % 997) WHEN 2 THEN printf('site-%d.net', i % 5000) END,
           CASE k WHEN 1 THEN printf('00000000000000000000ffff%02x%02x%02x%02x', a, b, c, d) END,
           CASE k WHEN 1 THEN printf('00000000000000000000ffff%02x%02x%02x%02x', a, b, c, d) END,
           printf('BENCH-%d', i % 1000), ?3, ?4, ?4, CASE WHEN i % 3 = 0 THEN NULL ELSE ?5 END, '[]'
         FROM gen`,
      )
      .bind(from, to, userId, nowIso, expires)
      .run()
  }
}

export async function benchIocs() {
  const n = Number(process.env.BENCH_IOCS ?? 1_000_000)
  const dir = mkdtempSync(path.join(tmpdir(), 'moat-bench-iocs-'))
  const moat = await startMoat(dir)
  try {
    const userId = await moat.addUser('bencher', 'analyst')
    const t0 = performance.now()
    await loadIocs(moat, n, userId)
    const loadMs = performance.now() - t0
    console.log(`loaded ${n.toLocaleString('en')} IOCs (all indexes and the FTS5 trigram index maintained) in ${(loadMs / 1000).toFixed(1)} s (${((loadMs / n) * 100_000 / 1000).toFixed(2)} s per 100k)`)

    const c = new Client(moat.base)
    await c.login('bencher', moat.password)
    const submit: number[] = []
    for (let i = 0; i < 200; i++) {
      const t = performance.now()
      const res = await c.post('/api/v1/iocs', { value: `fresh-${i}.submit-bench.com`, ttl: '3m', tags: ['bench'] })
      submit.push(performance.now() - t)
      if (res.status !== 201) throw new Error(`submit ${res.status} ${res.text}`)
    }
    console.log(`single submit (parse, allowlist, warninglists, duplicate, write batch): ${fmt(submit)}`)

    const searches: Record<string, (i: number) => string> = {
      'substring (FTS5 trigram)': (i) => `/api/v1/iocs?q=bench-${(i * 7) % 997}.com&limit=50`,
      'prefix': (i) => `/api/v1/iocs?q=host-${i * 31}&match=prefix&limit=50`,
      'exact (defanged input)': (i) => `/api/v1/iocs?q=host-${i * 4 * 13}[.]bench-${(i * 4 * 13) % 997}[.]com&match=exact`,
      'type + status active, newest first': () => `/api/v1/iocs?type=domain&status=active&limit=50`,
      'ticket filter': (i) => `/api/v1/iocs?ticket=BENCH-${i % 1000}&limit=50`,
    }
    for (const [name, url] of Object.entries(searches)) {
      const times: number[] = []
      for (let i = 0; i < 100; i++) {
        const t = performance.now()
        const res = await c.get(url(i + 1))
        times.push(performance.now() - t)
        if (res.status !== 200) throw new Error(`${name}: ${res.status} ${res.text}`)
      }
      console.log(`search ${name}: ${fmt(times)}`)
    }
  } finally {
    await moat.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
