import { and, asc, eq, gte, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm'
import { allowlist, iocs } from '../../schema/tables'
import type { Db } from '../env'
import { bumpGeneration } from './generation'
import { historyForMatching } from './ioc-history'

export type AllowlistRow = typeof allowlist.$inferSelect

export interface IocKeys {
  value: string
  host: string | null
  hostSuffixes: string[]
  ipStart: string | null
  ipEnd: string | null
}

/** The entry that covers an IOC, if any: exact value, a suffix of its host, or an overlapping range. */
export async function findAllowlistMatch(db: Db, k: IocKeys): Promise<AllowlistRow | undefined> {
  const conds: SQL[] = [and(eq(allowlist.kind, 'exact'), eq(allowlist.value, k.value))!]
  if (k.hostSuffixes.length) conds.push(and(eq(allowlist.kind, 'suffix'), inArray(allowlist.value, k.hostSuffixes))!)
  if (k.ipStart && k.ipEnd) {
    conds.push(and(eq(allowlist.kind, 'cidr'), lte(allowlist.ipStart, k.ipEnd), gte(allowlist.ipEnd, k.ipStart))!)
  }
  return db.select().from(allowlist).where(or(...conds)).orderBy(asc(allowlist.id)).get()
}

export async function listAllowlist(db: Db, where?: SQL) {
  return db
    .select({
      entry: allowlist,
      createdBy: sql<string | null>`(SELECT username FROM users WHERE users.id = allowlist.created_by)`,
      matches: sql<number>`(SELECT count(*) FROM iocs WHERE iocs.allowlisted_by = allowlist.id AND iocs.deleted_at IS NULL)`,
    })
    .from(allowlist)
    .where(where)
    .orderBy(asc(allowlist.kind), asc(allowlist.value))
}

export async function findAllowlistEntry(db: Db, kind: AllowlistRow['kind'], value: string) {
  return db.select().from(allowlist).where(and(eq(allowlist.kind, kind), eq(allowlist.value, value))).get()
}

export async function getAllowlistEntry(db: Db, id: number) {
  return db.select().from(allowlist).where(eq(allowlist.id, id)).get()
}

/** Live IOCs an entry covers that are not flagged yet (or flagged by `marker`). */
function coveredBy(entry: Pick<AllowlistRow, 'kind' | 'value' | 'ipStart' | 'ipEnd'>, marker?: number): SQL {
  let match: SQL
  if (entry.kind === 'exact') match = eq(iocs.value, entry.value)
  else if (entry.kind === 'suffix') match = or(eq(iocs.host, entry.value), sql`${iocs.host} LIKE ${'%.' + entry.value}`)!
  else match = and(lte(iocs.ipStart, entry.ipEnd!), gte(iocs.ipEnd, entry.ipStart!))!
  const free = marker === undefined ? isNull(iocs.allowlistedBy) : or(isNull(iocs.allowlistedBy), eq(iocs.allowlistedBy, marker))
  return and(isNull(iocs.deletedAt), free, match)!
}

/** Adds an entry and, in the same transaction, takes every IOC it covers out of the feeds. */
export async function addAllowlistEntry(
  db: Db,
  values: typeof allowlist.$inferInsert,
  actor: { id: number; username: string },
): Promise<AllowlistRow> {
  const [row] = await db.insert(allowlist).values(values).returning()
  const diff = { allowlist: { id: row.id, kind: row.kind, value: row.value, reason: row.reason } }
  await db.batch([
    db.update(iocs).set({ allowlistedBy: row.id }).where(coveredBy(row)),
    historyForMatching(db, eq(iocs.allowlistedBy, row.id), 'allowlisted', actor, diff),
    bumpGeneration(db),
  ])
  return row
}

/**
 * Removes an entry. IOCs it covered return to the feeds unless another entry still covers them;
 * all in one batch (a negative id marks the rows in between).
 */
export async function deleteAllowlistEntry(db: Db, entry: AllowlistRow, actor: { id: number; username: string }) {
  const marker = -entry.id
  const others = (await db.select().from(allowlist)).filter((e) => e.id !== entry.id)
  const diff = { allowlist: { id: entry.id, kind: entry.kind, value: entry.value, removed: true } }
  await db.batch([
    db.update(iocs).set({ allowlistedBy: marker }).where(eq(iocs.allowlistedBy, entry.id)),
    db.delete(allowlist).where(eq(allowlist.id, entry.id)),
    ...others.map((o) => db.update(iocs).set({ allowlistedBy: o.id }).where(coveredBy(o, marker))),
    historyForMatching(db, eq(iocs.allowlistedBy, marker), 'unallowlisted', actor, diff),
    db.update(iocs).set({ allowlistedBy: null }).where(eq(iocs.allowlistedBy, marker)),
    bumpGeneration(db),
  ])
}
