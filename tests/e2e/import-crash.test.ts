import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startMoat } from '../helpers/moat'
import { Client } from '../helpers/moat'
import { startServer, type Server } from '../helpers/server'

// Kill -9 the whole runtime (launcher and workerd) while an import commit is running, restart on
// the same data folder, and check the database is intact and the batch is all there or not at all.

const FIRST = 'first-Start-pass-2468'
const PASSWORD = 'Crash-test-pass-8642'
/** 30k rows in CI; `CRASH_ROWS=100000 npx vitest run tests/e2e/import-crash.test.ts` for the full-size run. */
const ROWS = Number(process.env.CRASH_ROWS ?? 30_000)
const dataDir = mkdtempSync(path.join(tmpdir(), 'moat-crash-'))
let server: Server | undefined

afterAll(async () => {
  if (server?.proc.exitCode === null) process.kill(-server.proc.pid!, 'SIGKILL')
  rmSync(dataDir, { recursive: true, force: true })
})

async function start() {
  server = await startServer(dataDir, { MOAT_ADMIN_PASSWORD: FIRST }, { detached: true })
  const api = new Client(server.base)
  const first = await api.post('/api/v1/auth/login', { username: 'admin', password: FIRST })
  if (first.status === 200 && first.json.mustChangePassword) {
    expect((await api.post('/api/v1/auth/password', { current: FIRST, new: PASSWORD })).status).toBe(200)
  } else await api.login('admin', PASSWORD)
  return api
}

/** Size of D1's write-ahead log: it grows while the commit's transaction spills pages. */
function walSize(): number {
  const dir = path.join(dataDir, 'd1', 'miniflare-D1DatabaseObject')
  const wal = readdirSync(dir).find((f) => f.endsWith('.sqlite-wal') && !f.startsWith('metadata'))
  return wal ? statSync(path.join(dir, wal)).size : 0
}

/** Resolves once the log has grown by `bytes` (the transaction is writing), or after `ms`. */
async function walGrowth(bytes: number, ms: number) {
  const base = walSize()
  const until = Date.now() + ms
  while (walSize() - base < bytes && Date.now() < until) await new Promise((r) => setTimeout(r, 2))
}

function killHard(): Promise<void> {
  return new Promise((resolve) => {
    server!.proc.once('exit', () => resolve())
    process.kill(-server!.proc.pid!, 'SIGKILL')
  })
}

async function storedFor(api: Client, ticket: string) {
  const res = await api.get(`/api/v1/iocs/export?format=txt&ticket=${ticket}&status=all`)
  expect(res.status).toBe(200)
  return res.text.split('\n').filter(Boolean).length
}

describe('an import commit killed mid-way', () => {
  it.each([
    { point: 'early', wait: () => new Promise((r) => setTimeout(r, 150)) },
    { point: 'writing', wait: () => walGrowth(512 * 1024, 5000) },
  ])('leaves the whole batch or none of it (kill $point)', async ({ point, wait }) => {
    const api = await start()
    const ticket = `CRASH-${point.toUpperCase()}`
    const lines = [`# ticket: ${ticket}`, ...Array.from({ length: ROWS }, (_, i) => `crash-${point}-${i}.killed-commit.top`)]
    const staged = await api.post('/api/v1/imports', { text: lines.join('\n'), format: 'txt' })
    expect(staged.status).toBe(201)
    expect(staged.json.counts.new).toBe(ROWS)
    const pending = api.post(`/api/v1/imports/${staged.json.id}/commit`, {}).then(
      (r) => ({ answered: true, status: r.status }),
      () => ({ answered: false, status: 0 }),
    )
    await wait()
    await killHard()
    const commit = await pending
    // The client never got an answer: the kill came before the commit was acknowledged.
    expect(commit.answered).toBe(false)

    const after = await start()
    const batch = await after.get(`/api/v1/imports/${staged.json.id}`)
    const stored = await storedFor(after, ticket)
    console.log(`kill ${point}: ${stored === ROWS ? 'the commit had landed whole' : 'nothing of the batch landed'}`)
    expect([0, ROWS]).toContain(stored)
    expect(batch.json.batch.status).toBe(stored === ROWS ? 'committed' : 'staged')
    // Nothing half-written: recommitting a batch that did not land writes it whole.
    if (stored === 0) {
      const again = await after.post(`/api/v1/imports/${staged.json.id}/commit`, {})
      expect(again.json.created).toBe(ROWS)
      expect(await storedFor(after, ticket)).toBe(ROWS)
    }
    expect(await server!.stop()).toBe(0)
    // SQLite's own check of the database file after the crash and restart.
    const moat = await startMoat(dataDir)
    try {
      const check = await moat.db.prepare('PRAGMA quick_check').all()
      expect(check.results).toEqual([{ quick_check: 'ok' }])
      const orphans = await moat.db.prepare(`SELECT count(*) AS n FROM ioc_history h WHERE NOT EXISTS (SELECT 1 FROM iocs i WHERE i.id = h.ioc_id)`).first()
      expect(orphans).toEqual({ n: 0 })
    } finally {
      await moat.close()
    }
  }, ROWS > 30_000 ? 900_000 : undefined)
})
