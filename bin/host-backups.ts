import Database from 'better-sqlite3'
import { Cron } from 'croner'
import { createReadStream, existsSync, lstatSync, readdirSync, rmSync } from 'node:fs'
import { statfs } from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'
import { Worker } from 'node:worker_threads'
import { BACKUP_NAME_RE, stampToIso, type Backup, type BackupKind } from '../schema/contracts/backups'
import { backupName, backupsDir, dailyBackupPattern, findDatabaseFile, type Inspection } from './backup'
import { readWranglerConfig } from './config'
import { log } from './log'
import { readMigrations } from './migrate'

// HOST /v1/backups: the Backups tab's view of <data>/backups (bin/backup.ts writes them). A name
// from the worker is used only after it matched BACKUP_NAME_RE (again here, whatever the worker
// checked), and only as one entry of the backups folder: no path is ever built from anything else.

/** The data folder `install.sh` gives the `moat` command. */
const INSTALLED_DATA = '/var/lib/moat'
const shellQuote = (s: string) => (/^[\w./@%+=:,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`)

/** Runs a bin/backup.ts job on a worker thread (see backup-thread.mjs). */
function inThread<T>(data: Record<string, unknown>): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./backup-thread.mjs', import.meta.url), { workerData: data })
    let settled = false
    worker.once('message', (msg: { ok: boolean; result?: T; error?: string }) => {
      settled = true
      if (msg.ok) resolve(msg.result as T)
      else reject(new Error(msg.error))
    })
    worker.once('error', (err) => {
      settled = true
      reject(err)
    })
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`backup thread exited with code ${code}`))
    })
  })
}

/** The migrations recorded in a backup: a cheap read (no integrity check). */
function migrationLevel(file: string): { migrations: number | null; lastMigration: string | null } {
  let db: Database.Database | undefined
  try {
    db = new Database(file, { readonly: true, fileMustExist: true })
    const row = db.prepare('SELECT count(*) AS n, (SELECT name FROM d1_migrations ORDER BY id DESC LIMIT 1) AS last FROM d1_migrations').get() as {
      n: number
      last: string | null
    }
    return { migrations: row.n, lastMigration: row.last }
  } catch {
    return { migrations: null, lastMigration: null }
  } finally {
    db?.close()
  }
}

/** lstat of a plain file (a symlink in the folder is not a backup and is never followed), else null. */
function regularFile(file: string) {
  try {
    const st = lstatSync(file)
    return st.isFile() ? st : null
  } catch {
    return null
  }
}

const json = (body: unknown, status = 200) => Response.json(body, { status })
const badName = () =>
  json({ error: { code: 'validation_failed', message: 'name: is not a backup file name', details: { fields: [{ field: 'name', reason: 'is not a backup file name', code: 'invalid_string' }] } } }, 400)
const missing = (name: string) => json({ error: { code: 'not_found', message: `Backup ${name} not found` } }, 404)

export function createBackupHost(dataDir: string) {
  const dir = backupsDir(dataDir)
  const absDir = path.resolve(dir)
  let running = false

  const restoreCommand = (file: string) => {
    const prefix = path.resolve(dataDir) === INSTALLED_DATA ? '' : `MOAT_DATA=${shellQuote(path.resolve(dataDir))} `
    return `${prefix}moat restore ${shellQuote(file)}`
  }

  /** The file of a checked name, or null: the name must match and stay a direct child of the folder. */
  const fileOf = (name: string | null): string | null => {
    if (!name || !BACKUP_NAME_RE.test(name)) return null
    const file = path.join(absDir, name)
    return path.dirname(file) === absDir && path.basename(file) === name ? file : null
  }

  const describe = (name: string): Backup | null => {
    const m = BACKUP_NAME_RE.exec(name)
    const file = fileOf(name)
    if (!m || !file) return null
    const st = regularFile(file)
    if (!st) return null
    return { name, kind: m[1] as BackupKind, createdAt: stampToIso(m[2]), bytes: st.size, ...migrationLevel(file), restoreCommand: restoreCommand(file) }
  }

  const list = async () => {
    const names = existsSync(dir) ? readdirSync(dir).filter((f) => BACKUP_NAME_RE.test(f)) : []
    const backups = names
      .map(describe)
      .filter((b): b is Backup => b !== null)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.name.localeCompare(a.name))
    const st = await statfs(existsSync(dir) ? dir : dataDir)
    let nextDaily: string | null = null
    try {
      nextDaily = new Cron(dailyBackupPattern(), { timezone: 'UTC', paused: true }).nextRun()?.toISOString() ?? null
    } catch {
      nextDaily = null
    }
    return {
      backups,
      backupsDir: absDir,
      keysFile: path.join(path.resolve(dataDir), 'keys.json'),
      schedule: dailyBackupPattern(),
      nextDaily,
      running,
      disk: { freeBytes: st.bavail * st.bsize, totalBytes: st.blocks * st.bsize },
    }
  }

  /** A manual snapshot through the same VACUUM INTO path as the daily one; one at a time. */
  const backUpNow = async (actor: string | undefined) => {
    if (running) return json({ error: { code: 'backup_running', message: 'A backup is being written; wait for it to finish' } }, 409)
    running = true
    try {
      const src = findDatabaseFile(dataDir)
      if (!src) return json({ error: { code: 'no_database', message: 'No database file in the data folder' } }, 503)
      // Names have one-second resolution: a second snapshot in the same second takes the next one.
      let at = Date.now()
      while (existsSync(backupName(dataDir, 'manual', new Date(at)))) at += 1000
      const file = backupName(dataDir, 'manual', new Date(at))
      const { bytes } = await inThread<{ bytes: number }>({ op: 'snapshot', src, dest: file })
      log('info', 'manual backup written', { file, bytes, actor })
      return json({ backup: describe(path.basename(file)) }, 201)
    } finally {
      running = false
    }
  }

  return async (request: Request, pathname: string): Promise<Response> => {
    const url = new URL(request.url)
    const method = request.method
    if (pathname === '/v1/backups') {
      if (method === 'GET') return json(await list())
      if (method === 'POST') return backUpNow(((await request.json().catch(() => ({}))) as { actor?: string }).actor)
    }
    const file = fileOf(url.searchParams.get('name'))
    const name = url.searchParams.get('name') ?? ''
    if (pathname === '/v1/backups/file' && (method === 'GET' || method === 'DELETE')) {
      if (!file) return badName()
      const st = regularFile(file)
      if (!st) return missing(name)
      if (method === 'DELETE') {
        // A damaged database kept by a restore may have its WAL beside it.
        for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true })
        log('info', 'backup deleted', { file })
        return new Response(null, { status: 204 })
      }
      return new Response(Readable.toWeb(createReadStream(file)) as ReadableStream, {
        headers: { 'content-type': 'application/vnd.sqlite3', 'content-length': String(st.size) },
      })
    }
    if (pathname === '/v1/backups/check' && method === 'GET') {
      if (!file) return badName()
      if (!regularFile(file)) return missing(name)
      const migrationsDir = readWranglerConfig().migrationsDir
      const inspection = await inThread<Inspection>({ op: 'inspect', file, migrationsDir })
      const known = readMigrations(migrationsDir).map((m) => m.name)
      const have = new Set(inspection.migrations)
      return json({
        name,
        ok: inspection.ok,
        ...(inspection.problem ? { problem: inspection.problem } : {}),
        migrations: inspection.migrations.length,
        lastMigration: inspection.migrations.at(-1) ?? null,
        pendingMigrations: inspection.ok ? known.filter((m) => !have.has(m)).length : 0,
      })
    }
    return json({ error: { code: 'not_found', message: `HOST has no ${method} ${pathname}` } }, 404)
  }
}
