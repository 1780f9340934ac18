import { and, asc, desc, eq, gt, sql, type SQL } from 'drizzle-orm'
import { importBatches, importRows } from '../../schema/tables'
import type { Db } from '../env'

export type ImportBatchRow = typeof importBatches.$inferSelect
export type ImportRowRow = typeof importRows.$inferSelect

/** A batch id: a number, or SQL that yields it inside the batch that creates the batch. */
export type BatchRef = number | SQL

const ref = (b: BatchRef) => (typeof b === 'number' ? sql`${b}` : b)

/** Warnings that are information only: they never make a row a `warning` row. */
export const INFO_ONLY_CODE = 'port_dropped'

/**
 * The statements that classify staged rows against the live database, in order: live duplicates,
 * earlier rows of the batch with the same indicator, allowlist entries, then the row status.
 * Every lookup is an index hit per row (allowlist suffixes through the row's host suffix list).
 * Warninglist hits (`listed`) are computed before; they only make a row a warning. With `idx`,
 * one row, and with `sameValues` too, every row naming one of those values (an edited row's old and
 * new value: the earlier-line duplicates among them change with it). `ifStale`: only when the live
 * state moved since the batch's stamp.
 */
/** The live IOC a staged row (table or alias `t`) duplicates. */
export function liveDuplicateSql(t: string) {
  const r = sql.raw(t)
  return sql`(SELECT i.id FROM iocs i WHERE i.type = ${r}.type AND i.value = ${r}.value AND i.deleted_at IS NULL)`
}

/** The first allowlist entry a staged row (table or alias `t`) hits: exact value, host suffix or CIDR. */
export function allowlistHitSql(t: string) {
  const r = sql.raw(t)
  return sql`(SELECT min(x) FROM (
        SELECT (SELECT min(a.id) FROM allowlist a WHERE a.kind = 'exact' AND a.value = ${r}.value) AS x
        UNION ALL SELECT (SELECT min(a.id) FROM json_each(${r}.suffixes) s JOIN allowlist a ON a.kind = 'suffix' AND a.value = s.value)
        UNION ALL SELECT (SELECT min(a.id) FROM allowlist a WHERE ${r}.ip_start IS NOT NULL AND a.kind = 'cidr'
                          AND a.ip_start <= ${r}.ip_end AND a.ip_end >= ${r}.ip_start)))`
}

/** A row's status from its classification columns, given how to tell an invalid and a warning row. */
export function statusCaseSql(invalid: SQL, warning: SQL) {
  return sql`CASE WHEN ${invalid} THEN 'invalid' WHEN allowlist_id IS NOT NULL THEN 'allowlisted'
    WHEN dup_ioc_id IS NOT NULL OR dup_of_line IS NOT NULL THEN 'duplicate' WHEN ${warning} THEN 'warning' ELSE 'new' END`
}

export function classifyStatements(batch: BatchRef, idx?: number, opts: { ifStale?: boolean; sameValues?: string[] } = {}) {
  const b = ref(batch)
  const stale = opts.ifStale
    ? sql` AND (SELECT classify_stamp FROM import_batches WHERE id = ${b}) IS NOT ${CLASSIFY_STAMP}`
    : sql``
  const rows =
    idx === undefined
      ? sql`batch_id = ${b}`
      : opts.sameValues?.length
        ? sql`batch_id = ${b} AND (idx = ${idx} OR value IN (SELECT value FROM json_each(${JSON.stringify(opts.sameValues)})))`
        : sql`batch_id = ${b} AND idx = ${idx}`
  const scope = sql`${rows}${stale}`
  return [
    sql`UPDATE import_rows SET
      dup_ioc_id = ${liveDuplicateSql('import_rows')},
      -- min(line) over the (batch, type, value) index: ORDER BY idx would walk every earlier row.
      dup_of_line = (SELECT min(r2.line) FROM import_rows r2 WHERE r2.batch_id = import_rows.batch_id AND r2.type = import_rows.type
                     AND r2.value = import_rows.value AND +r2.idx < import_rows.idx),
      allowlist_id = ${allowlistHitSql('import_rows')}
      WHERE ${scope} AND type IS NOT NULL`,
    sql`UPDATE import_rows SET status = ${statusCaseSql(
      sql`error IS NOT NULL`,
      sql`listed IS NOT NULL OR EXISTS (SELECT 1 FROM json_each(import_rows.warnings) w WHERE json_extract(w.value, '$.code') <> ${INFO_ONLY_CODE})`,
    )}
      WHERE ${scope}`,
  ]
}

/**
 * What a classification depends on, in one cheap value: the newest IOC, the newest IOC history
 * event (every delete, restore and value edit writes one) and the allowlist's size and newest
 * entry (ids only grow, entries are added or removed, never edited). Equal stamps mean a batch's
 * rows would classify exactly as they did, so a commit need not classify them again.
 */
export const CLASSIFY_STAMP = sql`((SELECT coalesce(max(id), 0) FROM iocs) || '.' || (SELECT coalesce(max(id), 0) FROM ioc_history)
  || '.' || (SELECT count(*) || ':' || coalesce(max(id), 0) FROM allowlist))`

/** Records the stamp a batch's rows were just classified against. */
export function stampStatement(batch: BatchRef) {
  return sql`UPDATE import_batches SET classify_stamp = ${CLASSIFY_STAMP} WHERE id = ${ref(batch)}`
}

/** New rows start selected; warning rows wait for the analyst to tick them; the rest cannot be. */
export function initialSelectionStatement(batch: BatchRef) {
  return sql`UPDATE import_rows SET selected = (status = 'new') WHERE batch_id = ${ref(batch)}`
}

export async function getImportBatch(db: Db, id: number) {
  return db.select().from(importBatches).where(eq(importBatches.id, id)).get()
}

export async function listImportBatches(db: Db, createdBy: number | undefined, limit = 20) {
  return db
    .select({
      batch: importBatches,
      createdByName: sql<string | null>`(SELECT username FROM users WHERE users.id = ${importBatches.createdBy})`,
    })
    .from(importBatches)
    .where(createdBy === undefined ? undefined : eq(importBatches.createdBy, createdBy))
    .orderBy(desc(importBatches.id))
    .limit(limit)
}

export interface ImportCounts {
  total: number
  selected: number
  new: number
  warning: number
  duplicate: number
  allowlisted: number
  invalid: number
}

export async function importCounts(db: Db, batchId: number): Promise<ImportCounts> {
  const rows = await db
    .select({ status: importRows.status, n: sql<number>`count(*)`, selected: sql<number>`sum(selected)` })
    .from(importRows)
    .where(eq(importRows.batchId, batchId))
    .groupBy(importRows.status)
  const counts: ImportCounts = { total: 0, selected: 0, new: 0, warning: 0, duplicate: 0, allowlisted: 0, invalid: 0 }
  for (const r of rows) {
    counts[r.status] = r.n
    counts.total += r.n
    counts.selected += r.selected ?? 0
  }
  return counts
}

export async function listImportRows(
  db: Db,
  batchId: number,
  q: { status?: ImportRowRow['status']; selected?: boolean; q?: string; limit: number; cursor?: number },
) {
  const conds: SQL[] = [eq(importRows.batchId, batchId)]
  if (q.status) conds.push(eq(importRows.status, q.status))
  if (q.selected !== undefined) conds.push(eq(importRows.selected, q.selected))
  if (q.q) conds.push(sql`(instr(lower(${importRows.raw}), lower(${q.q})) > 0 OR instr(${importRows.value}, lower(${q.q})) > 0)`)
  if (q.cursor !== undefined) conds.push(gt(importRows.idx, q.cursor))
  const rows = await db
    .select()
    .from(importRows)
    .where(and(...conds))
    .orderBy(asc(importRows.idx))
    .limit(q.limit + 1)
  const more = rows.length > q.limit
  const items = more ? rows.slice(0, q.limit) : rows
  return { items, nextCursor: more ? items[items.length - 1].idx : null }
}

export async function getImportRow(db: Db, batchId: number, idx: number) {
  return db
    .select()
    .from(importRows)
    .where(and(eq(importRows.batchId, batchId), eq(importRows.idx, idx)))
    .get()
}
