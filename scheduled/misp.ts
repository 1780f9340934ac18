import type { Bindings, Db } from '../functions/env'
import { ApiError } from '../functions/lib/errors'
import { getMispConfig, getMispState, getMispUserId } from '../functions/repos/misp'
import { runMispPull } from '../functions/services/misp-pull'

/** When the next scheduled pull is due: the last attempt (scheduled or manual) plus the interval. */
export function nextPullAt(lastAttemptAt: string | null, intervalMinutes: number): Date | null {
  return lastAttemptAt ? new Date(Date.parse(lastAttemptAt) + intervalMinutes * 60_000) : null
}

/**
 * Every minute: pulls from MISP when enabled and due (the admin's interval), so changing the
 * interval needs no cron change. A failed pull fails the job (its error is on /health's job row
 * and on the MISP screen); the next try comes one interval later.
 */
export async function runMispJob(db: Db, now: Date, env?: Bindings) {
  const config = await getMispConfig(db)
  if (!config.enabled) return { skipped: 'disabled' }
  const state = await getMispState(db)
  const next = nextPullAt(state.lastAttemptAt, config.intervalMinutes)
  if (next && next.getTime() > now.getTime()) return { skipped: 'not due', nextDueAt: next.toISOString() }
  if (!env) return { skipped: 'no environment' }
  try {
    const run = await runMispPull(db, env, { trigger: 'schedule', actor: { id: await getMispUserId(db), username: 'misp', ip: null }, now })
    const r = run.result!
    return { run: run.id, fetched: r.fetched, created: r.created, extended: r.extended, held: r.held, expired: r.expired }
  } catch (err) {
    if (err instanceof ApiError && err.code === 'pull_running') return { skipped: 'a pull is running' }
    throw err
  }
}
