import { inArray, sql } from 'drizzle-orm'
import { generation } from '../../schema/tables'
import type { IocType } from '../domain/ioc'
import type { Db } from '../env'

/**
 * Rows of the `generation` table. Row 1 moves on every change that can alter any feed, TAXII
 * collection or cached summary (custom feeds, Pulse, STIX publishing key on it). The built-in feeds
 * key on finer counters so that an analyst submitting domains does not make a million-row IP or
 * hash feed rebuild: one counter per IOC type, one for YARA, and `shared` for changes that can
 * touch every feed (allowlist, campaigns, imports, MISP, migrations). A built-in feed's key is
 * `shared` plus the counters of the types it lists (a sum of counters that only grow changes
 * whenever one of them does).
 */
export const GENERATION_ROWS = {
  all: 1,
  shared: 2,
  ip: 10,
  domain: 11,
  url: 12,
  email: 13,
  md5: 14,
  sha1: 15,
  sha256: 16,
  yara: 20,
} as const satisfies Record<'all' | 'shared' | 'yara' | IocType, number>

export type GenerationScope = IocType | 'yara'

/**
 * The statement that marks cached feed bodies stale; put it in the same batch as the write.
 * Without scopes every feed is affected (the safe default); with them, only the feeds listing
 * those IOC types (or the YARA feeds), and row 1 always.
 */
export function bumpGeneration(db: Db, scopes?: readonly GenerationScope[]) {
  const rows = scopes?.length ? scopes.map((s) => GENERATION_ROWS[s]) : [GENERATION_ROWS.shared]
  return db
    .update(generation)
    .set({ value: sql`${generation.value} + 1`, updatedAt: new Date().toISOString() })
    .where(inArray(generation.id, [GENERATION_ROWS.all, ...new Set(rows)]))
}

/**
 * A built-in feed's cache generation from the counters read by `feedContext`: `shared` plus its
 * types' counters (the YARA counter for YARA feeds). Falls back to row 1 when a counter is
 * missing, so a database without the finer rows still invalidates on every write.
 */
export function scopedGeneration(counters: Record<string, number>, all: number, types: readonly string[], yara: boolean): number {
  const rows = [GENERATION_ROWS.shared, ...(yara ? [GENERATION_ROWS.yara] : types.map((t) => GENERATION_ROWS[t as IocType]))]
  let sum = 0
  for (const id of rows) {
    const value = id === undefined ? undefined : counters[String(id)]
    if (value === undefined) return all
    sum += value
  }
  return sum
}
