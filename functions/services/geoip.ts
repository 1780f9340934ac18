import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../env'
import { runBatch } from '../lib/d1-batch'
import { countriesOf, loadGeo } from '../lib/geoip'

/** Countries go to D1 as JSON `[[key, country], ...]` of at most this many pairs per statement. */
const CHUNK = 5000
/** The `geoip` job fills at most this many rows per run (every minute). */
export const FILL_PER_RUN = 20_000

function chunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n))
  return out
}

function updateByIdStatements(pairs: (readonly [number, string])[]): SQL[] {
  // Keyed by rowid: SQLite walks the JSON and probes iocs by primary key (a join on value would
  // scan the JSON once per row).
  return chunks(pairs, CHUNK).map(
    (part) => sql`UPDATE iocs SET country = m.c
      FROM (SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS c FROM json_each(${JSON.stringify(part)})) m
      WHERE iocs.id = m.id AND iocs.country IS NULL`,
  )
}

/**
 * Sets `country` on the ip IOCs a bulk import just created (one transaction). Without a GeoIP
 * database it does nothing: the `geoip` job fills them later.
 */
export async function fillImportCountries(db: Db, batchId: number) {
  const rows = await db.all<{ id: number; value: string }>(
    sql`SELECT id, value FROM iocs WHERE import_batch_id = ${batchId} AND type = 'ip' AND country IS NULL`,
  )
  if (!rows.length) return 0
  const map = await countriesOf(rows.map((r) => r.value))
  if (!map) return 0
  await runBatch(db, updateByIdStatements(rows.map((r) => [r.id, map.get(r.value) ?? ''] as const)))
  return rows.length
}

/**
 * Looks up ip IOCs that have no country yet (written without a database, by MISP, or reset after
 * an admin replaced the database), oldest first, and stores them in one transaction.
 */
export async function fillCountries(db: Db, limit = FILL_PER_RUN) {
  // Without a database (no launcher) there is nothing to do: do not even read the pending rows.
  if (!(await loadGeo())) return { filled: 0, geoip: 'unavailable' }
  const rows = await db.all<{ id: number; value: string }>(
    sql`SELECT id, value FROM iocs WHERE country IS NULL AND type = 'ip' AND deleted_at IS NULL ORDER BY id LIMIT ${limit}`,
  )
  if (!rows.length) return { filled: 0 }
  const map = await countriesOf(rows.map((r) => r.value))
  if (!map) return { filled: 0, geoip: 'unavailable' }
  await runBatch(db, updateByIdStatements(rows.map((r) => [r.id, map.get(r.value) ?? ''] as const)))
  return { filled: rows.length, pending: rows.length === limit }
}

/** After a database replacement every ip IOC is looked up again (the job refills them in chunks). */
export async function resetCountries(db: Db) {
  const where = sql`type = 'ip' AND deleted_at IS NULL AND country IS NOT NULL`
  // Counted apart: D1's change count includes the roll-up triggers' writes.
  const [count] = await runBatch(db, [sql`SELECT count(*) AS n FROM iocs WHERE ${where}`, sql`UPDATE iocs SET country = NULL WHERE ${where}`])
  return (count.results[0] as { n: number }).n
}
