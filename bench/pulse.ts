// Feed Pulse at scale: the Live Stats data set (bench/stats.ts, BENCH_PULSE_IOCS, default 1M) loaded
// through the roll-up triggers, then the Feed Pulse endpoints timed through the HTTP API. The
// anomaly counts are one pass over the active IOCs, cached until the next write: the first call and
// the cached ones are shown apart. Nothing is asserted. `npm run bench -- pulse`
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Client, startMoat } from '../tests/helpers/moat'
import { fmt, load, timed } from './stats'

export async function benchPulse() {
  const n = Number(process.env.BENCH_PULSE_IOCS ?? 1_000_000)
  const dir = mkdtempSync(path.join(tmpdir(), 'moat-bench-pulse-'))
  const moat = await startMoat(dir)
  try {
    const userId = await moat.addUser('bencher', 'analyst')
    const t0 = performance.now()
    await load(moat, n, userId)
    console.log(`loaded ${n.toLocaleString('en')} IOCs with the roll-up triggers in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
    const c = new Client(moat.base)
    await c.login('bencher', moat.password)
    for (const w of ['24h', '30d']) console.log(`GET /api/v1/pulse?window=${w}: ${fmt(await timed(c, `/api/v1/pulse?window=${w}`, 50))}`)
    console.log(`GET /api/v1/pulse/incoming?window=24h: ${fmt(await timed(c, '/api/v1/pulse/incoming?window=24h', 50))}`)
    console.log(`GET /api/v1/pulse/outgoing?window=30d: ${fmt(await timed(c, '/api/v1/pulse/outgoing?window=30d', 50))}`)
    console.log(`GET /api/v1/pulse/anomalies, first pass: ${fmt(await timed(c, '/api/v1/pulse/anomalies', 1))}`)
    console.log(`GET /api/v1/pulse/anomalies, cached counts: ${fmt(await timed(c, '/api/v1/pulse/anomalies', 20))}`)
    console.log(`GET /api/v1/pulse/exclusions?window=30d: ${fmt(await timed(c, '/api/v1/pulse/exclusions?window=30d', 50))}`)
    console.log(`GET /api/v1/pulse/feeds, /consumers: ${fmt([...(await timed(c, '/api/v1/pulse/feeds', 20)), ...(await timed(c, '/api/v1/pulse/consumers', 20))])}`)
  } finally {
    await moat.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
