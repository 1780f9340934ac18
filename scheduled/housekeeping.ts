import { lt, sql } from 'drizzle-orm'
import { feedPolls } from '../schema/tables'
import type { Db } from '../functions/env'
import { purgeThrottle } from '../functions/repos/login-throttle'

/** Address throttle counters idle this long are forgotten (a lock never outlives 15 minutes). */
const THROTTLE_IDLE_MS = 60 * 60 * 1000
/** The poll log keeps 30 days: enough to see which device stopped polling and when. */
const POLL_RETENTION_MS = 30 * 86_400_000

/** Staged import batches nobody committed are discarded after this; committed ones keep their rows as long. */
const IMPORT_RETENTION_MS = 14 * 86_400_000

/** Forgets stale login-throttle counters and old feed poll records. */
export async function runHousekeeping(db: Db, now: Date) {
  const purgedThrottle = await purgeThrottle(db, new Date(now.getTime() - THROTTLE_IDLE_MS).toISOString())
  const polls = await db
    .delete(feedPolls)
    .where(lt(feedPolls.at, new Date(now.getTime() - POLL_RETENTION_MS).toISOString()))
    .returning({ id: feedPolls.id })
  // Preview rows are working data: an abandoned batch is discarded, and a committed batch keeps
  // its row-by-row report for two weeks (the batch row and the IOCs' import_batch_id stay).
  const cutoff = new Date(now.getTime() - IMPORT_RETENTION_MS).toISOString()
  const rows = await db.run(sql`DELETE FROM import_rows WHERE batch_id IN (SELECT id FROM import_batches WHERE updated_at < ${cutoff})`)
  const abandoned = await db.run(sql`UPDATE import_batches SET status = 'discarded', updated_at = ${now.toISOString()}
    WHERE status = 'staged' AND updated_at < ${cutoff}`)
  return { purgedThrottle, purgedPolls: polls.length, discardedImports: abandoned.meta.changes, purgedImportRows: rows.meta.changes }
}
