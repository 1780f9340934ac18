import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readWranglerConfig } from '../../bin/config'
import { fireScheduled, startScheduler } from '../../bin/scheduler'
import { runHousekeeping } from '../../scheduled/housekeeping'
import { CRONS } from '../../scheduled'
import { createDb } from '../../functions/env'
import { startMoat, type TestMoat } from '../helpers/moat'

let moat: TestMoat
beforeAll(async () => {
  moat = await startMoat()
})
afterAll(() => moat.close())

describe('cron wiring', () => {
  it('registers jobs for exactly the crons wrangler.toml declares', () => {
    expect(Object.keys(CRONS).sort()).toEqual(readWranglerConfig().crons.sort())
  })

  it('fires a cron on its schedule through the real timer', async () => {
    const fired: string[] = []
    const scheduler = startScheduler(['* * * * * *'], async (cron) => {
      fired.push(cron)
    })
    await new Promise((r) => setTimeout(r, 2300))
    scheduler.stop()
    expect(fired.length).toBeGreaterThanOrEqual(2)
    expect(fired.every((c) => c === '* * * * * *')).toBe(true)
  })

  it("runs the worker's scheduled handler for a wrangler cron and records the run for /health", async () => {
    const worker = await moat.rt.mf.getWorker()
    await fireScheduled(worker as never, '*/10 * * * *', new Date())
    const health: any = await (await fetch(moat.base + '/health')).json()
    expect(health.jobs.housekeeping.lastOutcome).toBe('ok')
    expect(Date.parse(health.jobs.housekeeping.lastSuccessAt)).toBeGreaterThan(Date.now() - 60_000)
  })

  it('runs one job by name and rejects an unknown job', async () => {
    const worker = await moat.rt.mf.getWorker()
    await fireScheduled(worker as never, 'job:housekeeping', new Date())
    await expect(fireScheduled(worker as never, 'job:no-such-job', new Date())).rejects.toThrow(/outcome/)
  })
})

describe('housekeeping job', () => {
  it('forgets address throttle counters idle for an hour and keeps recent ones', async () => {
    const now = new Date('2026-11-23T12:00:00.000Z')
    await moat.db.batch([
      moat.db.prepare(`INSERT INTO login_throttle (key, failures, updated_at) VALUES ('ip:old', 3, '2026-11-23T10:30:00.000Z')`),
      moat.db.prepare(`INSERT INTO login_throttle (key, failures, updated_at) VALUES ('ip:new', 3, '2026-11-23T11:30:00.000Z')`),
    ])
    const result = await runHousekeeping(createDb(moat.db as never), now)
    expect(result).toEqual({ purgedThrottle: 1, purgedPolls: 0, discardedImports: 0, purgedImportRows: 0 })
    const keys = await moat.db.prepare(`SELECT key FROM login_throttle WHERE key LIKE 'ip:%' ORDER BY key`).all()
    expect(keys.results).toEqual([{ key: 'ip:new' }])
  })

  it('discards import batches abandoned for two weeks and drops old preview rows, keeping recent ones', async () => {
    const now = new Date('2026-12-30T12:00:00.000Z')
    const old = '2026-12-01T00:00:00.000Z'
    const recent = '2026-12-29T00:00:00.000Z'
    const user = await moat.db.prepare(`SELECT id FROM users LIMIT 1`).first<{ id: number }>()
    const add = (status: string, at: string) =>
      moat.db
        .prepare(`INSERT INTO import_batches (source, format, status, created_by, created_at, updated_at) VALUES ('paste', 'txt', ?, ?, ?, ?) RETURNING id`)
        .bind(status, user!.id, at, at)
        .first<{ id: number }>()
    const ids = [await add('staged', old), await add('staged', recent), await add('committed', old), await add('committed', recent)].map((r) => r!.id)
    await moat.db.batch(ids.map((id) => moat.db.prepare(`INSERT INTO import_rows (batch_id, idx, line, raw) VALUES (?, 0, 1, 'x')`).bind(id)))
    const result = await runHousekeeping(createDb(moat.db as never), now)
    expect(result).toMatchObject({ discardedImports: 1, purgedImportRows: 2 })
    const left = await moat.db.prepare(`SELECT b.id, b.status, count(r.idx) AS n FROM import_batches b LEFT JOIN import_rows r ON r.batch_id = b.id WHERE b.id IN (${ids.join(',')}) GROUP BY b.id ORDER BY b.id`).all()
    expect(left.results).toEqual([
      { id: ids[0], status: 'discarded', n: 0 },
      { id: ids[1], status: 'staged', n: 1 },
      { id: ids[2], status: 'committed', n: 0 },
      { id: ids[3], status: 'committed', n: 1 },
    ])
  })
})
