import { and, desc, eq, lt } from 'drizzle-orm'
import { auditLog } from '../../schema/tables'
import type { Db } from '../env'

export interface AuditEntry {
  action: string
  outcome: 'success' | 'failure'
  severity?: number
  actor?: string | null
  actorId?: number | null
  sourceIp?: string | null
  target?: string | null
  details?: Record<string, unknown> | null
}

export async function addAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({ ...entry, severity: entry.severity ?? 3 })
}

/** Newest first; `cursor` is the id to continue below. */
export async function listAudit(db: Db, opts: { limit: number; cursor?: number; action?: string }) {
  const where = and(
    opts.cursor ? lt(auditLog.id, opts.cursor) : undefined,
    opts.action ? eq(auditLog.action, opts.action) : undefined,
  )
  return db.select().from(auditLog).where(where).orderBy(desc(auditLog.id)).limit(opts.limit)
}
