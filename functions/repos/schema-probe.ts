import { sql } from 'drizzle-orm'
import type { Db } from '../env'

const cache = new Map<string, Set<string> | null>()

/**
 * The columns of a table, or null when it does not exist (read from sqlite_master: PRAGMA is
 * refused in D1). Lets stats code use tables that other features add later (yara_rules) without
 * failing before they exist. Cached per isolate once the table is found.
 */
export async function tableColumns(db: Db, table: string): Promise<Set<string> | null> {
  const hit = cache.get(table)
  if (hit) return hit
  const row = await db.get<{ sql: string } | undefined>(sql`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ${table}`)
  if (!row?.sql) return null
  const body = row.sql.slice(row.sql.indexOf('(') + 1)
  const cols = new Set<string>()
  for (const part of body.split(/,(?![^(]*\))/)) {
    const m = /^\s*[`"[]?(\w+)[`"\]]?\s+\w+/.exec(part)
    if (m && !/^(PRIMARY|FOREIGN|UNIQUE|CHECK|CONSTRAINT)$/i.test(m[1])) cols.add(m[1])
  }
  cache.set(table, cols)
  return cols
}
