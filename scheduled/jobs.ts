import type { Db } from '../functions/env'
import { runExpire } from './expire'
import { runHousekeeping } from './housekeeping'
import { runOptimize } from './optimize'

export type Job = (db: Db, now: Date) => Promise<Record<string, unknown>>

/** Every job by name: what `moat run-job <name>` and the cron table refer to. */
export const JOBS: Record<string, Job> = {
  expire: runExpire,
  housekeeping: runHousekeeping,
  optimize: runOptimize,
}
