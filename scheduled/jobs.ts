import type { Bindings, Db } from '../functions/env'
import { runAuditRetention, runAuditShip } from './audit'
import { runExpire } from './expire'
import { runMispJob } from './misp'
import { runHousekeeping } from './housekeeping'
import { runOptimize } from './optimize'
import { runStix } from './stix'
import { runGeoipFill, runGoalMilestones, runRankSnapshot } from './stats'

/** `env` reaches the bindings (HOST) for jobs that need the launcher. */
export type Job = (db: Db, now: Date, env?: Bindings) => Promise<Record<string, unknown>>

/** Every job by name: what `moat run-job <name>` and the cron table refer to. */
export const JOBS: Record<string, Job> = {
  expire: runExpire,
  housekeeping: runHousekeeping,
  optimize: runOptimize,
  audit: runAuditShip,
  'audit-retention': runAuditRetention,
  stix: runStix,
  misp: runMispJob,
  geoip: runGeoipFill,
  goals: runGoalMilestones,
  'champs-snapshot': runRankSnapshot,
}
