import { and, eq, isNotNull, isNull, lte, sql } from 'drizzle-orm'
import { iocHistory, iocs } from '../schema/tables'
import type { Db } from '../functions/env'
import { bumpGeneration } from '../functions/repos/generation'

/**
 * Records one `expired` history event per IOC whose expiry has passed. Feeds do not wait for it:
 * an expired IOC is inactive at its expiry time whether or not this has run.
 */
export async function runExpire(db: Db, now: Date) {
  const nowIso = now.toISOString()
  const due = and(isNull(iocs.deletedAt), isNotNull(iocs.expiresAt), lte(iocs.expiresAt, nowIso), eq(iocs.expiryLogged, false))
  const pending = await db.select({ n: sql<number>`count(*)` }).from(iocs).where(due).get()
  if (!pending?.n) return { expired: 0 }
  await db.batch([
    db.insert(iocHistory).select(
      db
        .select({
          id: sql<number>`NULL`.as('id'),
          iocId: iocs.id,
          type: iocs.type,
          value: iocs.value,
          event: sql<string>`'expired'`.as('event'),
          actorId: sql<number | null>`NULL`.as('actor_id'),
          actor: sql<string>`'system'`.as('actor'),
          at: sql<string>`${nowIso}`.as('at'),
          diff: sql<string>`json_object('expiresAt', ${iocs.expiresAt})`.as('diff'),
        })
        .from(iocs)
        .where(due),
    ),
    db.update(iocs).set({ expiryLogged: true }).where(due),
    bumpGeneration(db),
  ])
  return { expired: pending.n }
}
