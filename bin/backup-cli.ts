import { Cron } from 'croner'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import {
  backupName,
  dailyBackupPattern,
  findDatabaseFile,
  inspectDatabase,
  pidFile,
  pruneBackups,
  restoreDatabase,
  runningServerPid,
  snapshotDatabase,
} from './backup'
import { readWranglerConfig, type LaunchOptions } from './config'
import { log } from './log'
import { readMigrations } from './migrate'
import { createRuntime, type Runtime } from './runtime'

export { DAILY_BACKUP_CRON } from './backup'
/** Pre-upgrade snapshots kept (they are taken only when migrations are pending). */
const PRE_UPGRADE_KEEP = 5

/** Records this process as the server of `dataDir`; the returned function removes the record. */
export function writePid(dataDir: string): () => void {
  const file = pidFile(dataDir)
  writeFileSync(file, `${process.pid}\n`)
  return () => {
    try {
      if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file, { force: true })
    } catch {
      // already gone
    }
  }
}

async function readSetting<T>(rt: Runtime, key: string, fallback: T): Promise<T> {
  try {
    const db = await rt.mf.getD1Database('DB')
    const row = await db.prepare('SELECT value FROM settings WHERE key = ?').bind(key).first<{ value: string }>()
    return row ? (JSON.parse(row.value) as T) : fallback
  } catch {
    return fallback
  }
}

/** One scheduled backup: a snapshot into <data>/backups, then the oldest beyond `backup.keep` go. */
export async function runDailyBackup(rt: Runtime, at = new Date()): Promise<{ file: string; pruned: string[] } | null> {
  if (!(await readSetting(rt, 'backup.enabled', true))) return null
  const keep = Math.max(1, Math.floor(Number(await readSetting(rt, 'backup.keep', 7)) || 7))
  const src = findDatabaseFile(rt.dataDir)
  if (!src) throw new Error('no database file in the data folder')
  const file = backupName(rt.dataDir, 'daily', at)
  const { bytes } = snapshotDatabase(src, file)
  const pruned = pruneBackups(rt.dataDir, 'daily', keep)
  log('info', 'daily backup written', { file, bytes, keep, pruned })
  return { file, pruned }
}

export function startDailyBackups(rt: Runtime): { stop(): void } {
  const pattern = dailyBackupPattern()
  const job = new Cron(pattern, { timezone: 'UTC', protect: true }, async (self: Cron) => {
    try {
      await runDailyBackup(rt, self.currentRun() ?? new Date())
    } catch (err) {
      log('error', 'daily backup failed', { error: err instanceof Error ? err.message : String(err) })
    }
  })
  return { stop: () => job.stop() }
}

/**
 * Upgrades must never lose the database: when the database has migrations applied and this
 * version brings new ones, a snapshot is taken before any of them runs.
 */
export async function backupBeforeMigrations(rt: Runtime): Promise<string | null> {
  const db = await rt.mf.getD1Database('DB')
  const table = await db
    .prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'd1_migrations'`)
    .first<{ n: number }>()
  if (!table?.n) return null
  const done = new Set((await db.prepare('SELECT name FROM d1_migrations').all<{ name: string }>()).results.map((r) => r.name))
  if (done.size === 0) return null
  const pending = readMigrations(readWranglerConfig().migrationsDir).filter((m) => !done.has(m.name)).map((m) => m.name)
  if (pending.length === 0) return null
  const src = findDatabaseFile(rt.dataDir)
  if (!src) return null
  const file = backupName(rt.dataDir, 'pre-upgrade')
  const { bytes } = snapshotDatabase(src, file)
  pruneBackups(rt.dataDir, 'pre-upgrade', PRE_UPGRADE_KEEP)
  log('info', 'database backed up before migrations', { file, bytes, pending })
  return file
}

export async function runBackupCommand(args: string[], dataDir: string) {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { force: { type: 'boolean' } } })
  const [target] = positionals
  if (!target) throw new Error('usage: moat backup <file> [--force]')
  const dest = path.resolve(target)
  if (existsSync(dest) && !values.force) throw new Error(`${dest} exists; choose a new file name or pass --force`)
  const src = findDatabaseFile(dataDir)
  if (!src) throw new Error(`no Moat database under ${dataDir} (set MOAT_DATA to the data folder)`)
  const { bytes } = snapshotDatabase(src, dest)
  const { migrations } = inspectDatabase(dest)
  log('info', 'backup written', { file: dest, bytes, migrations: migrations.length, lastMigration: migrations.at(-1) ?? null })
  log('info', 'keep keys.json from the data folder with your backups: encrypted settings and sessions need it', {
    keys: path.join(dataDir, 'keys.json'),
  })
}

export async function runRestoreCommand(args: string[], opts: LaunchOptions) {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} })
  const [source] = positionals
  if (!source) throw new Error('usage: moat restore <file>')
  const file = path.resolve(source)
  if (!existsSync(file)) throw new Error(`${file} does not exist`)
  const pid = runningServerPid(opts.dataDir)
  if (pid) throw new Error(`Moat is running on this data folder (pid ${pid}); stop it first (systemctl stop moat), then restore`)
  const cfg = readWranglerConfig()
  // Check before touching anything: a corrupt or foreign file never replaces a working database.
  const check = inspectDatabase(file, cfg.migrationsDir)
  if (!check.ok) throw new Error(`refusing to restore ${file}: ${check.problem}`)
  let target = findDatabaseFile(opts.dataDir)
  if (!target) {
    // A fresh data folder: let workerd create its database file (its name derives from the
    // database id), then replace it.
    const rt = await createRuntime({ ...opts, host: '127.0.0.1', port: 0 })
    try {
      await (await rt.mf.getD1Database('DB')).prepare('SELECT 1').first()
    } finally {
      await rt.dispose()
    }
    target = findDatabaseFile(opts.dataDir)
    if (!target) throw new Error('could not locate the database file of a fresh data folder')
  }
  const { previous } = restoreDatabase(opts.dataDir, file, target, cfg.migrationsDir)
  const pending = readMigrations(cfg.migrationsDir).length - check.migrations.length
  log('info', 'database restored', {
    from: file,
    previous,
    migrations: check.migrations.length,
    pendingMigrations: pending,
    note: pending > 0 ? 'pending migrations are applied at the next start (after a pre-upgrade backup)' : undefined,
  })
}
