import { eq, sql } from 'drizzle-orm'
import { generation } from '../../schema/tables'
import type { Db } from '../env'

/** The statement that marks every cached feed body stale; put it in the same batch as the write. */
export function bumpGeneration(db: Db) {
  return db
    .update(generation)
    .set({ value: sql`${generation.value} + 1`, updatedAt: new Date().toISOString() })
    .where(eq(generation.id, 1))
}
