import { eq, sql } from 'drizzle-orm'
import { jobRuns } from '../../schema/tables'
import type { Db } from '../env'

export async function markJobStarted(db: Db, name: string, at: Date) {
  const iso = at.toISOString()
  await db
    .insert(jobRuns)
    .values({ name, lastStartedAt: iso, runs: 1 })
    .onConflictDoUpdate({
      target: jobRuns.name,
      set: { lastStartedAt: iso, runs: sql`${jobRuns.runs} + 1` },
    })
}

export async function markJobFinished(
  db: Db,
  name: string,
  at: Date,
  outcome: 'ok' | 'error',
  result: unknown,
  error?: string,
) {
  const iso = at.toISOString()
  await db
    .update(jobRuns)
    .set({
      lastFinishedAt: iso,
      lastOutcome: outcome,
      lastResult: result ?? null,
      lastError: error ?? null,
      ...(outcome === 'ok' ? { lastSuccessAt: iso } : {}),
    })
    .where(eq(jobRuns.name, name))
}

export async function listJobRuns(db: Db) {
  return db.select().from(jobRuns)
}
