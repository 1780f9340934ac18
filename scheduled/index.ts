import { createDb, type Bindings } from '../functions/env'
import { markJobFinished, markJobStarted } from '../functions/repos/job-runs'
import { flushPolls } from '../functions/lib/feed-polls'
import { JOBS } from './jobs'
import { logEvent } from '../functions/lib/log'

/** Cron string -> jobs. Mirrors wrangler.toml [triggers] crons (a test keeps them equal). */
export const CRONS: Record<string, string[]> = {
  '* * * * *': ['expire', 'audit', 'stix', 'misp', 'geoip'],
  '*/10 * * * *': ['housekeeping', 'goals'],
  '7 * * * *': ['champs-snapshot'],
  '17 3 * * *': ['optimize', 'audit-retention'],
}

/** `job:<name>` runs one job on demand (the launcher's `moat run-job`). */
export function jobsFor(cron: string): string[] {
  if (cron.startsWith('job:')) {
    const name = cron.slice(4)
    if (!JOBS[name]) throw new Error(`unknown job '${name}' (known: ${Object.keys(JOBS).join(', ')})`)
    return [name]
  }
  const names = CRONS[cron]
  if (!names) throw new Error(`no jobs registered for cron '${cron}'`)
  return names
}

/** Runs each job, records its outcome in job_runs, and fails the invocation if any job failed. */
export async function runScheduled(cron: string, env: Bindings, scheduledTime: number) {
  const db = createDb(env.DB)
  const now = new Date(scheduledTime)
  const failures: string[] = []
  for (const name of jobsFor(cron)) {
    await markJobStarted(db, name, new Date())
    try {
      const result = await JOBS[name](db, now, env)
      await markJobFinished(db, name, new Date(), 'ok', result)
      logEvent('info', 'job finished', { job: name, cron, result })
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      await markJobFinished(db, name, new Date(), 'error', null, message)
      logEvent('error', 'job failed', { job: name, cron, error: message })
      failures.push(name)
    }
  }
  await flushPolls(env.DB)
  if (failures.length) throw new Error(`jobs failed: ${failures.join(', ')}`)
}
