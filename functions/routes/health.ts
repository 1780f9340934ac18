import { sql } from 'drizzle-orm'
import { Hono } from 'hono'
import type { Health } from '../../schema/contracts/auth'
import { JOBS } from '../../scheduled/jobs'
import type { AppEnv } from '../env'
import { listJobRuns } from '../repos/job-runs'
import { getMispState } from '../repos/misp'
import { logEvent } from '../lib/log'

/** Below this much free space in the data folder the box is reported degraded. */
const MIN_FREE_BYTES = 512 * 1024 * 1024

async function checkDisk(host: Fetcher | undefined): Promise<Health['disk']> {
  if (!host) return undefined
  try {
    const res = await host.fetch('http://host/v1/disk')
    if (!res.ok) return undefined
    const { freeBytes, totalBytes } = await res.json<{ freeBytes: number; totalBytes: number }>()
    return { ok: freeBytes >= MIN_FREE_BYTES, freeBytes, totalBytes }
  } catch {
    return undefined
  }
}

// No auth: load balancers and monitoring poll it. It returns status, version and ages only,
// never paths, settings or errors.
export const health = new Hono<AppEnv>().get('/', async (c) => {
  const started = performance.now()
  let dbOk = true
  const jobs: Health['jobs'] = {}
  for (const name of Object.keys(JOBS)) jobs[name] = { lastSuccessAt: null, lastOutcome: null }
  try {
    await c.var.db.get(sql`select 1`)
    for (const run of await listJobRuns(c.var.db)) {
      jobs[run.name] = { lastSuccessAt: run.lastSuccessAt, lastOutcome: run.lastOutcome }
    }
    // The MISP job ticks every minute but pulls only when due: report the last successful pull,
    // and an error when the last pull or the last tick failed.
    const misp = await getMispState(c.var.db)
    const tick = jobs.misp?.lastOutcome
    jobs.misp = { lastSuccessAt: misp.lastSuccessAt, lastOutcome: tick === 'error' ? 'error' : misp.lastStatus }
  } catch (err) {
    dbOk = false
    logEvent('error', 'health: database check failed', { error: String(err) })
  }
  const latencyMs = Math.round((performance.now() - started) * 100) / 100
  const disk = await checkDisk(c.env.HOST)
  const ok = dbOk && (disk?.ok ?? true)
  const body: Health = {
    status: ok ? 'ok' : 'degraded',
    version: c.env.MOAT_VERSION ?? 'dev',
    time: new Date().toISOString(),
    database: { ok: dbOk, latencyMs },
    ...(disk ? { disk } : {}),
    jobs,
  }
  c.header('Cache-Control', 'no-store')
  return c.json(body, dbOk ? 200 : 503)
})
