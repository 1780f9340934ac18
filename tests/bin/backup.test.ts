import Database from 'better-sqlite3'
import { execFile } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findDatabaseFile, inspectDatabase } from '../../bin/backup'
import { backupBeforeMigrations, runDailyBackup } from '../../bin/backup-cli'
import { ROOT } from '../../bin/config'
import { Client, startMoat } from '../helpers/moat'
import { startServer, type Server } from '../helpers/server'

// `moat backup` from a second process while five writers keep submitting IOCs through the API;
// `moat restore` of that file into a fresh data folder; refusals of corrupt and foreign files.

const FIRST = 'first-Start-pass-2468'
const PASSWORD = 'Backup-test-pass-8642'
const work = mkdtempSync(path.join(tmpdir(), 'moat-backup-'))
const liveDir = path.join(work, 'live')
let server: Server | undefined

afterAll(async () => {
  if (server?.proc.exitCode === null) await server.stop()
  rmSync(work, { recursive: true, force: true })
})

/** Runs the real CLI (`node bin/moat.mjs ...`) against a data folder. */
function moat(args: string[], dataDir: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(ROOT, 'bin', 'moat.mjs'), ...args], { cwd: ROOT, env: { ...process.env, MOAT_DATA: dataDir } }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    )
  })
}

function iocValues(file: string): Set<string> {
  const db = new Database(file, { readonly: true })
  try {
    return new Set((db.prepare('SELECT value FROM iocs').all() as { value: string }[]).map((r) => r.value))
  } finally {
    db.close()
  }
}

describe('backup during concurrent writes, then restore', () => {
  let api: Client
  beforeAll(async () => {
    server = await startServer(liveDir, { MOAT_ADMIN_PASSWORD: FIRST })
    api = new Client(server.base)
    await api.login('admin', FIRST)
    expect((await api.post('/api/v1/auth/password', { current: FIRST, new: PASSWORD })).status).toBe(200)
  })

  it('keeps every write acknowledged before the backup started, and the file is intact', async () => {
    const acked: { value: string; at: number }[] = []
    let writing = true
    const writer = async (w: number) => {
      for (let n = 0; writing; n++) {
        const value = `w${w}-n${n}.backup-test.example`
        const res = await api.post('/api/v1/iocs', { value, type: 'domain', confirm: true })
        if (res.status !== 201) throw new Error(`writer ${w}: ${res.status} ${res.text}`)
        acked.push({ value, at: Date.now() })
      }
    }
    const writers = [0, 1, 2, 3, 4].map(writer)
    while (acked.length < 40) await new Promise((r) => setTimeout(r, 20))

    const file = path.join(work, 'snapshot.sqlite')
    const backupStarted = Date.now()
    const before = acked.filter((a) => a.at < backupStarted).map((a) => a.value)
    const backup = await moat(['backup', file], liveDir)
    const afterBackup = acked.length
    // Keep writing a little after the snapshot, then stop the writers.
    while (acked.length < afterBackup + 20) await new Promise((r) => setTimeout(r, 20))
    writing = false
    await Promise.all(writers)
    expect(backup.code, backup.out).toBe(0)
    expect(acked.length).toBeGreaterThan(before.length)

    // A running server's data folder is never restored over.
    const refused = await moat(['restore', file], liveDir)
    expect(refused.code).toBe(1)
    expect(refused.out).toMatch(/Moat is running on this data folder \(pid \d+\)/)

    const fresh = path.join(work, 'fresh')
    const restored = await moat(['restore', file], fresh)
    expect(restored.code, restored.out).toBe(0)
    const target = findDatabaseFile(fresh)!
    expect(inspectDatabase(target)).toMatchObject({ ok: true })
    const db = new Database(target, { readonly: true })
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    db.close()
    const values = iocValues(target)
    const missing = before.filter((v) => !values.has(v))
    expect(missing).toEqual([])
    // A snapshot, not the live file: the writes after it are not there (the last ones at least).
    expect(values.size).toBeLessThan(acked.length)

    // The restored folder starts and serves the restored IOCs.
    const second = await startServer(fresh)
    try {
      const c = new Client(second.base)
      await c.login('admin', PASSWORD)
      const found = await c.get(`/api/v1/iocs?q=${encodeURIComponent(before[0])}`)
      expect(found.status).toBe(200)
      expect(found.json.items.map((i: { value: string }) => i.value)).toContain(before[0])
    } finally {
      await second.stop()
    }
  }, 180_000)

  it('refuses a corrupt file and a SQLite file that is not a Moat database, leaving the database alone', async () => {
    await server!.stop()
    const target = findDatabaseFile(liveDir)!
    const count = iocValues(target).size

    const corrupt = path.join(work, 'corrupt.sqlite')
    copyFileSync(path.join(work, 'snapshot.sqlite'), corrupt)
    // Overwrite pages in the middle of the file: the header still says SQLite.
    const fd = new Database(corrupt)
    const pageSize = fd.pragma('page_size', { simple: true }) as number
    fd.close()
    const { openSync, writeSync, closeSync } = await import('node:fs')
    const h = openSync(corrupt, 'r+')
    writeSync(h, Buffer.alloc(pageSize * 3, 0xa5), 0, pageSize * 3, pageSize * 2)
    closeSync(h)
    const bad = await moat(['restore', corrupt], liveDir)
    expect(bad.code).toBe(1)
    expect(bad.out).toMatch(/refusing to restore .*corrupt\.sqlite/)

    const notSqlite = path.join(work, 'notes.txt')
    writeFileSync(notSqlite, 'this is not a database\n'.repeat(100))
    const text = await moat(['restore', notSqlite], liveDir)
    expect(text.code).toBe(1)
    expect(text.out).toMatch(/refusing to restore/)

    const foreign = path.join(work, 'other-app.sqlite')
    const other = new Database(foreign)
    other.exec('CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO things (name) VALUES (\'x\')')
    other.close()
    const wrong = await moat(['restore', foreign], liveDir)
    expect(wrong.code).toBe(1)
    expect(wrong.out).toContain('not a Moat database')

    expect(iocValues(findDatabaseFile(liveDir)!).size).toBe(count)
    expect(existsSync(path.join(liveDir, 'backups'))).toBe(false)
  }, 60_000)

  it('keeps the previous database as a pre-restore backup', async () => {
    const restored = await moat(['restore', path.join(work, 'snapshot.sqlite')], liveDir)
    expect(restored.code, restored.out).toBe(0)
    const kept = readdirSync(path.join(liveDir, 'backups')).filter((f) => f.startsWith('moat-pre-restore-'))
    expect(kept).toHaveLength(1)
    expect(inspectDatabase(path.join(liveDir, 'backups', kept[0]))).toMatchObject({ ok: true })
  })
})

describe('scheduled and pre-upgrade backups', () => {
  it('writes daily backups into data/backups and keeps only backup.keep of them', async () => {
    const m = await startMoat()
    try {
      await m.db.prepare(`INSERT INTO settings (key, value) VALUES ('backup.keep', '2')`).run()
      for (const day of [1, 2, 3]) await runDailyBackup(m.rt, new Date(Date.UTC(2026, 10, day, 2, 30)))
      const files = readdirSync(path.join(m.rt.dataDir, 'backups')).sort()
      expect(files).toEqual(['moat-daily-20261102T023000Z.sqlite', 'moat-daily-20261103T023000Z.sqlite'])
      expect(inspectDatabase(path.join(m.rt.dataDir, 'backups', files[1]))).toMatchObject({ ok: true })

      await m.db.prepare(`INSERT INTO settings (key, value) VALUES ('backup.enabled', 'false')`).run()
      expect(await runDailyBackup(m.rt, new Date(Date.UTC(2026, 10, 4, 2, 30)))).toBeNull()
    } finally {
      await m.close()
    }
  })

  it('snapshots the database before pending migrations run, and not when there are none', async () => {
    const m = await startMoat()
    try {
      expect(await backupBeforeMigrations(m.rt)).toBeNull()
      // Pretend the last migration is new: an upgrade.
      const last = await m.db.prepare('SELECT id, name FROM d1_migrations ORDER BY id DESC LIMIT 1').first<{ id: number; name: string }>()
      await m.db.prepare('DELETE FROM d1_migrations WHERE id = ?').bind(last!.id).run()
      const file = await backupBeforeMigrations(m.rt)
      expect(path.basename(file!)).toMatch(/^moat-pre-upgrade-\d{8}T\d{6}Z\.sqlite$/)
      const inspected = inspectDatabase(file!)
      expect(inspected.ok).toBe(true)
      expect(inspected.migrations).not.toContain(last!.name)
      await m.db.prepare('INSERT INTO d1_migrations (id, name) VALUES (?, ?)').bind(last!.id, last!.name).run()
    } finally {
      await m.close()
    }
  })
})
