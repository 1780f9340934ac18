import { and, eq, isNotNull, isNull, lte, sql } from 'drizzle-orm'
import { iocs } from '../schema/tables'
import type { Db } from '../functions/env'
import { bumpGeneration } from '../functions/repos/generation'
import { historyForMatching } from '../functions/repos/ioc-history'

/**
 * Records one `expired` history event per IOC whose expiry has passed. Feeds do not wait for it:
 * an expired IOC is inactive at its expiry time whether or not this has run.
 */
export async function runExpire(db: Db, now: Date) {
  const nowIso = now.toISOString()
  const due = and(isNull(iocs.deletedAt), isNotNull(iocs.expiresAt), lte(iocs.expiresAt, nowIso), eq(iocs.expiryLogged, false))!
  const pending = await db.select({ n: sql<number>`count(*)` }).from(iocs).where(due).get()
  if (!pending?.n) return { expired: 0 }
  await db.batch([
    historyForMatching(db, due, 'expired', { id: null, username: 'system' }, sql`json_object('expiresAt', ${iocs.expiresAt})`, nowIso),
    db.update(iocs).set({ expiryLogged: true }).where(due),
    bumpGeneration(db),
  ])
  return { expired: pending.n }
}
