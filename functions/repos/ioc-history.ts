import { asc, eq } from 'drizzle-orm'
import { iocHistory } from '../../schema/tables'
import type { Db } from '../env'

export type HistoryInsert = typeof iocHistory.$inferInsert

export function historyInsert(db: Db, rows: HistoryInsert | HistoryInsert[]) {
  return db.insert(iocHistory).values(Array.isArray(rows) ? rows : [rows])
}

export async function listHistory(db: Db, iocId: number) {
  return db.select().from(iocHistory).where(eq(iocHistory.iocId, iocId)).orderBy(asc(iocHistory.id))
}
