import type { Bindings, Db } from '../functions/env'
import { bindGeoHost } from '../functions/lib/geoip'
import { snapshotRanks } from '../functions/services/champs'
import { champsSettings } from '../functions/services/champs'
import { fillCountries } from '../functions/services/geoip'
import { recordGoalMilestones } from '../functions/services/team-goals'

/** Every minute: GeoIP countries for ip IOCs written without a lookup (or after a database change). */
export async function runGeoipFill(db: Db, _now: Date, env?: Bindings) {
  bindGeoHost(env?.HOST)
  return fillCountries(db)
}

/** Every 10 minutes: team goal milestones (25/50/75/100 %), once per goal period. */
export async function runGoalMilestones(db: Db, now: Date) {
  const s = await champsSettings(db)
  return recordGoalMilestones(db, now, s.timeZone)
}

/** Hourly: yesterday's rank snapshot (written once, after local midnight) and rank-change events. */
export async function runRankSnapshot(db: Db, now: Date) {
  return snapshotRanks(db, now)
}
