import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeMisp, type FakeMisp } from '../helpers/fake-misp'
import { Client, startMoat } from '../helpers/moat'
import { startServer, type Server } from '../helpers/server'

// Kill -9 the whole runtime (launcher and workerd) in the middle of a MISP pull: while it pages
// through restSearch, and while its one commit transaction is writing. After a restart on the same
// data folder: SQLite's check is ok, the pull landed whole or not at all (with the cursor moved
// only if it landed), the next pull starts at once (the dead process's lease does not block it)
// and ends with exactly the IOCs of an uninterrupted pull, none twice.

const FIRST = 'first-Start-pass-2468'
const PASSWORD = 'Crash-test-pass-8642'
const KEY = 'Lk29vPq7Zx3Rt8mN1bW4cY6dF0gH5jS2aE9uI7oQ'
const PAGE = 20
const MISP_NOW = 1551000000

let misp: FakeMisp
let server: Server | undefined
const dirs: string[] = []

beforeAll(async () => {
  misp = await startFakeMisp({ key: KEY, now: MISP_NOW })
})

afterAll(async () => {
  if (server?.proc.exitCode === null) process.kill(-server.proc.pid!, 'SIGKILL')
  await misp?.close()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

async function start(dataDir: string) {
  server = await startServer(dataDir, { MOAT_ADMIN_PASSWORD: FIRST }, { detached: true })
  const api = new Client(server.base)
  const first = await api.post('/api/v1/auth/login', { username: 'admin', password: FIRST })
  if (first.status === 200 && first.json.mustChangePassword) {
    expect((await api.post('/api/v1/auth/password', { current: FIRST, new: PASSWORD })).status).toBe(200)
  } else await api.login('admin', PASSWORD)
  return api
}

function walSize(dataDir: string): number {
  const dir = path.join(dataDir, 'd1', 'miniflare-D1DatabaseObject')
  const wal = readdirSync(dir).find((f) => f.endsWith('.sqlite-wal') && !f.startsWith('metadata'))
  return wal ? statSync(path.join(dir, wal)).size : 0
}

async function until(cond: () => boolean, ms: number) {
  const end = Date.now() + ms
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 2))
}

function killHard(): Promise<void> {
  return new Promise((resolve) => {
    server!.proc.once('exit', () => resolve())
    process.kill(-server!.proc.pid!, 'SIGKILL')
  })
}

/** Stops the server and reads the database directly: the check, the MISP IOCs, the cursor. */
async function inspect(dataDir: string) {
  expect(await server!.stop()).toBe(0)
  const moat = await startMoat(dataDir)
  try {
    const check = await moat.db.prepare('PRAGMA quick_check').all()
    const live = await moat.db
      .prepare(`SELECT count(*) AS n, count(DISTINCT type || ' ' || value) AS d FROM iocs WHERE source = 'misp' AND deleted_at IS NULL`)
      .first<{ n: number; d: number }>()
    const state = await moat.db.prepare('SELECT cursor FROM misp_sync_state WHERE id = 1').first<{ cursor: number | null }>()
    const orphans = await moat.db.prepare(`SELECT count(*) AS n FROM ioc_history h WHERE NOT EXISTS (SELECT 1 FROM iocs i WHERE i.id = h.ioc_id)`).first<{ n: number }>()
    return { check: check.results, live: live!.n, distinct: live!.d, cursor: state?.cursor ?? null, orphans: orphans!.n }
  } finally {
    await moat.close()
  }
}

let uninterrupted = 0

describe('a MISP pull killed mid-way', () => {
  it('reference: an uninterrupted pull', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'moat-misp-crash-'))
    dirs.push(dir)
    const api = await start(dir)
    expect((await api.patch('/api/v1/misp/settings', { url: misp.url, apiKey: KEY, pageSize: PAGE })).status).toBe(200)
    const res = await api.post('/api/v1/misp/pull', {})
    expect(res.status).toBe(200)
    expect(res.json.run.status).toBe('ok')
    const after = await inspect(dir)
    uninterrupted = after.live
    expect(uninterrupted).toBeGreaterThan(100)
    expect(after.distinct).toBe(uninterrupted)
  })

  it.each([
    { point: 'paging', wait: (dir: string, pages: number) => until(() => misp.restSearches().length >= pages + 2, 20_000) },
    {
      point: 'committing',
      wait: async (dir: string, pages: number) => {
        await until(() => misp.restSearches().length >= pages + Math.ceil(uninterrupted / PAGE), 30_000)
        const base = walSize(dir)
        await until(() => walSize(dir) - base > 128 * 1024, 5_000)
      },
    },
  ])('lands whole or not at all, and the next pull completes it (kill while $point)', async ({ point, wait }) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'moat-misp-crash-'))
    dirs.push(dir)
    const api = await start(dir)
    expect((await api.patch('/api/v1/misp/settings', { url: misp.url, apiKey: KEY, pageSize: PAGE })).status).toBe(200)
    const pagesBefore = misp.restSearches().length
    const pending = api.post('/api/v1/misp/pull', {}).then(
      (r) => ({ answered: true, status: r.status }),
      () => ({ answered: false, status: 0 }),
    )
    await wait(dir, pagesBefore)
    await killHard()
    expect((await pending).answered).toBe(false)

    const afterKill = await (async () => {
      await start(dir)
      return inspect(dir)
    })()
    console.log(`kill while ${point}: ${afterKill.live ? 'the pull had landed whole' : 'nothing of the pull landed'}`)
    expect(afterKill.check).toEqual([{ quick_check: 'ok' }])
    expect(afterKill.orphans).toBe(0)
    expect([0, uninterrupted]).toContain(afterKill.live)
    // The cursor moves in the transaction that commits what it covers, never alone.
    expect(afterKill.cursor === null).toBe(afterKill.live === 0)

    // The next pull is not blocked by the dead process's lease and finishes the job.
    const again = await start(dir)
    const res = await again.post('/api/v1/misp/pull', {})
    expect(res.status, res.text).toBe(200)
    expect(res.json.run.status).toBe('ok')
    const runs = (await again.get('/api/v1/misp/runs')).json.items
    // The killed run is closed as interrupted, not left running.
    expect(runs.filter((r: { status: string }) => r.status === 'running')).toEqual([])
    expect(runs.some((r: { status: string; error: string | null }) => r.status === 'error' && /interrupted/.test(r.error ?? ''))).toBe(true)
    const final = await inspect(dir)
    expect(final.check).toEqual([{ quick_check: 'ok' }])
    expect(final.live).toBe(uninterrupted)
    expect(final.distinct).toBe(uninterrupted)
  })
})
