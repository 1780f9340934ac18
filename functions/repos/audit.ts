import { and, asc, desc, eq, gt, gte, lt, lte, sql, type SQL } from 'drizzle-orm'
import type { AuditRecord } from '../../schema/contracts/audit'
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

export interface AuditFilterOptions {
  action?: string
  actor?: string
  outcome?: 'success' | 'failure'
  from?: string
  to?: string
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`)

function filterWhere(f: AuditFilterOptions): (SQL | undefined)[] {
  let action: SQL | undefined
  if (f.action) {
    // `auth.` or `auth.*` is a prefix; anything else an exact action.
    const prefix = /[.*]$/.test(f.action) ? f.action.replace(/\*$/, '') : null
    action = prefix ? sql`${auditLog.action} LIKE ${`${escapeLike(prefix)}%`} ESCAPE '\\'` : eq(auditLog.action, f.action)
  }
  return [
    action,
    f.actor ? sql`${auditLog.actor} = ${f.actor} COLLATE NOCASE` : undefined,
    f.outcome ? eq(auditLog.outcome, f.outcome) : undefined,
    f.from ? gte(auditLog.at, new Date(f.from).toISOString()) : undefined,
    f.to ? lte(auditLog.at, new Date(f.to).toISOString()) : undefined,
  ]
}

/** Newest first; `cursor` is the id to continue below (keyset paging). */
export async function listAudit(db: Db, opts: AuditFilterOptions & { limit: number; cursor?: number }): Promise<AuditRecord[]> {
  const where = and(opts.cursor ? lt(auditLog.id, opts.cursor) : undefined, ...filterWhere(opts))
  return (await db.select().from(auditLog).where(where).orderBy(desc(auditLog.id)).limit(opts.limit)) as AuditRecord[]
}

export async function getAudit(db: Db, id: number): Promise<AuditRecord | undefined> {
  return (await db.select().from(auditLog).where(eq(auditLog.id, id)).get()) as AuditRecord | undefined
}

/** Records after `afterId` in id order: what the shipper sends next. */
export async function auditAfter(db: Db, afterId: number, limit: number): Promise<AuditRecord[]> {
  return (await db.select().from(auditLog).where(gt(auditLog.id, afterId)).orderBy(asc(auditLog.id)).limit(limit)) as AuditRecord[]
}

export async function lastAuditId(db: Db): Promise<number> {
  const row = await db.select({ id: sql<number | null>`max(${auditLog.id})` }).from(auditLog).get()
  return row?.id ?? 0
}

/** Deletes records older than `beforeIso` that have been shipped (id <= `shippedId`). */
export async function purgeAudit(db: Db, beforeIso: string, shippedId: number): Promise<number> {
  const gone = await db
    .delete(auditLog)
    .where(and(lt(auditLog.at, beforeIso), lte(auditLog.id, shippedId)))
    .returning({ id: auditLog.id })
  return gone.length
}
