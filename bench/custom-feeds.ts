// Custom feed filters at scale: 1M IOCs (bench/iocs.ts mix; BENCH_CUSTOM_IOCS to change) with
// tags on 1%, a campaign on 0.5%, MISP as the source of 10% and old creation dates on a third.
// Prints the EXPLAIN QUERY PLAN of each filter's query (every filter must start from an index,
// never a full scan of iocs) and the cold build time of each feed through HTTP. Figures only.
// `npm run bench -- custom-feeds`
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { CustomFeedFilters } from '../schema/contracts/custom-feeds'
import { customWhere, CUSTOM_SELECT } from '../functions/repos/custom-feeds'
import { Client, startMoat } from '../tests/helpers/moat'
import { loadIocs } from './iocs'

export async function benchCustomFeeds() {
  const n = Number(process.env.BENCH_CUSTOM_IOCS ?? 1_000_000)
  const dir = mkdtempSync(path.join(tmpdir(), 'moat-bench-custom-'))
  const moat = await startMoat(dir)
  try {
    const userId = await moat.addUser('bencher', 'admin')
    const otherId = await moat.addUser('other', 'analyst')
    const t0 = performance.now()
    await loadIocs(moat, n, userId)
    const camp = await moat.db.prepare(`INSERT INTO campaigns (name, created_by) VALUES ('Bench campaign', ?) RETURNING id`).bind(userId).first<{ id: number }>()
    const old = new Date(Date.now() - 200 * 86_400_000).toISOString()
    await moat.db.batch([
      moat.db.prepare(`INSERT INTO ioc_tags (ioc_id, tag) SELECT id, 'hot' FROM iocs WHERE id % 100 = 1`),
      moat.db.prepare(`INSERT INTO ioc_tags (ioc_id, tag) SELECT id, 'c2' FROM iocs WHERE id % 300 = 1`),
      moat.db.prepare(`UPDATE iocs SET campaign_id = ? WHERE id % 200 = 0`).bind(camp!.id),
      moat.db.prepare(`UPDATE iocs SET source = 'misp' WHERE id % 10 = 2`),
      moat.db.prepare(`UPDATE iocs SET created_by = ? WHERE id % 50 = 7`).bind(otherId),
      moat.db.prepare(`UPDATE iocs SET created_at = ? WHERE id % 3 = 2`).bind(old),
      moat.db.prepare(`UPDATE iocs SET confidence = 90 WHERE id % 20 = 1`),
      moat.db.prepare('ANALYZE'),
    ])
    console.log(`loaded ${n.toLocaleString('en')} IOCs with tags, campaign, sources and ages in ${((performance.now() - t0) / 1000).toFixed(1)} s`)

    const cases: Record<string, Record<string, unknown>> = {
      'type ip only': { types: ['ip'] },
      'tags any [hot]': { types: ['ip', 'domain'], tags: { any: ['hot'] } },
      'tags all [hot, c2]': { types: ['ip', 'domain'], tags: { all: ['hot', 'c2'] } },
      'tags none [hot]': { types: ['domain'], tags: { none: ['hot'] } },
      campaign: { types: ['ip', 'domain', 'url', 'sha256'], campaigns: [camp!.id] },
      'minConfidence 90': { types: ['domain'], minConfidence: 90 },
      'source misp': { types: ['ip'], sources: ['misp'] },
      analyst: { types: ['ip', 'domain', 'url', 'sha256'], analysts: [otherId] },
      'created within 30 days': { types: ['domain'], createdWithinDays: 30 },
      'expiring within 7 days': { types: ['ip', 'domain', 'url', 'sha256'], expiringWithinDays: 7 },
    }
    const nowIso = new Date().toISOString()
    const admin = new Client(moat.base)
    await admin.login('bencher', moat.password)
    for (const [name, raw] of Object.entries(cases)) {
      const filters = CustomFeedFilters.parse(raw)
      const where = customWhere(filters, nowIso)
      const plan = await moat.db
        .prepare(`EXPLAIN QUERY PLAN ${CUSTOM_SELECT} WHERE ${where.sql} ORDER BY iocs.value, iocs.id`)
        .bind(...where.binds)
        .all<{ detail: string }>()
      console.log(`\n${name}:\n  ${plan.results.map((r) => r.detail).join('\n  ')}`)
      const slug = name.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
      const created = await admin.post('/api/v1/custom-feeds', { slug, name, format: 'plain', filters: raw })
      if (created.status !== 201) throw new Error(`${name}: ${created.status} ${created.text}`)
      const t = performance.now()
      const res = await fetch(`${moat.base}/feed/custom/${slug}`)
      const body = await res.arrayBuffer()
      const cold = performance.now() - t
      const t2 = performance.now()
      await (await fetch(`${moat.base}/feed/custom/${slug}`)).arrayBuffer()
      console.log(`  -> ${res.headers.get('x-moat-total')} entries, ${(body.byteLength / 1024).toFixed(0)} KiB; cold build ${cold.toFixed(0)} ms, cached ${(performance.now() - t2).toFixed(1)} ms`)
    }
  } finally {
    await moat.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
