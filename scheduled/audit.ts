import type { Bindings, Db } from '../functions/env'
import { shipAudit, syslogTarget } from '../functions/lib/audit-ship'
import { purgeAudit } from '../functions/repos/audit'
import { getSetting } from '../functions/repos/settings'

/**
 * Every minute: ships audit records the request-time flushes have not (a collector that was down,
 * a backlog) and lets the launcher rotate the local CEF file on time.
 */
export async function runAuditShip(db: Db, _now: Date, env?: Bindings) {
  if (!env) return { skipped: 'no environment' }
  const { file, syslog, syslogError, skipped } = await shipAudit(env, db, { rotate: true })
  // A collector that cannot be reached is reported here (and on the audit screen), not thrown:
  // the local file is still written, and the next run tries again.
  return { file, syslog, ...(syslogError ? { syslogError } : {}), ...(skipped ? { skipped } : {}) }
}

/** Daily: deletes audit records past the retention period, never one not yet shipped. */
export async function runAuditRetention(db: Db, now: Date) {
  const days = await getSetting(db, 'audit.retentionDays')
  const file = await getSetting(db, 'audit.cursor.file')
  const shipped = (await syslogTarget(db)) ? Math.min(file, await getSetting(db, 'audit.cursor.syslog')) : file
  const before = new Date(now.getTime() - days * 86_400_000).toISOString()
  return { purged: await purgeAudit(db, before, shipped), before }
}
