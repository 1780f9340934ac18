import { asc, eq, SQL, sql } from 'drizzle-orm'
import { iocHistory, iocs } from '../../schema/tables'
import type { Db } from '../env'

export type HistoryInsert = typeof iocHistory.$inferInsert

export function historyInsert(db: Db, rows: HistoryInsert | HistoryInsert[]) {
  return db.insert(iocHistory).values(Array.isArray(rows) ? rows : [rows])
}

export async function listHistory(db: Db, iocId: number) {
  return db.select().from(iocHistory).where(eq(iocHistory.iocId, iocId)).orderBy(asc(iocHistory.id))
}

/**
 * One history event for every IOC row matching `where`, in a single INSERT ... SELECT (for changes
 * that touch many IOCs at once: allowlist entries, the expiry sweep). `diff` may be per-row SQL.
 */
export function historyForMatching(
  db: Db,
  where: SQL,
  event: HistoryInsert['event'],
  actor: { id: number | null; username: string },
  diff: object | SQL,
  at = new Date().toISOString(),
) {
  const diffSql = diff instanceof SQL ? diff : sql`${JSON.stringify(diff)}`
  return db.insert(iocHistory).select(
    db
      .select({
        id: sql<number>`NULL`.as('id'),
        iocId: iocs.id,
        type: iocs.type,
        value: iocs.value,
        event: sql<string>`${event}`.as('event'),
        actorId: sql<number | null>`${actor.id}`.as('actor_id'),
        actor: sql<string>`${actor.username}`.as('actor'),
        at: sql<string>`${at}`.as('at'),
        diff: sql<string>`${diffSql}`.as('diff'),
      })
      .from(iocs)
      .where(where),
  )
}
