/**
 * Reads what a ZIoCHub or ThreatGate installation has on disk (migration.md section 1) into plain
 * values for the pure mappers. The source is never written: the SQLite database (with its `-wal`
 * and `-shm`) is copied to a temporary folder and the copy is opened, so a live WAL is replayed
 * there. File names found on disk are only ever joined below folders we chose, never followed up.
 */
import Database from 'better-sqlite3'
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { isYaraFileName, YARA_MAX_BYTES, type YaraFolder } from '../functions/domain/legacy-yara'
import type { ZiochubTables } from '../functions/domain/ziochub'

/** The tables the mapper reads; the login analytics and never-written tables are left alone. */
const TABLES = [
  'iocs',
  'ioc_history',
  'ioc_notes',
  'campaigns',
  'yara_rules',
  'users',
  'user_profiles',
  'system_settings',
  'sanity_exclusions',
  'team_goals',
  'activity_events',
  'champ_rank_snapshots',
]
const DB_NAMES = ['ziochub.db', 'threatgate.db']
const TEXT_MAX_BYTES = 64 * 1024 * 1024

export interface ZiochubSource {
  dataDir: string
  dbFile: string
  tables: ZiochubTables
  /** Problems worth telling the admin (integrity, backups, missing tables). */
  notes: string[]
}

function isFile(p: string) {
  try {
    return statSync(p).isFile()
  } catch {
    return false
  }
}

function isDir(p: string) {
  try {
    return statSync(p).isDirectory()
  } catch {
    return false
  }
}

/** `<dir>` holding `ziochub.db` (or `threatgate.db`), or the database file itself. */
export function locateZiochub(input: string): { dataDir: string; dbFile: string } {
  const abs = path.resolve(input)
  if (isFile(abs)) return { dataDir: path.dirname(abs), dbFile: abs }
  if (!isDir(abs)) throw new Error(`${input}: no such file or folder`)
  for (const dir of [abs, path.join(abs, 'data')]) {
    for (const name of DB_NAMES) if (isFile(path.join(dir, name))) return { dataDir: dir, dbFile: path.join(dir, name) }
  }
  throw new Error(`${input}: no ziochub.db (or threatgate.db) here or in its data/ folder`)
}

/** Every known table of the database, read from a private copy; a missing table reads as empty. */
export function readZiochubDb(dbFile: string): { tables: ZiochubTables; notes: string[] } {
  const notes: string[] = []
  const tmp = mkdtempSync(path.join(tmpdir(), 'moat-import-'))
  try {
    const copy = path.join(tmp, 'source.db')
    copyFileSync(dbFile, copy)
    for (const suffix of ['-wal', '-shm']) if (isFile(dbFile + suffix)) copyFileSync(dbFile + suffix, copy + suffix)
    let db: Database.Database
    try {
      db = new Database(copy, { fileMustExist: true })
      db.pragma('query_only = ON')
    } catch (err) {
      throw new Error(`${path.basename(dbFile)}: cannot open as SQLite: ${(err as Error).message}`)
    }
    try {
      const check = db.pragma('quick_check', { simple: true })
      if (check !== 'ok') notes.push(`integrity check of ${path.basename(dbFile)} failed (${String(check).slice(0, 200)}); import from the live database, not a backup copy`)
      const present = new Set((db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name))
      if (!present.has('iocs')) throw new Error(`${path.basename(dbFile)}: not a ZIoCHub database (no iocs table)`)
      const tables: ZiochubTables = {}
      for (const name of TABLES) {
        if (!present.has(name)) {
          notes.push(`table ${name} is missing (older ZIoCHub): nothing to import from it`)
          continue
        }
        tables[name] = db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[]
      }
      return { tables, notes }
    } finally {
      db.close()
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

export function readZiochub(input: string): ZiochubSource {
  const { dataDir, dbFile } = locateZiochub(input)
  const { tables, notes } = readZiochubDb(dbFile)
  if (dataDir.split(path.sep).includes('backups')) notes.unshift('this looks like a backup copy (backups/): import from the live data folder instead')
  return { dataDir, dbFile, tables, notes }
}

/** A UTF-8 text file below `dir`, or null when missing, too large or not UTF-8. */
export function readText(dir: string, name: string, max = TEXT_MAX_BYTES): string | null {
  const file = path.join(dir, name)
  if (!isFile(file) || statSync(file).size > max) return null
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(file)).replace(/^\uFEFF/, '')
  } catch {
    return null
  }
}

/** The `.yar`/`.yara` files directly in `dir` (no recursion, no symlinked folders followed). */
export function readYaraFolder(dir: string | null): YaraFolder {
  const folder: YaraFolder = new Map()
  if (!dir || !isDir(dir)) return folder
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isFile() || !isYaraFileName(entry.name)) continue
    folder.set(entry.name, readText(dir, entry.name, YARA_MAX_BYTES))
  }
  return folder
}

/** Approved rules in `YARA/` (or `--yara-dir`), pending ones in the `YARA_pending/` beside it. */
export function yaraFolders(dataDir: string, yaraDir?: string) {
  const approved = yaraDir ? path.resolve(yaraDir) : path.join(dataDir, 'YARA')
  if (yaraDir && !isDir(approved)) throw new Error(`--yara-dir ${yaraDir}: no such folder`)
  const pending = path.join(path.dirname(approved), 'YARA_pending')
  return { approved: readYaraFolder(approved), pending: readYaraFolder(pending), dirs: { approved, pending } }
}

/** Reads a file under the installation's `static/` folder (beside the data folder); never outside it. */
export function staticReader(dataDir: string) {
  const root = path.resolve(dataDir, '..', 'static')
  return (rel: string): Uint8Array | null => {
    const file = path.resolve(root, rel)
    if (!file.startsWith(root + path.sep) || !isFile(file) || statSync(file).size > 4 * 1024 * 1024) return null
    return new Uint8Array(readFileSync(file))
  }
}

/** ThreatGate: `<dir>/Main/*.txt` (or `<dir>` itself when it is the Main folder). */
export function readThreatgate(input: string) {
  const abs = path.resolve(input)
  if (!isDir(abs)) throw new Error(`${input}: no such folder`)
  const candidates = [path.join(abs, 'Main'), path.join(abs, 'data', 'Main'), abs]
  const main = candidates.find((d) => isDir(d) && readdirSync(d).some((f) => /^(ip|domain|hash|email|url)\.txt$/i.test(f)))
  if (!main) throw new Error(`${input}: no ThreatGate Main/ folder with ip.txt, domain.txt, hash.txt, email.txt or url.txt`)
  const notes: string[] = []
  const files: { name: string; text: string }[] = []
  let yaraList: string | null = null
  for (const name of readdirSync(main).sort()) {
    if (!/\.txt$/i.test(name)) continue
    const text = readText(main, name)
    if (text === null) {
      notes.push(`Main/${name}: not UTF-8 text (or larger than 64 MB); skipped`)
      continue
    }
    if (name.toLowerCase() === 'yara.txt') yaraList = text
    else files.push({ name, text })
  }
  return { dataDir: path.basename(main) === 'Main' ? path.dirname(main) : main, mainDir: main, files, yaraList, notes }
}

