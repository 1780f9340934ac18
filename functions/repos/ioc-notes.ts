import { and, asc, eq } from 'drizzle-orm'
import { iocNotes } from '../../schema/tables'
import type { Db } from '../env'

export async function listNotes(db: Db, type: string, value: string) {
  return db
    .select()
    .from(iocNotes)
    .where(and(eq(iocNotes.type, type), eq(iocNotes.value, value)))
    .orderBy(asc(iocNotes.id))
}

export async function addNote(db: Db, note: typeof iocNotes.$inferInsert) {
  const [row] = await db.insert(iocNotes).values(note).returning()
  return row
}
