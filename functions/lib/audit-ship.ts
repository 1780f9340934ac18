// Ships audit records to the launcher (HOST binding), which appends them as CEF lines to
// `<data>/audit/cef.log` and, when configured, sends them to a syslog collector over UDP (workerd
// has no UDP). Every write path is covered because the records are read back from audit_log.
//
// Delivery: two cursors in settings (`audit.cursor.file`, `audit.cursor.syslog`) say which ids each
// destination has; they only move forward, after the launcher confirmed. The launcher keeps its own
// last ids too and skips what it already delivered, so a retry after a crash, or two flushes at
// once, never duplicates a line or a datagram. Flushes run after requests (in the background,
// coalesced) and every minute from the cron, so nothing waits on a request.
import type { Context } from 'hono'
import { auditSeverity } from '../domain/audit-actions'
import { auditToCef } from '../domain/cef'
import { syslogSeverity, type Facility } from '../domain/syslog'
import { sql } from 'drizzle-orm'
import { settings } from '../../schema/tables'
import type { AppEnv, Bindings, Db } from '../env'
import { auditAfter, lastAuditId } from '../repos/audit'
import { getSetting } from '../repos/settings'
import { logEvent } from './log'

const BATCH = 200
/** Per flush; a backlog (first start on an old database) drains over a few flushes. */
const MAX_BATCHES = 20

export interface SyslogTarget {
  host: string
  port: number
  facility: Facility
}

export interface ShipRecord {
  id: number
  at: string
  msgId: string
  severity: number
  cef: string
}

interface HostReply {
  fileLastId: number
  syslogLastId: number | null
  syslogError?: string
}

export async function syslogTarget(db: Db): Promise<SyslogTarget | null> {
  if (!(await getSetting(db, 'syslog.enabled'))) return null
  const host = await getSetting(db, 'syslog.host')
  if (!host) return null
  return { host, port: await getSetting(db, 'syslog.port'), facility: (await getSetting(db, 'syslog.facility')) as Facility }
}

export function toShipRecord(row: Parameters<typeof auditToCef>[0], version: string): ShipRecord {
  const severity = auditSeverity(row.action, row.outcome, row.severity)
  return { id: row.id, at: row.at, msgId: row.action, severity: syslogSeverity(severity), cef: auditToCef(row, { version }) }
}

/** Moves a cursor forward (never back), creating its settings row on first use. */
function advance(db: Db, key: 'audit.cursor.file' | 'audit.cursor.syslog', id: number) {
  return db
    .insert(settings)
    .values({ key, value: id, updatedBy: 'system' })
    .onConflictDoUpdate({
      target: settings.key,
      set: { value: id, updatedAt: sql`strftime('%Y-%m-%dT%H:%M:%fZ','now')` },
      setWhere: sql`CAST(${settings.value} AS INTEGER) < ${id}`,
    })
}

async function recordDelivery(db: Db, patch: Record<string, string | number | null>) {
  const current = await getSetting(db, 'audit.delivery')
  const value = { ...current, ...patch }
  await db
    .insert(settings)
    .values({ key: 'audit.delivery', value, updatedBy: 'system' })
    .onConflictDoUpdate({ target: settings.key, set: { value } })
}

async function callHost(env: Bindings, path: string, body: unknown): Promise<Response> {
  return env.HOST!.fetch(`http://host${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
}

export interface ShipResult {
  file: number
  syslog: number
  syslogError?: string
  skipped?: 'no-host'
  /** False when the per-flush cap stopped it with records still waiting. */
  drained: boolean
}

/**
 * Delivers every record the file or the syslog collector does not have yet, in id order.
 * `rotate` asks the launcher to rotate the local file even when nothing is new (the cron).
 */
export async function shipAudit(env: Bindings, db: Db, opts: { rotate?: boolean } = {}): Promise<ShipResult> {
  if (!env.HOST) return { file: 0, syslog: 0, skipped: 'no-host', drained: true }
  const version = env.MOAT_VERSION ?? 'dev'
  const configured = await syslogTarget(db)
  // Set to null after a failed send: this flush keeps filling the file, the collector waits.
  let target = configured
  const result: ShipResult = { file: 0, syslog: 0, drained: false }
  for (let i = 0; i < MAX_BATCHES; i++) {
    const fileAfter = await getSetting(db, 'audit.cursor.file')
    const syslogAfter = target ? await getSetting(db, 'audit.cursor.syslog') : fileAfter
    const fileRows = await auditAfter(db, fileAfter, BATCH)
    const syslogRows = target && syslogAfter < fileAfter ? await auditAfter(db, syslogAfter, BATCH) : []
    const rows = new Map([...syslogRows, ...fileRows].map((r) => [r.id, r]))
    if (!rows.size && !(opts.rotate && i === 0)) {
      result.drained = true
      break
    }
    const records = [...rows.values()].sort((a, b) => a.id - b.id).map((r) => toShipRecord(r, version))
    // Each destination takes a contiguous run after its cursor: the file its next rows, the
    // collector its own backlog when it is behind (a gap would be skipped for good).
    const fileUpTo = fileRows.at(-1)?.id ?? fileAfter
    const syslogUpTo = syslogRows.length ? syslogRows.at(-1)!.id : fileUpTo
    const res = await callHost(env, '/v1/audit/ship', {
      records,
      file: { after: fileAfter, upTo: fileUpTo },
      syslog: target ? { after: syslogAfter, upTo: syslogUpTo, target } : null,
    })
    if (!res.ok) throw new Error(`HOST /v1/audit/ship answered ${res.status}: ${(await res.text()).slice(0, 300)}`)
    const reply = (await res.json()) as HostReply
    const now = new Date().toISOString()
    const stmts = [advance(db, 'audit.cursor.file', reply.fileLastId)]
    // Without a collector the syslog cursor follows the file: enabling syslog later sends only what is new.
    if (!configured) stmts.push(advance(db, 'audit.cursor.syslog', reply.fileLastId))
    else if (target && reply.syslogLastId !== null) stmts.push(advance(db, 'audit.cursor.syslog', reply.syslogLastId))
    await db.batch(stmts as never)
    result.file += fileRows.filter((r) => r.id <= reply.fileLastId).length
    if (target && !reply.syslogError) result.syslog += records.filter((r) => r.id > syslogAfter && r.id <= syslogUpTo).length
    if (rows.size) await recordDelivery(db, { lastShippedAt: now, lastError: null })
    if (reply.syslogError) {
      result.syslogError = reply.syslogError
      await recordDelivery(db, { syslogError: reply.syslogError, syslogErrorAt: now })
      target = null
    } else if (target && syslogRows.length + fileRows.length) {
      await recordDelivery(db, { syslogError: null, syslogErrorAt: null, lastSyslogAt: now })
    }
    if (fileRows.length < BATCH && syslogRows.length < BATCH) {
      result.drained = !reply.syslogError
      break
    }
  }
  return result
}

// ---- Background flushes after requests -------------------------------------------------------

let running: Promise<void> | null = null
let again = false
let knownLast = -1

/** Runs shipAudit until no request asked for another round meanwhile; one at a time per isolate. */
function flush(env: Bindings, db: Db): Promise<void> {
  running = (async () => {
    do {
      again = false
      const last = await lastAuditId(db)
      if (last === knownLast) continue
      try {
        // Remember the last id only when everything up to it went out; otherwise try again next time.
        if ((await shipAudit(env, db)).drained) knownLast = last
      } catch (err) {
        logEvent('error', 'audit shipping failed', { error: err instanceof Error ? err.message : String(err) })
        await recordDelivery(db, { lastError: err instanceof Error ? err.message : String(err), lastErrorAt: new Date().toISOString() }).catch(() => undefined)
        return
      }
    } while (again)
  })().finally(() => {
    running = null
  })
  return running
}

/** After a request that may have written audit records: ship them in the background. */
export function scheduleAuditShip(c: Context<AppEnv>) {
  if (!c.env.HOST) return
  if (running) {
    again = true
    return
  }
  const p = flush(c.env, c.var.db)
  try {
    c.executionCtx.waitUntil(p)
  } catch {
    // No execution context: the promise still runs.
  }
}
