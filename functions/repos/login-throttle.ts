import { eq, lt } from 'drizzle-orm'
import { loginThrottle } from '../../schema/tables'
import type { Db } from '../env'

export async function getThrottle(db: Db, key: string) {
  return db.select().from(loginThrottle).where(eq(loginThrottle.key, key)).get()
}

export async function saveThrottle(db: Db, key: string, failures: number, lockedUntil: string | null) {
  const values = { key, failures, lockedUntil, updatedAt: new Date().toISOString() }
  await db.insert(loginThrottle).values(values).onConflictDoUpdate({ target: loginThrottle.key, set: values })
}

/** Drops counters untouched since `before` whose lock (if any) is over. */
export async function purgeThrottle(db: Db, before: string): Promise<number> {
  const rows = await db
    .delete(loginThrottle)
    .where(lt(loginThrottle.updatedAt, before))
    .returning({ key: loginThrottle.key })
  return rows.length
}
