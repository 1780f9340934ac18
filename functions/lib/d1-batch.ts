import { SQL } from 'drizzle-orm'
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core'
import type { Db } from '../env'

/** A statement for `runBatch`: raw SQL, or any drizzle query builder. */
export type BatchItem = SQL | { toSQL(): { sql: string; params: unknown[] } }

const dialect = new SQLiteAsyncDialect()

/**
 * One D1 batch (one SQLite transaction: all or nothing) of raw SQL and drizzle builders. drizzle's
 * own `db.batch` cannot hold parameterised raw SQL (`db.run(sql...)` has no prepared statement),
 * and bulk work (INSERT ... SELECT, json_each) is raw SQL. Results are D1's, in order.
 */
export async function runBatch(db: Db, items: BatchItem[]): Promise<D1Result[]> {
  const d1 = (db as unknown as { $client: D1Database }).$client
  const statements = items.map((item) => {
    const q = item instanceof SQL ? dialect.sqlToQuery(item) : item.toSQL()
    return d1.prepare(q.sql).bind(...q.params)
  })
  return d1.batch(statements)
}
