import Database from 'better-sqlite3'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'
import { readMigrations } from './migrate'

// Backups of the D1 database that workerd keeps as a plain SQLite file (WAL mode) under the data
// folder. A snapshot is taken with `VACUUM INTO` on a second connection: one read transaction, so
// the copy is exactly the database as of one commit even while Moat keeps writing (WAL readers
// never block the writer). A file copy of a live WAL database would not be.

const D1_DIR = ['d1', 'miniflare-D1DatabaseObject']
/** Tables a Moat database has from its first migration on. */
const MOAT_TABLES = ['d1_migrations', 'users', 'iocs', 'settings', 'audit_log']

/** When the daily backup runs (UTC); MOAT_BACKUP_CRON overrides it. */
export const DAILY_BACKUP_CRON = '30 2 * * *'
/** The daily backup's cron pattern in effect (also shown on the Backups screen). */
export const dailyBackupPattern = () => process.env.MOAT_BACKUP_CRON || DAILY_BACKUP_CRON

export const backupsDir = (dataDir: string) => path.join(dataDir, 'backups')

/** The D1 database file under the data folder, or null before the first start. */
export function findDatabaseFile(dataDir: string): string | null {
  const dir = path.join(dataDir, ...D1_DIR)
  if (!existsSync(dir)) return null
  const files = readdirSync(dir).filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite')
  if (files.length === 0) return null
  if (files.length > 1) {
    // Only one database id is ever used (wrangler.toml); several files mean someone changed it.
    const newest = files.map((f) => path.join(dir, f)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)
    return newest[0]
  }
  return path.join(dir, files[0])
}

const stamp = (d = new Date()) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')

/**
 * Writes a consistent snapshot of the database at `src` to `dest` (via a temporary file renamed
 * into place, so `dest` is never half written) and checks the copy's integrity.
 */
export function snapshotDatabase(src: string, dest: string): { bytes: number } {
  mkdirSync(path.dirname(dest), { recursive: true })
  const tmp = `${dest}.partial`
  rmSync(tmp, { force: true })
  const db = new Database(src, { fileMustExist: true })
  try {
    // Moat's writer holds the lock only for a moment per commit; wait for it rather than fail.
    db.pragma('busy_timeout = 10000')
    db.prepare('VACUUM INTO ?').run(tmp)
  } finally {
    db.close()
  }
  const check = inspectDatabase(tmp)
  if (!check.ok) {
    rmSync(tmp, { force: true })
    throw new Error(`the snapshot failed its integrity check: ${check.problem}`)
  }
  renameSync(tmp, dest)
  return { bytes: statSync(dest).size }
}

export interface Inspection {
  ok: boolean
  problem?: string
  migrations: string[]
}

/**
 * Checks that `file` is an intact Moat database: `PRAGMA integrity_check` = ok, Moat's tables
 * present, and no migration this version does not know (a backup from a newer Moat).
 */
export function inspectDatabase(file: string, migrationsDir?: string): Inspection {
  let db: Database.Database
  try {
    db = new Database(file, { readonly: true, fileMustExist: true })
  } catch (err) {
    return { ok: false, problem: `cannot open: ${(err as Error).message}`, migrations: [] }
  }
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[]
    const result = rows.map((r) => r.integrity_check).join('; ')
    if (result !== 'ok') return { ok: false, problem: `integrity_check: ${result.slice(0, 500)}`, migrations: [] }
    const tables = new Set(
      (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name),
    )
    const missing = MOAT_TABLES.filter((t) => !tables.has(t))
    if (missing.length) return { ok: false, problem: `not a Moat database (missing tables: ${missing.join(', ')})`, migrations: [] }
    const migrations = (db.prepare('SELECT name FROM d1_migrations ORDER BY id').all() as { name: string }[]).map((r) => r.name)
    if (migrationsDir) {
      const known = new Set(readMigrations(migrationsDir).map((m) => m.name))
      const unknown = migrations.filter((m) => !known.has(m))
      if (unknown.length) return { ok: false, problem: `made by a newer Moat (unknown migrations: ${unknown.join(', ')})`, migrations }
    }
    return { ok: true, migrations }
  } catch (err) {
    // A file that is not SQLite at all fails here ("file is not a database").
    return { ok: false, problem: (err as Error).message, migrations: [] }
  } finally {
    db.close()
  }
}

/** `<data>/backups/<kind>-<UTC stamp>.sqlite`, the name the retention sweep recognizes. */
export type BackupKind = 'daily' | 'pre-upgrade' | 'pre-restore' | 'manual'

export function backupName(dataDir: string, kind: BackupKind, at = new Date()): string {
  return path.join(backupsDir(dataDir), `moat-${kind}-${stamp(at)}.sqlite`)
}

/** Deletes the oldest `moat-<kind>-*.sqlite` files beyond `keep`; returns the names removed. */
export function pruneBackups(dataDir: string, kind: BackupKind, keep: number): string[] {
  const dir = backupsDir(dataDir)
  if (!existsSync(dir)) return []
  const re = new RegExp(`^moat-${kind}-\\d{8}T\\d{6}Z\\.sqlite$`)
  const files = readdirSync(dir).filter((f) => re.test(f)).sort()
  const gone = files.slice(0, Math.max(0, files.length - Math.max(0, keep)))
  for (const f of gone) rmSync(path.join(dir, f), { force: true })
  return gone
}

export const pidFile = (dataDir: string) => path.join(dataDir, 'moat.pid')

/** Pid of a `moat start` holding this data folder, or null (a stale pid file is ignored). */
export function runningServerPid(dataDir: string): number | null {
  let text = ''
  try {
    text = readFileSync(pidFile(dataDir), 'utf8')
  } catch {
    return null
  }
  const pid = Number(text.trim())
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null
  try {
    process.kill(pid, 0)
    return pid
  } catch (err) {
    // EPERM: the process exists but belongs to another user; still running.
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : null
  }
}

/**
 * Puts the database in `file` in place of the data folder's database. The caller must make sure
 * no server is running. The previous database (if any) is kept as a pre-restore backup first.
 */
export function restoreDatabase(dataDir: string, file: string, target: string, migrationsDir: string): { previous: string | null } {
  const check = inspectDatabase(file, migrationsDir)
  if (!check.ok) throw new Error(`refusing to restore ${file}: ${check.problem}`)
  let previous: string | null = null
  if (existsSync(target)) {
    previous = backupName(dataDir, 'pre-restore')
    try {
      snapshotDatabase(target, previous)
    } catch {
      // A damaged current database cannot be vacuumed: keep its raw files instead.
      mkdirSync(path.dirname(previous), { recursive: true })
      for (const suffix of ['', '-wal', '-shm']) if (existsSync(target + suffix)) renameSync(target + suffix, previous + suffix)
    }
  }
  mkdirSync(path.dirname(target), { recursive: true })
  const tmp = `${target}.restoring`
  rmSync(tmp, { force: true })
  // VACUUM INTO writes a clean single-file copy (no WAL of the source comes along).
  const src = new Database(file, { readonly: true, fileMustExist: true })
  try {
    src.prepare('VACUUM INTO ?').run(tmp)
  } finally {
    src.close()
  }
  for (const suffix of ['-wal', '-shm']) rmSync(target + suffix, { force: true })
  renameSync(tmp, target)
  return { previous }
}
