import { and, asc, eq, gte, inArray, lte, or, sql } from 'drizzle-orm'
import { warninglistEntries, warninglists } from '../../schema/tables'
import type { Db } from '../env'

export interface WarninglistHit {
  list: string
  entry: string
}

/** Imported MISP warninglist entries that cover an IOC (enabled lists only). */
export async function findWarninglistHits(
  db: Db,
  k: { value: string; hostSuffixes: string[]; ipStart: string | null; ipEnd: string | null },
): Promise<WarninglistHit[]> {
  const lower = k.value.toLowerCase()
  const conds = [and(eq(warninglists.listType, 'string'), eq(warninglistEntries.value, lower))]
  if (k.hostSuffixes.length) conds.push(and(eq(warninglists.listType, 'hostname'), inArray(warninglistEntries.value, k.hostSuffixes)))
  if (k.ipStart && k.ipEnd) {
    conds.push(and(eq(warninglists.listType, 'cidr'), lte(warninglistEntries.ipStart, k.ipEnd), gte(warninglistEntries.ipEnd, k.ipStart)))
  }
  conds.push(and(eq(warninglists.listType, 'substring'), sql`instr(${lower}, ${warninglistEntries.value}) > 0`))
  const rows = await db
    .select({ list: warninglists.name, entry: warninglistEntries.value })
    .from(warninglistEntries)
    .innerJoin(warninglists, eq(warninglists.id, warninglistEntries.listId))
    .where(and(eq(warninglists.enabled, true), or(...conds)))
    .limit(5)
  return rows
}

export async function listWarninglists(db: Db) {
  return db.select().from(warninglists).orderBy(asc(warninglists.name))
}

export async function getWarninglist(db: Db, id: number) {
  return db.select().from(warninglists).where(eq(warninglists.id, id)).get()
}

/** D1 allows 100 bound parameters per statement: 4 columns -> 25 rows per insert. */
const ROWS_PER_INSERT = 25

/** Replaces (by name) or adds a list with all its entries, in one batch. */
export async function importWarninglist(
  db: Db,
  list: { name: string; description: string; version: number; type: 'cidr' | 'string' | 'hostname' | 'substring'; entries: { value: string; ipStart?: string; ipEnd?: string }[] },
  actorId: number,
) {
  const existing = await db.select().from(warninglists).where(eq(warninglists.name, list.name)).get()
  const values = {
    name: list.name,
    description: list.description,
    version: list.version,
    listType: list.type,
    entryCount: list.entries.length,
    importedBy: actorId,
    importedAt: new Date().toISOString(),
  }
  const [row] = existing
    ? await db.update(warninglists).set(values).where(eq(warninglists.id, existing.id)).returning()
    : await db.insert(warninglists).values(values).returning()
  const inserts = []
  for (let i = 0; i < list.entries.length; i += ROWS_PER_INSERT) {
    const chunk = list.entries.slice(i, i + ROWS_PER_INSERT)
    inserts.push(
      db.insert(warninglistEntries).values(
        chunk.map((e) => ({ listId: row.id, value: e.value, ipStart: e.ipStart ?? null, ipEnd: e.ipEnd ?? null })),
      ),
    )
  }
  await db.batch([db.delete(warninglistEntries).where(eq(warninglistEntries.listId, row.id)), ...inserts] as never)
  return row
}

export async function setWarninglistEnabled(db: Db, id: number, enabled: boolean) {
  const [row] = await db.update(warninglists).set({ enabled }).where(eq(warninglists.id, id)).returning()
  return row
}

export async function deleteWarninglist(db: Db, id: number) {
  await db.batch([
    db.delete(warninglistEntries).where(eq(warninglistEntries.listId, id)),
    db.delete(warninglists).where(eq(warninglists.id, id)),
  ])
}
